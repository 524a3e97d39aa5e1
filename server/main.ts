/** `npm start` entry (bundled to dist/server/main.js): start the server, print its URLs, stop cleanly on signals. */
import { startServer } from './app.js';
import { readConfig, type ServerConfig } from './config.js';

let config: ServerConfig;
try {
  config = readConfig();
} catch (err) {
  console.error(`twt: could not start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
// The demo app and its all-apps agent key are for development: never seeded in
// production, and TWT_SEED_DEMO=0 turns them off anywhere.
const server = await startServer({ config, seed: config.seedDemo }).catch((err) => {
  console.error(`twt: could not start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});

// The demo app trusts both names; print the one the README gives.
const u = server.url.replace('://127.0.0.1:', '://localhost:');
console.log(`
  TWT chat server ready
    core.js        ${u}/install/core.js
    widget         ${u}/widget/
    demo pages     ${u}/demo/
    agent console  ${u}/console/
    API            ${u}/v1/   (visitor socket ${u.replace(/^http/, 'ws')}/v1/ws)`);
if (server.demo) {
  console.log(`
  Demo app (DEV ONLY; override with TWT_DEMO_* env):
    appid ${server.demo.appid}   app secret ${server.demo.secret}   trusted ${server.demo.domains.join(', ')}
    console sign-in ${server.demo.adminEmail} / ${server.demo.adminPassword}   (admin)
    agent API key ${server.demo.agentKey}`);
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
