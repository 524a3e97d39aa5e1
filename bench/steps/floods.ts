/**
 * Bench step `floods`: floods of cheap requests against a fresh server with the
 * default limits, while a probe times GET /v1/health (floodRows in server.ts).
 * Its own step so it can be repeated alone (`npm run bench -- --only floods --runs 5`):
 * a p99 from one run says little.
 */
import { stepMain } from '../lib/step.js';
import { floodRows } from './server.js';

if (import.meta.url === `file://${process.argv[1]}`) stepMain('floods', () => floodRows());
