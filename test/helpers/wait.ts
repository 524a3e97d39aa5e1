/**
 * Waiting in tests, for every side: timers only (no DOM, no Node), so the
 * browser tests, the node tests and the e2e harness import this one module.
 * Prefer an ordering sentinel (a frame, an event, a promise) to either: `until`
 * is for effects nothing announces, `sleep` for a quiet spell a test must let pass.
 */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long `until` waits and how often it checks, unless a call says otherwise. A side's harness may set
 * these once for its files (the e2e harness sets its own bound: a real browser on a busy machine).
 */
export const untilDefaults = { timeout: 5000, every: 20 };

/**
 * Checks `check` every `every` ms until it returns something truthy, and returns that. A check that throws
 * counts as "not yet" (the last error is named if time runs out). Rejects after `timeout` ms, naming `what`.
 */
export async function until<T>(check: () => T | Promise<T>, what = 'condition', { timeout = untilDefaults.timeout, every = untilDefaults.every } = {}): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const got = await check();
      if (got) return got;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${String(last).split('\n')[0]}` : ''}`);
    await sleep(every);
  }
}
