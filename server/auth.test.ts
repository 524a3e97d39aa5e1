import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { issueToken, loginSignature, randomId, signClue, verifyClue, verifyLogin, verifyToken } from './auth.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

test('login signature follows the vendor rule', () => {
  assert.equal(loginSignature('user-1', 'sec', 'r4nd'), md5(md5('user-1_sec') + '_r4nd'));
  const good = { sbs: 'user-1', ranstr: 'r4nd', sbs_mm: loginSignature('user-1', 'sec', 'r4nd') };
  assert.deepEqual(verifyLogin(good, 'sec'), { ok: true, sbs: 'user-1' });
  assert.equal(verifyLogin({ ...good, sbs_mm: good.sbs_mm.toUpperCase() }, 'sec').ok, false);
  assert.equal(verifyLogin({ ...good, sbs_mm: good.sbs_mm.slice(1) }, 'sec').ok, false);
  assert.equal(verifyLogin({ sbs: 'user-1', sbs_mm: good.sbs_mm }, 'sec').ok, false);
  assert.equal(verifyLogin({ ...good, sbs: '' }, 'sec').ok, false);
  assert.equal(verifyLogin(good, 'other-app-secret').ok, false);
  assert.equal(verifyLogin('x', 'sec').ok, false);
  const uni = { sbs: '用户', ranstr: 'x', sbs_mm: loginSignature('用户', 'sec', 'x') };
  assert.equal(verifyLogin(uni, 'sec').ok, true);
  assert.equal(verifyLogin({ ...uni, sbs: '用戶' }, 'sec').ok, false);
});

test('identity clues verify only for their app and unedited', () => {
  const mm = signClue('s3cret', 'demo', 'bs-1');
  assert.ok(verifyClue('s3cret', 'demo', 'bs-1', mm));
  assert.equal(verifyClue('s3cret', 'other', 'bs-1', mm), false);
  assert.equal(verifyClue('s3cret', 'demo', 'bs-2', mm), false);
  assert.equal(verifyClue('s3cret', 'demo', 'bs-1', mm.replace(/.$/, '0')), mm.endsWith('0'));
  assert.equal(verifyClue('s3cret', 'demo', 1, mm), false);
});

test('tokens: signature, expiry, tampering', () => {
  const now = Date.now();
  const t = issueToken('k', { v: 'v1', a: 'demo', e: 0, x: Math.floor(now / 1000) + 60 });
  assert.equal(verifyToken('k', t).ok, true);
  assert.deepEqual(verifyToken('other', t), { ok: false, why: 'invalid' });
  const [body, sig] = t.split('.');
  const forged = Buffer.from(JSON.stringify({ v: 'v2', a: 'demo', e: 0, x: 9e9 })).toString('base64url') + '.' + sig;
  assert.equal(verifyToken('k', forged).ok, false);
  assert.equal(verifyToken('k', body).ok, false);
  const r = verifyToken('k', t, now + 120_000);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.why, 'expired');
  assert.equal(verifyToken('k', 42).ok, false);
});

test('randomId: base64url of the asked number of fresh random bytes, never repeated, across refills of its pool', () => {
  const seen = new Set<string>();
  // 5,000 ids of 12 bytes draw the 4 KB pool about 15 times, so every refill and every pool boundary is crossed.
  for (let i = 0; i < 5000; i++) {
    const id = randomId(12);
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(seen.has(id), false, 'an id came back twice');
    seen.add(id);
  }
  assert.equal(Buffer.from(randomId(), 'base64url').length, 16, 'the default is 16 bytes');
  for (const n of [1, 7, 24, 4095, 4096, 5000]) assert.equal(Buffer.from(randomId(n), 'base64url').length, n, `${n} bytes`);
  // Not a pool of zeros handed out: the bytes of many ids are spread over all values.
  const bytes = Buffer.concat(Array.from({ length: 200 }, () => Buffer.from(randomId(32), 'base64url')));
  assert.ok(new Set(bytes).size > 200, 'the bytes vary');
});
