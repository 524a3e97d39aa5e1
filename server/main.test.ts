// `npm start`'s entry: the demo app and its all-apps agent key exist only in development.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { api, freshDataDir, ORIGIN } from '../test/helpers/node/server.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts server/main.ts with `env`, returns its printed base URL and output, then stops it. */
async function startMain(env: Record<string, string>, probe: (url: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TWT_DATA_DIR: await freshDataDir(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('server/main.ts did not start in 30 s')), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /core\.js\s+(http:\/\/\S+)\/install\/core\.js/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
      child.once('exit', (code) => fail(new Error(`server/main.ts exited with ${code}: ${out}`)));
    });
    await probe(url);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

async function demoBootstrap(url: string) {
  return api(url, '/v1/bootstrap', { method: 'POST', body: { appid: 'demo' }, headers: { origin: ORIGIN } });
}

const demoAdminSignIn = (url: string) =>
  api(url, '/v1/console/session', { body: { email: 'admin@example.test', password: 'demo-admin-password' }, headers: { origin: url } });

test('npm start seeds the demo app and demo admin in development and prints them as dev-only', async () => {
  const out = await startMain({ NODE_ENV: 'development' }, async (url) => {
    const r = await demoBootstrap(url);
    assert.equal(r.status, 200);
    const signedIn = await demoAdminSignIn(url);
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.json.agent.role, 'admin');
  });
  assert.match(out, /Demo app \(DEV ONLY/);
  assert.match(out, /console sign-in admin@example\.test \/ demo-admin-password/);
});

for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'development', TWT_SEED_DEMO: '0' }] as Record<string, string>[]) {
  test(`no demo app or demo agent key with ${JSON.stringify(env)}`, async () => {
    const out = await startMain(env, async (url) => {
      const boot = await demoBootstrap(url);
      assert.equal(boot.json?.reason, 'invalid_bootstrap');
      const agents = await api(url, '/v1/agent/conversations', { headers: { authorization: 'Bearer demo-agent-key' } });
      assert.equal(agents.status, 401);
      assert.equal((await demoAdminSignIn(url)).status, 401, 'no demo admin');
    });
    assert.doesNotMatch(out, /Demo app/);
  });
}
