// Child-process server for tests (restart, kill -9, two processes): options from
// argv JSON; prints one line `{"url": …}` on stdout when listening.
import { startServer } from '../../../server/app.js';
import { ONE_ADDRESS_MANY_VISITORS } from '../../../server/limits.js';
import { manualClock } from './server.js';

// `stoppedCacheClock`: the data cache never expires a row by age (only events drop one).
// `manualClock`: the server's timers (StartOptions.clock) move only when the parent sends `{ advance: ms }`
// over the IPC channel (spawnServer's advance()); each step is answered `{ advanced: ms }` once its timers ran.
const { stoppedCacheClock, manualClock: stepped, ...opts } = JSON.parse(process.argv[2] ?? '{}');
const clock = stepped ? manualClock() : undefined;
if (clock) {
  process.on('message', (m: { advance?: number }) => {
    if (typeof m?.advance !== 'number') return;
    clock.advance(m.advance);
    process.send!({ advanced: m.advance });
  });
}
// Every test visitor comes from loopback: per-address limits only where a test sets them.
const s = await startServer({
  port: 0,
  quiet: true,
  testMode: true,
  ...opts,
  limits: { ...ONE_ADDRESS_MANY_VISITORS, ...opts.limits },
  ...(stoppedCacheClock ? { cacheClock: () => 0 } : {}),
  ...(clock ? { clock } : {}),
});
process.stdout.write(JSON.stringify({ url: s.url }) + '\n');
process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
