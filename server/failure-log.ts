/**
 * The log of requests and frames that failed inside the server (a 500, an
 * `internal` socket error). Client input is refused before it gets here (see
 * storable-input.ts); what remains is our bug or a store outage, and a client
 * that keeps hitting it must not be able to flood the log: at most
 * FAILURE_LOG_BURST lines (with the stack) per FAILURE_LOG_WINDOW_MS, then one
 * line saying how many were left out.
 */
import { TokenBucket } from './rate-limit.js';

export const FAILURE_LOG_BURST = 10;
export const FAILURE_LOG_WINDOW_MS = 60_000;

const bucket = new TokenBucket(FAILURE_LOG_BURST, FAILURE_LOG_WINDOW_MS);
let suppressed = 0;

/** Logs one failure (where: what was being done), unless the burst is spent. */
export function logFailure(where: string, err: unknown): void {
  if (!bucket.take()) {
    suppressed++;
    return;
  }
  if (suppressed) {
    console.error(`twt: ${suppressed} more failures were not logged (at most ${FAILURE_LOG_BURST} a minute)`);
    suppressed = 0;
  }
  console.error(`twt: ${where} failed`, err);
}
