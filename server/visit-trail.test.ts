// The visitor context (issue 14, "Visitor context, live"): page and env frames on the visitor socket, the bounded
// visit trail, the live `visitor_page` frame to agents, REST GET /v1/agent/visitors/:uid/context (and per
// conversation), validation, rate limits and scoping to the apps an agent may see. Times of the trail are passed
// in (VisitTrail.record's `at`), never waited for; "nothing arrived" is judged against an ordering sentinel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentHeaders, agentSocket, api, newVisitor, spawnServer, startTestServer, until, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { loginSignature } from './auth.js';
import { VISIT_TRAIL_MAX } from './data/visit-trail.js';
import { VISIT_GAP_MINUTES } from '../src/shared/visitor-context.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The limiters' clock, stopped: no bucket refills during a test. */
const stopped = (t = Date.now()) => () => t;
const context = (server: Server, uid: string, key?: string) => api(server.url, `/v1/agent/visitors/${encodeURIComponent(uid)}/context`, { headers: agentHeaders(key) });

describe('visitor context', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer({ limits: { pagesPer10s: 5 }, limitsClock: stopped() });
    await api(server.url, '/v1/test/apps', { body: { appid: 'other-shop', domains: ['localhost'] } });
    await server.data.agents.create({ name: 'Other Agent', key: 'other-shop-key', appid: 'other-shop' });
    await server.data.agents.create({ name: 'Demo Agent', key: 'demo-only-key', appid: 'demo' });
  });
  after(() => server.close());

  test('pages and the environment reach the agents live and over REST, with the verified business user', async () => {
    const sbs = 'customer-42';
    const ranstr = 'n0nce';
    // The demo app's secret, as the seed sets it.
    const secret = (await server.data.apps.get('demo'))!.secret;
    const v = await newVisitor(server.url, { login: { sbs, ranstr, sbs_mm: loginSignature(sbs, secret, ranstr) }, profile: { name: 'Ada', email: 'ada@example.com', referer: 'https://search.example/q' }, locale: 'fr' });
    const agent = await agentSocket(server.wsUrl);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    socket.send({ type: 'env', browser: 'Chrome 126', os: 'macOS', timeZone: 'Europe/Paris', screen: '1440x900' });
    socket.send({ type: 'page', url: 'https://shop.example/products', title: 'Products' });
    const first = await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === v.visitor.visitorUid);
    assert.equal(first.appid, 'demo');
    assert.deepEqual({ url: first.page.url, title: first.page.title }, { url: 'https://shop.example/products', title: 'Products' });
    socket.send({ type: 'page', url: 'https://shop.example/products/7', title: 'Blue mug' });
    await agent.waitFor((f) => f.type === 'visitor_page' && f.page.url === 'https://shop.example/products/7');

    const r = await context(server, v.visitor.visitorUid);
    assert.equal(r.status, 200);
    const c = r.json.context;
    assert.equal(c.name, 'Ada');
    assert.equal(c.email, 'ada@example.com');
    assert.equal(c.locale, 'fr');
    assert.equal(c.referer, 'https://search.example/q');
    assert.deepEqual(c.businessUser, { id: sbs, verified: true });
    assert.deepEqual([c.browser, c.os, c.timeZone, c.screen], ['Chrome 126', 'macOS', 'Europe/Paris', '1440x900']);
    assert.equal(c.online, true);
    assert.ok(Date.parse(c.firstSeen) <= Date.parse(c.lastSeen));
    assert.equal(c.currentPage.url, 'https://shop.example/products/7');
    assert.deepEqual(
      c.visitPages.map((p: { url: string }) => p.url),
      ['https://shop.example/products', 'https://shop.example/products/7'],
    );

    // The same page again (a reconnect reports it): no new row; a new title refreshes it and is pushed.
    socket.send({ type: 'page', url: 'https://shop.example/products/7', title: 'Blue mug' });
    socket.send({ type: 'page', url: 'https://shop.example/products/7', title: 'Blue mug (sale)' });
    await agent.waitFor((f) => f.type === 'visitor_page' && f.page.title === 'Blue mug (sale)');
    const again = (await context(server, v.visitor.visitorUid)).json.context;
    assert.equal(again.visitPages.length, 2);
    assert.equal(again.currentPage.title, 'Blue mug (sale)');
    // Per conversation too.
    const convs = (await api(server.url, '/v1/agent/conversations', { headers: agentHeaders() })).json.conversations;
    const conv = convs.find((x: { visitor: { visitorUid: string } }) => x.visitor.visitorUid === v.visitor.visitorUid);
    const byConv = await api(server.url, `/v1/agent/conversations/${conv.id}/context`, { headers: agentHeaders() });
    assert.equal(byConv.json.context.visitorUid, v.visitor.visitorUid);
    socket.close();
    agent.close();
  });

  test('bad page and env frames are refused or cleaned; nothing of them is stored (ordering sentinel)', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    const bad = [
      { type: 'page', url: 'javascript:alert(1)', title: 'x' },
      { type: 'page', url: 'data:text/html,hi', title: 'x' },
      { type: 'page', url: '/relative', title: 'x' },
      { type: 'page', url: 'https://user:pw@shop.example/', title: 'x' },
      { type: 'page', url: 'https://shop.example/' + 'a'.repeat(2000), title: 'x' },
      { type: 'page', url: 'https://shop.example/a', title: 42 },
    ];
    for (const f of bad) socket.send(f);
    socket.send({ type: 'env', browser: 'Firefox\u0000 127', os: 7, timeZone: 'Europe/Paris; DROP', screen: '1e9x1' });
    socket.send({ type: 'env', browser: 'Second' });
    // Past the page limit (5 per 10 s, on a stopped clock): the sixth bad page and this good one are refused unread.
    socket.send({ type: 'page', url: 'https://shop.example/ok', title: 'Ok' });
    // The sentinel: frames are answered in order, so once its pong is here every refusal is too.
    socket.send({ type: 'ping' });
    await socket.waitFor((f) => f.type === 'pong');
    const errors = socket.frames.filter((f) => f.type === 'error');
    assert.equal(errors.filter((e) => e.code === 'malformed' && /^page: url/.test(e.message)).length, 5);
    assert.equal(errors.filter((e) => e.code === 'rate_limited').length, 2, JSON.stringify(errors));
    assert.equal(errors.filter((e) => e.code === 'malformed' && /already/.test(e.message)).length, 1);
    const c = (await context(server, v.visitor.visitorUid)).json.context;
    assert.equal(c.currentPage, null);
    assert.equal(c.browser, 'Firefox 127');
    assert.equal(c.os, undefined);
    assert.equal(c.timeZone, undefined);
    assert.equal(c.screen, undefined);
    socket.close();
    // A fresh socket has a fresh page budget; a title loses its control characters and is capped.
    const fresh = await visitorSocket(server.wsUrl, v.token);
    fresh.socket.send({ type: 'page', url: 'https://shop.example/ok', title: 'Ok\u0000 page ' + 'x'.repeat(300) });
    fresh.socket.send({ type: 'ping' });
    await fresh.socket.waitFor((f) => f.type === 'pong');
    const stored = (await context(server, v.visitor.visitorUid)).json.context.currentPage;
    assert.equal(stored.url, 'https://shop.example/ok');
    assert.equal(stored.title.length, 200);
    assert.ok(stored.title.startsWith('Ok page'));
    fresh.socket.close();
  });

  test('the trail keeps the newest pages only, and a gap starts a new visit', async () => {
    const v = await newVisitor(server.url);
    const row = (await server.data.visitors.byUid(v.visitor.visitorUid))!;
    const who = { id: row.id, uid: row.uid, appid: row.appid };
    const t0 = Date.parse('2026-01-05T10:00:00Z');
    for (let i = 0; i < VISIT_TRAIL_MAX + 10; i++) await server.data.visitTrail.record(who, { url: `https://shop.example/p${i}`, title: `P${i}` }, new Date(t0 + i * 1000));
    const kept = await server.data.visitTrail.pages(row.id);
    assert.equal(kept.length, VISIT_TRAIL_MAX);
    assert.equal(kept[0]!.url, 'https://shop.example/p10');
    assert.equal(kept.at(-1)!.url, `https://shop.example/p${VISIT_TRAIL_MAX + 9}`);
    let c = (await context(server, row.uid)).json.context;
    assert.equal(c.visitPages.length, VISIT_TRAIL_MAX);
    // Back after longer than the gap: a new visit, whose pages alone are "this visit".
    const later = t0 + (VISIT_TRAIL_MAX + 9) * 1000 + (VISIT_GAP_MINUTES + 1) * 60_000;
    await server.data.visitTrail.record(who, { url: 'https://shop.example/p0', title: 'P0' }, new Date(later));
    await server.data.visitTrail.record(who, { url: 'https://shop.example/cart', title: 'Cart' }, new Date(later + 60_000));
    c = (await context(server, row.uid)).json.context;
    assert.deepEqual(
      c.visitPages.map((p: { url: string }) => p.url),
      ['https://shop.example/p0', 'https://shop.example/cart'],
    );
    assert.equal(c.currentPage.url, 'https://shop.example/cart');
    assert.equal(c.lastSeen, new Date(later + 60_000).toISOString());
  });

  test('an agent sees only the visitors of its apps: REST 404 and no live frame for another app (ordering sentinel)', async () => {
    const demoVisitor = await newVisitor(server.url);
    const otherVisitor = await newVisitor(server.url, { appid: 'other-shop' });
    assert.equal((await context(server, demoVisitor.visitor.visitorUid, 'other-shop-key')).status, 404);
    assert.equal((await context(server, demoVisitor.visitor.visitorUid, 'demo-only-key')).status, 200);
    assert.equal((await context(server, otherVisitor.visitor.visitorUid, 'demo-only-key')).status, 404);
    assert.equal((await context(server, 'v_doesnotexist', 'demo-only-key')).status, 404);
    assert.equal((await context(server, 'v_\u0000', 'demo-only-key')).status, 404);
    assert.equal((await api(server.url, `/v1/agent/visitors/${demoVisitor.visitor.visitorUid}/context`)).status, 401);

    const other = await agentSocket(server.wsUrl, 'other-shop-key');
    const d = await visitorSocket(server.wsUrl, demoVisitor.token);
    const o = await visitorSocket(server.wsUrl, otherVisitor.token);
    d.socket.send({ type: 'page', url: 'https://demo.example/secret', title: 'Demo' });
    d.socket.send({ type: 'ping' });
    await d.socket.waitFor((f) => f.type === 'pong'); // stored (and its event sent) before the sentinel's
    o.socket.send({ type: 'page', url: 'https://other.example/', title: 'Other' });
    await other.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === otherVisitor.visitor.visitorUid);
    assert.deepEqual(
      other.frames.filter((f) => f.type === 'visitor_page').map((f) => f.visitorUid),
      [otherVisitor.visitor.visitorUid],
    );
    for (const s of [other, d.socket, o.socket]) s.close();
  });
});

const db = testDatabase();

test('two processes on PostgreSQL: a page reported on process A reaches an agent on process B live, and B answers its context', async (t) => {
  if (!db.available) return t.skip(db.skipReason);
  const a = await spawnServer({ databaseUrl: db.url });
  const b = await spawnServer({ databaseUrl: db.url });
  try {
    const agent = await agentSocket(b.wsUrl);
    const v = await newVisitor(a.url);
    const { socket } = await visitorSocket(a.wsUrl, v.token);
    socket.send({ type: 'page', url: 'https://shop.example/across', title: 'Across' });
    const pushed = await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === v.visitor.visitorUid);
    assert.equal(pushed.page.url, 'https://shop.example/across');
    const c = (await api(b.url, `/v1/agent/visitors/${v.visitor.visitorUid}/context`, { headers: agentHeaders() })).json.context;
    assert.equal(c.currentPage.title, 'Across');
    // Presence crosses processes in its own (batched) event, which may come after the page's.
    await until(async () => (await api(b.url, `/v1/agent/visitors/${v.visitor.visitorUid}/context`, { headers: agentHeaders() })).json.context.online, 'online on the other process');
    socket.close();
    agent.close();
  } finally {
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  }
});
