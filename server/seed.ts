/** The demo app a fresh install starts with (dev only; every value overridable by env: config.demo). */
import type { Data } from './data/index.js';

export interface DemoSeed {
  appid: string;
  secret: string;
  domains: string[];
  agentKey: string;
}

/** Creates the demo app and its agent key if they do not exist yet. */
export async function seedDemo(data: Data, seed: DemoSeed): Promise<DemoSeed> {
  await data.apps.create({ appid: seed.appid, name: 'TWT Demo', secret: seed.secret, greeting: 'Hi! Ask us anything.', domains: seed.domains });
  // The demo agent sees every app, so tests and the console can drive any app they create.
  await data.agents.create({ name: 'Demo Agent', key: seed.agentKey, appid: null });
  return seed;
}
