/** The demo app and demo admin a fresh install starts with (dev only; every value overridable by env: config.demo). */
import type { Data } from './data/index.js';
import { hashPassword } from './passwords.js';

export interface DemoSeed {
  appid: string;
  secret: string;
  domains: string[];
  /** An API key of the demo admin (integrations, tests, scripts). */
  agentKey: string;
  /** The demo admin's console sign-in. DEV ONLY: a fixed, documented password (docs/operating.md). */
  adminEmail: string;
  adminPassword: string;
}

/** Creates the demo app, the demo admin and its key if they do not exist yet. */
export async function seedDemo(data: Data, seed: DemoSeed): Promise<DemoSeed> {
  await data.apps.create({ appid: seed.appid, name: 'TWT Demo', secret: seed.secret, greeting: 'Hi! Ask us anything.', domains: seed.domains });
  // The demo admin sees every app, so tests and the console can drive any app they create.
  // A deactivated demo admin stays deactivated: the seed never brings it (or its key) back.
  const existing = await data.agents.byEmail(seed.adminEmail);
  const admin =
    existing?.agent ?? (await data.agents.createAccount({ email: seed.adminEmail, name: 'Demo Agent', passwordHash: await hashPassword(seed.adminPassword), role: 'admin', appid: null }));
  // Refused (null) when the key is stored already, revoked or not (a store seeded before accounts existed keeps it on its own agent), or the admin is deactivated.
  await data.agentKeys.create(admin.id, 'demo key', seed.agentKey);
  return seed;
}
