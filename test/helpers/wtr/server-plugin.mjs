// A web-test-runner plugin that starts ONE real chat server for the whole
// browser test run and serves `/__twt_env.js`, where browser tests learn it:
//
//   import env from '/__twt_env.js';
//   env.server     'http://127.0.0.1:<port>'  (the widget origin W; test pages are on localhost:8000)
//   env.agentKey   'demo-agent-key'  (an agent of every app: drive /v1/agent/* with it)
//   env.appid      'demo'  (trusted: localhost, 127.0.0.1)
//   env.appSecret  'demo-secret'  (sign login triples: md5(md5(sbs+'_'+secret)+'_'+ranstr))
//
// The server runs in test mode, so browser tests can also create apps:
//   POST env.server + '/v1/test/apps'  body {appid?, name?, domains: ['example.com'], secret?, greeting?}
//        -> {ok, app: {appid, name, secret, greeting, domains}}   (409 if the appid exists)
//   POST env.server + '/v1/test/apps/<appid>/disable'  body {disabled?: boolean}  -> closes its sockets 4004
// and moderate visitors with the agent key:
//   POST /v1/agent/visitors/<visitorUid>/ban {banned?: boolean} (-> 4005), /revoke (-> 4003)
// Store: fresh PGlite in a temp dir, removed at the end. Built bundles come from dist/.
// TWT_TEST_SERVER=http://… uses an already running server instead of starting one.
//
// Browser tests can restart the server (same port, same store) to test reconnects:
//   import { executeServerCommand } from '@web/test-runner-commands';
//   await executeServerCommand('twt-restart-server', { downMs: 500 });
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function testServerPlugin() {
  let server = null;
  let dataDir = null;
  let startServer = null;
  let limits = null;
  // Every browser test's visitor comes from loopback: the per-address limits are out of the way (server/limits.ts).
  const start = (port) => startServer({ port, host: '127.0.0.1', dataDir, databaseUrl: '', testMode: true, quiet: true, seed: true, limits });
  return {
    name: 'twt-test-env',
    async serverStart() {
      const env = { agentKey: 'demo-agent-key', appSecret: 'demo-secret', appid: 'demo' };
      if (process.env.TWT_TEST_SERVER) {
        globalThis.__twtTestEnv = { ...env, server: process.env.TWT_TEST_SERVER.replace(/\/$/, '') };
        return;
      }
      // tsx stays registered: the server imports its store adapter lazily, at every (re)start.
      const { register } = await import('tsx/esm/api');
      register();
      ({ startServer } = await import('../../../server/app.ts'));
      ({ ONE_ADDRESS_MANY_VISITORS: limits } = await import('../../../server/limits.ts'));
      dataDir = mkdtempSync(join(tmpdir(), 'twt-wtr-'));
      server = await start(0);
      globalThis.__twtTestEnv = { ...env, server: server.url };
    },
    async executeCommand({ command, payload }) {
      if (command !== 'twt-restart-server') return undefined;
      if (!server) throw new Error('twt-restart-server: no server of this plugin is running (TWT_TEST_SERVER is set?)');
      const port = server.port;
      await server.close();
      await new Promise((r) => setTimeout(r, Math.min(Number(payload?.downMs) || 0, 10_000)));
      server = await start(port);
      return true;
    },
    async serverStop() {
      await server?.close();
      server = null;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__twt_env.js') {
        return { body: `export default ${JSON.stringify(globalThis.__twtTestEnv ?? {})};`, type: 'js' };
      }
    },
  };
}
