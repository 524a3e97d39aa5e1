// Child-process server for tests (restart, kill -9, two processes): options from
// argv JSON; prints one line `{"url": …}` on stdout when listening.
import { startServer } from '../app.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
const s = await startServer({ port: 0, quiet: true, testMode: true, ...opts });
process.stdout.write(JSON.stringify({ url: s.url }) + '\n');
process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
