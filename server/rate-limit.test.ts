// The limiters on a stepped clock (no sleeping, no wall clock): token buckets,
// all-or-none takes across buckets, concurrency counters, client addresses,
// the limit settings and their environment variables, typing coalescing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ConcurrencyLimiter, KeyedRateLimiter, TokenBucket, takeFromEach } from './rate-limit.js';
import { addressKey, clientAddress, parseTrustProxy } from './client-address.js';
import { LIMIT_SETTINGS, limitSettingsFromEnv, retryAfterSeconds } from './limits.js';
import { TypingGate } from './typing-gate.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, step: (ms: number) => (t += ms) };
}

describe('token buckets', () => {
  test('capacity at once, then refilled evenly; retryAfterMs says when the next one fits', () => {
    const c = clock();
    const b = new TokenBucket(4, 60_000, c.now);
    for (let i = 0; i < 4; i++) assert.equal(b.take(), true);
    assert.equal(b.take(), false);
    assert.equal(b.retryAfterMs(), 15_000);
    c.step(14_999);
    assert.equal(b.take(), false);
    c.step(1);
    assert.equal(b.retryAfterMs(), 0);
    assert.equal(b.take(), true);
    c.step(10 * 60_000);
    for (let i = 0; i < 4; i++) assert.equal(b.take(), true, 'refills to capacity, no more');
    assert.equal(b.take(), false);
  });

  test('keyed: one bucket per key; retryAfterMs takes nothing', () => {
    const c = clock();
    const l = new KeyedRateLimiter(2, 10_000, c.now);
    assert.equal(l.retryAfterMs('a'), 0);
    assert.equal(l.take('a'), true);
    assert.equal(l.take('a'), true);
    assert.equal(l.take('a'), false);
    assert.equal(l.retryAfterMs('a'), 5000);
    assert.equal(l.take('b'), true);
    assert.equal(l.retryAfterMs('b'), 0);
    assert.equal(l.take('b'), true);
  });

  test('takeFromEach takes from every bucket or from none', () => {
    const c = clock();
    const perAddress = new KeyedRateLimiter(1, 60_000, c.now);
    const perApp = new KeyedRateLimiter(3, 60_000, c.now);
    assert.equal(takeFromEach([[perAddress, 'x'], [perApp, 'app']]), 0);
    assert.equal(takeFromEach([[perAddress, 'x'], [perApp, 'app']]), 60_000);
    // The refusal by the address bucket left the app's tokens alone: two more addresses fit.
    assert.equal(takeFromEach([[perAddress, 'y'], [perApp, 'app']]), 0);
    assert.equal(takeFromEach([[perAddress, 'z'], [perApp, 'app']]), 0);
    assert.equal(takeFromEach([[perAddress, 'w'], [perApp, 'app']]), 20_000);
  });

  test('concurrency: up to max per key, released once each', () => {
    const l = new ConcurrencyLimiter(2);
    const r1 = l.acquire('a')!;
    const r2 = l.acquire('a')!;
    assert.equal(l.acquire('a'), null);
    assert.ok(l.acquire('b'));
    r1();
    r1();
    assert.equal(l.count('a'), 1);
    assert.ok(l.acquire('a'));
    assert.equal(l.acquire('a'), null);
    r2();
    assert.equal(l.count('a'), 1);
  });

  test('Retry-After is whole seconds, at least 1', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(1000), 1);
    assert.equal(retryAfterSeconds(1001), 2);
  });
});

describe('client address', () => {
  const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

  test('no trusted proxy: the TCP peer, whatever X-Forwarded-For says', () => {
    assert.equal(clientAddress(req('::ffff:203.0.113.5', '198.51.100.1'), 0), '203.0.113.5');
  });
  test('N trusted hops: the N-th entry from the right; a shorter header gives its leftmost; none gives the peer', () => {
    assert.equal(clientAddress(req('10.0.0.1', '192.0.2.66, 198.51.100.7'), 1), '198.51.100.7');
    assert.equal(clientAddress(req('10.0.0.1', '192.0.2.66, 198.51.100.7, 10.0.0.2'), 2), '198.51.100.7');
    assert.equal(clientAddress(req('10.0.0.1', '198.51.100.7'), 3), '198.51.100.7');
    assert.equal(clientAddress(req('10.0.0.1'), 1), '10.0.0.1');
  });
  test('IPv6 by /64, ports and brackets dropped, garbage is one shared key', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('[2001:0db8:0001:0002::9]:443'), '2001:db8:1:2::/64');
    assert.equal(addressKey('203.0.113.9:51000'), '203.0.113.9');
    assert.equal(addressKey('not an address'), 'unknown');
  });
  test('TWT_TRUST_PROXY values', () => {
    assert.equal(parseTrustProxy(undefined), 0);
    assert.equal(parseTrustProxy('false'), 0);
    assert.equal(parseTrustProxy('true'), 1);
    assert.equal(parseTrustProxy('2'), 2);
    assert.throws(() => parseTrustProxy('loopback'), /TWT_TRUST_PROXY/);
  });
});

describe('limit settings', () => {
  test('each comes from its environment variable, else its default; a bad value is an error', () => {
    const defaults = limitSettingsFromEnv({});
    for (const [name, s] of Object.entries(LIMIT_SETTINGS)) assert.equal(defaults[name as keyof typeof defaults], s.default);
    assert.equal(limitSettingsFromEnv({ TWT_SESSIONS_PER_ADDRESS_PER_10S: '7' }).sessionsPerAddressPer10s, 7);
    assert.throws(() => limitSettingsFromEnv({ TWT_SOCKETS_PER_ADDRESS: '0' }), /TWT_SOCKETS_PER_ADDRESS/);
    assert.throws(() => limitSettingsFromEnv({ TWT_MESSAGES_PER_10S: 'lots' }), /TWT_MESSAGES_PER_10S/);
  });
  test('docs/operating.md lists every limit with its variable and default', () => {
    const doc = readFileSync(new URL('../docs/operating.md', import.meta.url), 'utf8');
    for (const s of Object.values(LIMIT_SETTINGS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${s.env}\``));
      assert.ok(row, `${s.env} missing from docs/operating.md`);
      assert.ok(row.includes(`\`${s.default}\``), `${s.env}: default ${s.default} not in its row`);
    }
    assert.ok(doc.includes('`TWT_TRUST_PROXY`'));
  });
});

describe('typing gate', () => {
  test('at most one state change per conversation and direction per window; the last wish is shown at its end', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const shown: string[] = [];
    const gate = new TypingGate((e) => shown.push(`${e.from}:${e.conversationId}:${e.typing}`), 1000);
    const offer = (conversationId: string, from: 'visitor' | 'agent', typing: boolean) => gate.offer({ kind: 'typing', conversationId, from, typing });
    for (let i = 0; i < 2000; i++) offer('c1', 'visitor', i % 2 === 0); // ends on false
    offer('c1', 'agent', true);
    offer('c2', 'visitor', true);
    assert.deepEqual(shown, ['visitor:c1:true', 'agent:c1:true', 'visitor:c2:true']);
    t.mock.timers.tick(999);
    assert.equal(shown.length, 3);
    t.mock.timers.tick(1);
    // c1 visitor ends on false: shown; the others did not change.
    assert.deepEqual(shown.slice(3), ['visitor:c1:false']);
    offer('c1', 'visitor', true);
    t.mock.timers.tick(1000);
    assert.deepEqual(shown.slice(4), ['visitor:c1:true']);
    // A window with no change closes quietly; the next change goes out at once.
    t.mock.timers.tick(1000);
    offer('c1', 'visitor', false);
    assert.deepEqual(shown.slice(5), ['visitor:c1:false']);
    gate.stop();
  });
});
