// Every HTTP endpoint and refusal against a real server with a fresh PGlite store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginSignature } from './auth.js';
import { ORIGIN, agentHeaders, api, newVisitor, startTestServer } from '../test/helpers/node/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let base: string;
const dist = mkdtempSync(join(tmpdir(), 'twt-dist-'));
const demoDir = mkdtempSync(join(tmpdir(), 'twt-demo-'));

before(async () => {
  mkdirSync(join(dist, 'install'));
  mkdirSync(join(dist, 'widget'));
  mkdirSync(join(dist, 'console'));
  writeFileSync(join(dist, 'install', 'core.js'), 'console.log("core")');
  writeFileSync(join(dist, 'widget', 'panel.html'), '<!doctype html><title>panel</title>');
  writeFileSync(join(dist, 'widget', 'launcher.html'), '<!doctype html><title>launcher</title>');
  writeFileSync(join(dist, 'widget', 'launcher-dark.html'), '<!doctype html><title>launcher, dark</title>');
  writeFileSync(join(dist, 'widget', 'panel.js'), 'export {}');
  writeFileSync(join(dist, 'widget', 'panel-Ab3_x-9Z.js'), 'export {}');
  writeFileSync(join(dist, 'console', 'console-Zz0_ab-C.js'), 'export {}');
  writeFileSync(join(dist, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(demoDir, 'basic.html'), '<!doctype html><title>basic</title>');
  writeFileSync(join(tmpdir(), 'twt-secret.txt'), 'secret');
  server = await startTestServer({ distDir: dist, demoDir });
  base = server.url;
});
after(() => server.close());

const boot = (appid: unknown, origin?: string) =>
  api(base, '/v1/bootstrap', { raw: JSON.stringify({ appid }), headers: { 'content-type': 'text/plain', ...(origin ? { origin } : {}) } });

describe('bootstrap', () => {
  test('trusted origin gets the app and CORS for that origin', async () => {
    const r = await boot('demo', ORIGIN);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { ok: true, app: { appid: 'demo', name: 'TWT Demo', greeting: 'Hi! Ask us anything.' } });
    assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });
  test('appids are matched in lowercase', async () => {
    assert.equal((await boot('DEMO', 'http://127.0.0.1:9')).status, 200);
  });
  test('untrusted and look-alike origins are refused with domain_not_whitelisted', async () => {
    for (const o of ['https://evil.io', 'http://localhost.evil.io', 'null']) {
      const r = await boot('demo', o);
      assert.equal(r.status, 403, o);
      assert.equal(r.json.reason, 'domain_not_whitelisted');
      assert.equal(r.json.ok, false);
    }
    assert.equal((await boot('demo')).json.reason, 'domain_not_whitelisted');
  });
  test('unknown, malformed or disabled appid is invalid_bootstrap', async () => {
    assert.equal((await boot('nope', ORIGIN)).json.reason, 'invalid_bootstrap');
    assert.equal((await boot('', ORIGIN)).status, 400);
    assert.equal((await boot({ x: 1 }, ORIGIN)).json.reason, 'invalid_bootstrap');
    const created = await api(base, '/v1/test/apps', { body: { appid: 'offline', domains: ['localhost'] } });
    assert.equal(created.status, 200);
    assert.equal((await boot('offline', ORIGIN)).status, 200);
    await api(base, '/v1/test/apps/offline/disable', { body: {} });
    const r = await boot('offline', ORIGIN);
    assert.equal(r.status, 404);
    assert.equal(r.json.reason, 'invalid_bootstrap');
  });
  test('malformed and oversized bodies get JSON errors', async () => {
    const bad = await api(base, '/v1/bootstrap', { raw: '{nope', headers: { origin: ORIGIN } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.reason, 'malformed');
    const big = await api(base, '/v1/bootstrap', { raw: JSON.stringify({ appid: 'demo', pad: 'x'.repeat(20000) }), headers: { origin: ORIGIN } });
    assert.equal(big.status, 413);
    assert.equal((await api(base, '/v1/bootstrap')).status, 405);
  });
});

describe('visitor session', () => {
  test('issues a token and a clue; the clue restores the visitor', async () => {
    const a = await newVisitor(base);
    assert.equal(a.visitor.source, 'initial');
    assert.match(a.visitor.bs_mm, /^[0-9a-f]{64}$/);
    assert.ok(a.visitor.fkid);
    const b = await newVisitor(base, { clue: { bs: a.visitor.bs, bs_mm: a.visitor.bs_mm, fk_id: a.visitor.fkid } });
    assert.equal(b.visitor.source, 'resolved');
    assert.equal(b.visitor.visitorUid, a.visitor.visitorUid);
    const c1 = await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${a.token}` } });
    const c2 = await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${b.token}` } });
    assert.equal(c1.json.conversations[0].id, c2.json.conversations[0].id);
    // The session answer lists the same conversations (the panel's boot makes no request for them).
    assert.equal(a.conversations[0].id, c1.json.conversations[0].id);
    assert.deepEqual(b.conversations, c2.json.conversations);
  });
  test('an edited clue or one from another app starts a new visitor', async () => {
    const a = await newVisitor(base);
    const edited = await newVisitor(base, { clue: { bs: a.visitor.bs + 'x', bs_mm: a.visitor.bs_mm } });
    assert.equal(edited.visitor.source, 'initial');
    assert.notEqual(edited.visitor.visitorUid, a.visitor.visitorUid);
    await api(base, '/v1/test/apps', { body: { appid: 'other', domains: ['localhost'] } });
    const r = await api(base, '/v1/visitor/session', { body: { appid: 'other', hostOrigin: ORIGIN, clue: { bs: a.visitor.bs, bs_mm: a.visitor.bs_mm } } });
    assert.equal(r.json.visitor.source, 'initial');
  });
  test('refuses untrusted host origins and unknown apps', async () => {
    const r = await api(base, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: 'https://evil.io' } });
    assert.equal(r.status, 403);
    assert.equal(r.json.reason, 'domain_not_whitelisted');
    const u = await api(base, '/v1/visitor/session', { body: { appid: 'ghost', hostOrigin: ORIGIN } });
    assert.equal(u.json.reason, 'invalid_bootstrap');
    assert.equal((await api(base, '/v1/visitor/session', { body: { hostOrigin: ORIGIN } })).status, 400);
  });
  test('business login: verified triple attaches the user on every device; bad triples are refused', async () => {
    const login = { sbs: 'user-42', ranstr: 'abc', sbs_mm: loginSignature('user-42', 'demo-secret', 'abc') };
    const d1 = await newVisitor(base, { login, profile: { name: 'Ann' } });
    assert.equal(d1.visitor.businessUser, 'user-42');
    const login2 = { sbs: 'user-42', ranstr: 'zzz', sbs_mm: loginSignature('user-42', 'demo-secret', 'zzz') };
    const d2 = await newVisitor(base, { login: login2 });
    assert.equal(d2.visitor.visitorUid, d1.visitor.visitorUid);
    assert.equal(d2.visitor.source, 'resolved');
    for (const bad of [
      { ...login, sbs_mm: login.sbs_mm.toUpperCase() },
      { ...login, sbs: 'user-43' },
      { sbs: login.sbs, ranstr: login.ranstr },
      { ...login, sbs_mm: '' },
      { sbs: 'user-42', ranstr: 'abc', sbs_mm: loginSignature('user-42', 'other-secret', 'abc') },
    ]) {
      const r = await api(base, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: ORIGIN, login: bad } });
      assert.equal(r.status, 401, JSON.stringify(bad));
      assert.equal(r.json.reason, 'login_failed');
      assert.equal(r.json.token, undefined);
    }
  });
  test('a first login carries the anonymous conversation over; a business visitor never opens to an anonymous clue', async () => {
    const signed = (sbs: string) => ({ sbs, ranstr: 'r1', sbs_mm: loginSignature(sbs, 'demo-secret', 'r1') });
    const clueOf = (s: Awaited<ReturnType<typeof newVisitor>>) => ({ bs: s.visitor.bs, bs_mm: s.visitor.bs_mm, fk_id: s.visitor.fkid });
    const anon = await newVisitor(base);
    // First login of user-first on this browser: the anonymous visitor and its conversation become theirs.
    const first = await newVisitor(base, { clue: clueOf(anon), login: signed('user-first') });
    assert.equal(first.visitor.visitorUid, anon.visitor.visitorUid);
    assert.equal(first.visitor.businessUser, 'user-first');
    assert.deepEqual(first.conversations.map((c) => c.id), anon.conversations.map((c) => c.id));
    // Their clue, left on a shared computer, gives the next anonymous person a new visitor with none of it.
    const next = await newVisitor(base, { clue: clueOf(first) });
    assert.equal(next.visitor.source, 'initial');
    assert.notEqual(next.visitor.visitorUid, first.visitor.visitorUid);
    assert.equal(next.visitor.businessUser, undefined);
    assert.ok(!next.conversations.some((c) => first.conversations.some((f) => f.id === c.id)));
    // Nor does another business user inherit it: a new visitor of their own.
    const other = await newVisitor(base, { clue: clueOf(first), login: signed('user-other') });
    assert.notEqual(other.visitor.visitorUid, first.visitor.visitorUid);
    assert.ok(!other.conversations.some((c) => first.conversations.some((f) => f.id === c.id)));
    // The user's own login, with or without the clue, still finds their visitor.
    const again = await newVisitor(base, { clue: clueOf(first), login: signed('user-first') });
    assert.equal(again.visitor.visitorUid, first.visitor.visitorUid);
  });
  test('profile fields are validated and capped', async () => {
    const v = await newVisitor(base, { profile: { name: 'n'.repeat(500), email: 'not-an-email', referer: 'javascript:alert(1)', nickname: 'Nick\u0000', phone: 12 } });
    const list = await api(base, '/v1/agent/conversations', { headers: agentHeaders() });
    const mine = list.json.conversations.find((c: any) => c.visitor.visitorUid === v.visitor.visitorUid);
    assert.equal(mine.visitor.name.length, 200);
    assert.equal(mine.visitor.nickname, 'Nick');
    assert.equal(mine.visitor.email, undefined);
    assert.equal(mine.visitor.referer, undefined);
    assert.equal(mine.visitor.phone, undefined);
  });
  test('visitor reads need a valid token in the Authorization header', async () => {
    assert.equal((await api(base, '/v1/visitor/conversations')).status, 401);
    assert.equal((await api(base, '/v1/visitor/conversations', { headers: { authorization: 'Bearer nope' } })).json.reason, 'token_revoked');
    const v = await newVisitor(base);
    const convs = await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } });
    assert.equal(convs.status, 200);
    const id = convs.json.conversations[0].id;
    const msgs = await api(base, `/v1/visitor/messages?conversation=${id}&after=0`, { headers: { authorization: `Bearer ${v.token}` } });
    assert.deepEqual(msgs.json, { ok: true, messages: [] });
    const other = await newVisitor(base);
    const foreign = await api(base, `/v1/visitor/messages?conversation=${id}`, { headers: { authorization: `Bearer ${other.token}` } });
    assert.equal(foreign.status, 404);
  });
});

describe('agent API', () => {
  test('needs a known agent key', async () => {
    assert.equal((await api(base, '/v1/agent/conversations')).status, 401);
    assert.equal((await api(base, '/v1/agent/conversations', { headers: agentHeaders('wrong') })).status, 401);
  });
  test('lists, reads, replies and marks read', async () => {
    const v = await newVisitor(base, { profile: { name: 'Bea' } });
    const convs = await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } });
    const id = convs.json.conversations[0].id;
    const sent = await api(base, `/v1/agent/conversations/${id}/messages`, { body: { text: 'Hello Bea', clientId: 'a1' }, headers: agentHeaders() });
    assert.equal(sent.status, 200);
    assert.equal(sent.json.message.seq, 1);
    assert.equal(sent.json.message.author, 'agent');
    const again = await api(base, `/v1/agent/conversations/${id}/messages`, { body: { text: 'Hello Bea', clientId: 'a1' }, headers: agentHeaders() });
    assert.equal(again.json.message.id, sent.json.message.id);
    const read = await api(base, `/v1/agent/conversations/${id}/messages?after=0`, { headers: agentHeaders() });
    assert.equal(read.json.messages.length, 1);
    const list = await api(base, '/v1/agent/conversations', { headers: agentHeaders() });
    const c = list.json.conversations.find((x: any) => x.id === id);
    assert.equal(c.lastMessage.text, 'Hello Bea');
    assert.equal(c.visitor.name, 'Bea');
    assert.equal(c.unread, 0);
    const visitorView = await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } });
    assert.equal(visitorView.json.conversations[0].unread, 1);
    assert.deepEqual((await api(base, `/v1/agent/conversations/${id}/read`, { body: { seq: 1 }, headers: agentHeaders() })).json, { ok: true, agentReadSeq: 1 });
  });
  test('bad requests get JSON errors with status codes', async () => {
    const v = await newVisitor(base);
    const id = (await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } })).json.conversations[0].id;
    const h = agentHeaders();
    const cases: Array<[string, Parameters<typeof api>[2], number]> = [
      [`/v1/agent/conversations/${id}/messages`, { body: { text: '' }, headers: h }, 400],
      [`/v1/agent/conversations/${id}/messages`, { body: { text: 'x'.repeat(4001) }, headers: h }, 413],
      [`/v1/agent/conversations/${id}/messages`, { body: { text: 'x', clientId: 5 }, headers: h }, 400],
      [`/v1/agent/conversations/${id}/messages`, { raw: 'nope', headers: h }, 400],
      [`/v1/agent/conversations/${id}/read`, { body: { seq: -1 }, headers: h }, 400],
      ['/v1/agent/conversations/c_missing/messages', { headers: h }, 404],
      [`/v1/agent/conversations/${id}/messages`, { method: 'DELETE', headers: h }, 405],
      ['/v1/agent/nothing', { headers: h }, 404],
      ['/v1/nothing', {}, 404],
    ];
    for (const [path, init, status] of cases) {
      const r = await api(base, path, init);
      assert.equal(r.status, status, `${path} ${JSON.stringify(init)}`);
      assert.equal(r.json.ok, false);
      assert.equal(typeof r.json.reason, 'string');
    }
  });
  test('an agent scoped to one app sees only that app', async () => {
    // created via the data access the CLI uses
    await server.data.agents.create({ name: 'Scoped', key: 'scoped-key', appid: 'other' });
    const v = await newVisitor(base);
    const id = (await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } })).json.conversations[0].id;
    const r = await api(base, `/v1/agent/conversations/${id}/messages`, { headers: agentHeaders('scoped-key') });
    assert.equal(r.status, 404);
    const list = await api(base, '/v1/agent/conversations', { headers: agentHeaders('scoped-key') });
    assert.ok(list.json.conversations.every((c: any) => c.appid === 'other'));
  });
});

describe('static files', () => {
  test('core.js revalidates every time: no-cache, ETag and 304', async () => {
    const r = await api(base, '/install/core.js');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /javascript/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const etag = r.headers.get('etag')!;
    assert.ok(etag);
    const again = await api(base, '/install/core.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });
  test('content-hashed widget and console scripts are immutable for a year; everything else revalidates', async () => {
    for (const path of ['/widget/panel-Ab3_x-9Z.js', '/console/console-Zz0_ab-C.js']) {
      assert.equal((await api(base, path)).headers.get('cache-control'), 'public, max-age=31536000, immutable', path);
    }
    // A name without a hash could change under the same URL.
    for (const path of ['/widget/panel.js', '/widget/panel.html?appid=demo', '/console/', '/demo/basic.html']) {
      const r = await api(base, path);
      assert.equal(r.headers.get('cache-control'), 'no-cache', path);
      assert.equal((await api(base, path, { headers: { 'if-none-match': r.headers.get('etag')! } })).status, 304, path);
    }
  });
  test('widget HTML is framed only by the app trusted origins', async () => {
    const r = await api(base, '/widget/panel.html?appid=demo');
    const csp = r.headers.get('content-security-policy')!;
    assert.match(csp, /frame-ancestors [^;]*http:\/\/localhost:\*/);
    assert.match(csp, /frame-ancestors [^;]*http:\/\/127\.0\.0\.1:\*/);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1/);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match((await api(base, '/widget/panel.html?appid=ghost')).headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.match((await api(base, '/widget/panel.html')).headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal((await api(base, '/widget/panel.js')).status, 200);
    // Only the launcher may load images from anywhere (the site's own launcher icon).
    assert.match(csp, /img-src 'self' data: blob:;/);
    for (const page of ['launcher.html', 'launcher-dark.html']) {
      const launcher = (await api(base, `/widget/${page}?appid=demo`)).headers.get('content-security-policy')!;
      assert.match(launcher, /img-src 'self' data: blob: https: http:;/, page);
      assert.match(launcher, /script-src 'self';/, page);
    }
  });
  test('the launcher page is as protected as the panel: core.js frames it before the bootstrap answer', async () => {
    // core.js inserts the launcher iframe while /v1/bootstrap is in flight; the page's own frame-ancestors
    // (the app's trusted origins, 'none' for an unknown or disabled app) is what keeps other sites from framing it.
    for (const page of ['launcher.html', 'launcher-dark.html']) {
      const launcher = (await api(base, `/widget/${page}?appid=demo`)).headers.get('content-security-policy')!;
      assert.match(launcher, /frame-ancestors [^;]*http:\/\/localhost:\*/, page);
      for (const q of ['?appid=ghost', '', '?appid=']) {
        assert.match((await api(base, `/widget/${page}${q}`)).headers.get('content-security-policy')!, /frame-ancestors 'none'/, page + q);
      }
    }
  });
  test('no path traversal, no dotfiles', async () => {
    for (const p of ['/widget/%2e%2e/%2e%2e/package.json', '/widget/..%2F..%2Fpackage.json', '/demo/%2e%2e%2f%2e%2e%2fetc/passwd', '/widget/.secret', '/widget/%00']) {
      const r = await api(base, p);
      assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
      assert.doesNotMatch(r.text, /twt-chat-widget|root:/);
    }
  });
  test('demo index listing and console', async () => {
    const r = await api(base, '/demo/');
    assert.equal(r.status, 200);
    assert.match(r.text, /basic\.html/);
    assert.equal((await api(base, '/demo/basic.html')).status, 200);
    const c = await api(base, '/console/');
    assert.equal(c.status, 200);
    assert.match(c.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal((await api(base, '/health')).status, 404);
    assert.equal((await api(base, '/v1/health')).json.ok, true);
  });
});

describe('test-mode endpoints', () => {
  test('create apps with chosen trusted domains; refuse bad domains', async () => {
    const r = await api(base, '/v1/test/apps', { body: { domains: ['example.com'] } });
    assert.equal(r.status, 200);
    assert.ok(r.json.app.appid);
    assert.ok(r.json.app.secret);
    assert.equal((await boot(r.json.app.appid, ORIGIN)).json.reason, 'domain_not_whitelisted');
    assert.equal((await boot(r.json.app.appid, 'https://example.com')).status, 200);
    assert.equal((await api(base, '/v1/test/apps', { body: { domains: ['bad domain'] } })).status, 400);
  });
  test('answer CORS (with preflight) so cross-origin browser tests can use them', async () => {
    const pre = await api(base, '/v1/agent/conversations', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-headers': 'authorization' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(pre.headers.get('access-control-allow-headers')!, /authorization/);
    const r = await api(base, '/v1/test/apps', { body: { domains: ['example.org'] }, headers: { origin: ORIGIN } });
    assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
    const visitorApi = await api(base, '/v1/visitor/conversations', { headers: { origin: ORIGIN } });
    assert.equal(visitorApi.headers.get('access-control-allow-origin'), null);
  });
  test('are off unless test mode is on', async () => {
    const prod = await startTestServer({ testMode: false, seed: false });
    try {
      assert.equal((await api(prod.url, '/v1/test/apps', { body: { domains: ['x.com'] } })).status, 404);
    } finally {
      await prod.close();
    }
  });
});
