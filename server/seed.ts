/** The demo app a fresh install starts with (dev only; every value overridable by env). */
import type { Data } from './data/index.js';
import { normalizeTrustedDomain } from './domains.js';

export interface DemoSeed {
  appid: string;
  secret: string;
  domains: string[];
  agentKey: string;
}

export function demoSeedFromEnv(env = process.env): DemoSeed {
  return {
    appid: (env.TWT_DEMO_APPID || 'demo').toLowerCase(),
    secret: env.TWT_DEMO_SECRET || 'demo-secret',
    domains: (env.TWT_DEMO_DOMAINS || 'localhost,127.0.0.1')
      .split(',')
      .map((d) => normalizeTrustedDomain(d))
      .filter((d): d is string => d !== null),
    agentKey: env.TWT_DEMO_AGENT_KEY || 'demo-agent-key',
  };
}

/** Creates the demo app and its agent key if they do not exist yet. */
export async function seedDemo(data: Data, seed = demoSeedFromEnv()): Promise<DemoSeed> {
  await data.apps.create({ appid: seed.appid, name: 'TWT Demo', secret: seed.secret, greeting: 'Hi! Ask us anything.', domains: seed.domains });
  // The demo agent sees every app, so tests and the console can drive any app they create.
  await data.agents.create({ name: 'Demo Agent', key: seed.agentKey, appid: null });
  return seed;
}
