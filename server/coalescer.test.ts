// The coalescer behind the hub's batched pushes: one flush per window, and a stop() the server's shutdown can
// rely on (no flush starts after it; one already running ends before it resolves, so the store closes after).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from './coalescer.js';

/**
 * Resolves after every timer of a shorter or equal delay set before it: the ordering sentinel of these tests. (The
 * coalescer's own timer is unref'd, so it is also what keeps the test's event loop alive until that timer fires.)
 */
const afterTimers = () => new Promise((r) => setTimeout(r, 5));

test('schedule() calls in one window give one flush', async () => {
  let flushes = 0;
  const c = new Coalescer(0, async () => void flushes++);
  c.schedule();
  c.schedule();
  c.schedule();
  await afterTimers();
  assert.equal(flushes, 1);
  c.schedule();
  await afterTimers();
  assert.equal(flushes, 2);
});

test('stop() drops a scheduled flush and refuses later ones', async () => {
  let flushes = 0;
  const c = new Coalescer(0, async () => void flushes++);
  c.schedule();
  await c.stop();
  c.schedule();
  await afterTimers();
  assert.equal(flushes, 0);
});

test('stop() resolves only once a flush already running has ended', async () => {
  const order: string[] = [];
  let release!: () => void;
  const c = new Coalescer(0, async () => {
    order.push('flush started');
    await new Promise<void>((r) => (release = r));
    order.push('flush ended');
  });
  c.schedule();
  await afterTimers();
  const stopping = c.stop().then(() => order.push('stopped'));
  await afterTimers();
  assert.deepEqual(order, ['flush started']);
  release();
  await stopping;
  assert.deepEqual(order, ['flush started', 'flush ended', 'stopped']);
});

test('a failing flush is logged, and stop() still resolves', async (t) => {
  const logged: unknown[] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => void logged.push(args[0]));
  const c = new Coalescer(0, async () => {
    throw new Error('store gone');
  });
  c.schedule();
  await afterTimers();
  await c.stop();
  assert.deepEqual(logged, ['twt: batched push failed']);
});

test('stop() waits for every flush still running, when a second window began before the first flush ended', async () => {
  const releases: Array<() => void> = [];
  let ended = 0;
  const c = new Coalescer(0, async () => {
    await new Promise<void>((r) => releases.push(r));
    ended++;
  });
  c.schedule();
  await afterTimers();
  c.schedule();
  await afterTimers();
  assert.equal(releases.length, 2);
  let stopped = false;
  const stopping = c.stop().then(() => (stopped = true));
  releases[1]!();
  await afterTimers();
  assert.equal(stopped, false, 'the first flush is still running');
  releases[0]!();
  await stopping;
  assert.equal(ended, 2);
});
