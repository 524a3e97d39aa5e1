// Agents with faces, against a real server: agent messages name their author
// agent (MessageView.authorAgentId, live and in history), and the public avatar
// route serves only the avatars of agents who serve that app, as images that
// cannot be sniffed into anything else, revalidated by ETag.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentHeaders, api, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(40, 3)]);
const ids: Record<string, number> = {};

before(async () => {
  server = await startTestServer();
  const data = server.data;
  assert.ok(await data.apps.create({ appid: 'other', name: 'Other', secret: 'other-secret', domains: ['localhost'] }));
  assert.ok(await data.agents.create({ name: 'Anna', key: 'anna-key', appid: 'demo' }));
  assert.ok(await data.agents.create({ name: 'Olga', key: 'olga-key', appid: 'other' }));
  assert.ok(await data.agents.create({ name: 'Gabi', key: 'gabi-key', appid: null }));
  assert.ok(await data.agents.create({ name: 'Plain', key: 'plain-key', appid: 'demo' }));
  assert.ok(await data.agents.create({ name: 'Gone', key: 'gone-key', appid: 'demo' }));
  for (const a of await data.agents.list()) ids[a.name] = a.id;
  assert.ok(await data.agents.setAvatar(ids.Anna!, { type: 'image/png', bytes: png }));
  assert.ok(await data.agents.setAvatar(ids.Olga!, { type: 'image/png', bytes: png }));
  assert.ok(await data.agents.setAvatar(ids.Gabi!, { type: 'image/gif', bytes: gif }));
  assert.ok(await data.agents.setAvatar(ids.Gone!, { type: 'image/png', bytes: png }));
  assert.ok(await data.agents.delete({ id: ids.Gone! }));
});
after(() => server.close());

const avatar = (appid: string, id: number | string, headers: Record<string, string> = {}) => fetch(`${server.url}/v1/apps/${appid}/agents/${id}/avatar`, { headers });

describe('visitor-facing avatar route', () => {
  test("serves an avatar of an agent of the app (or of every app) as its image type, nosniff, sandboxed, public", async () => {
    const got = await avatar('demo', ids.Anna!);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(got.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.equal(got.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(got.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);

    const all = await avatar('demo', ids.Gabi!);
    assert.equal(all.headers.get('content-type'), 'image/gif', 'an agent of every app serves this one too');
    assert.deepEqual(Buffer.from(await all.arrayBuffer()), gif);
    assert.equal((await avatar('other', ids.Gabi!)).status, 200);
  });

  test('the ETag is a hash of the bytes: a matching If-None-Match gets a bodiless 304, a new avatar a new ETag', async () => {
    const first = await avatar('demo', ids.Anna!);
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"[\w-]{27}"$/);
    assert.equal((await avatar('demo', ids.Anna!)).headers.get('etag'), etag, 'stable');
    const again = await avatar('demo', ids.Anna!, { 'if-none-match': `"nope", ${etag}` });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    assert.notEqual((await avatar('demo', ids.Gabi!)).headers.get('etag'), etag, 'other bytes, other tag');
  });

  test("one 404 for another app's agent, an unknown app or agent, and malformed ids", async () => {
    const cases: Array<[string, string | number]> = [
      ['demo', ids.Olga!], // serves another app only: no enumeration across apps
      ['other', ids.Anna!],
      ['nosuchapp', ids.Gabi!], // serves every app, but there is no such app
      ['demo', 999999],
      ['demo', '0'],
      ['demo', '-1'],
      ['demo', '1e3'],
      ['demo', '9999999999999999999999'],
      ['DEMO%20x', ids.Anna!],
    ];
    for (const [appid, id] of cases) {
      const r = await avatar(appid, id);
      assert.equal(r.status, 404, `${appid}/${id}`);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await r.json(), { ok: false, reason: 'not_found', message: 'no such avatar' });
    }
  });

  test('an agent without an avatar, or deactivated, has their initial: an SVG image, never a 404 in the panel', async () => {
    for (const id of [ids.Plain!, ids.Gone!]) {
      const r = await avatar('demo', id);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'image/svg+xml');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.match(r.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.match(await r.text(), /^<svg [^]*<text [^>]*>[A-Z]<\/text><\/svg>$/);
    }
  });

  test('the console route for agents keeps working and stays private', async () => {
    const got = await fetch(`${server.url}/v1/agent/agents/${ids.Anna}/avatar`, { headers: agentHeaders('gabi-key') });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('cache-control'), 'private, max-age=60');
    assert.equal(got.headers.get('cross-origin-resource-policy'), null);
    assert.equal((await fetch(`${server.url}/v1/agent/agents/${ids.Anna}/avatar`, { headers: agentHeaders('olga-key') })).status, 404);
  });
});

describe('message authors', () => {
  test("an agent's reply carries its id and name, live to the visitor and in the history; visitor messages carry neither", async () => {
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    socket.send({ type: 'send', text: 'hello?', clientId: 'c1' });
    await socket.waitFor((f) => f.type === 'ack');
    const sent = await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'Hi, Anna here' }, headers: agentHeaders('anna-key') });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.json.message.authorAgentId, ids.Anna);
    const live = await socket.waitFor((f) => f.type === 'message' && f.message.text === 'Hi, Anna here');
    assert.equal(live.message.authorName, 'Anna');
    assert.equal(live.message.authorAgentId, ids.Anna);
    socket.close();

    const history = await api(server.url, `/v1/visitor/messages?conversation=${ready.conversationId}`, { headers: { authorization: `Bearer ${v.token}` } });
    assert.equal(history.status, 200, history.text);
    const [mine, theirs] = history.json.messages;
    assert.equal(mine.author, 'visitor');
    assert.equal('authorAgentId' in mine, false);
    assert.equal(theirs.authorAgentId, ids.Anna);
    // The id the message carries is the one the avatar route takes.
    assert.equal((await avatar('demo', theirs.authorAgentId)).status, 200);
  });
});

describe('reply time', () => {
  test("admins set how soon the app's team replies; the visitor's session answer carries it; anything else is refused", async () => {
    const set = (replyTime: unknown) => api(server.url, '/v1/agent/admin/apps/demo', { body: { replyTime }, headers: agentHeaders() });
    assert.equal((await newVisitor(server.url)).app?.replyTime, undefined, 'not said by default');
    const r = await set('hours');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.app.replyTime, 'hours');
    assert.equal((await newVisitor(server.url)).app?.replyTime, 'hours');
    for (const bad of ['weeks', 1, null, 'HOURS']) {
      const refused = await set(bad);
      assert.equal(refused.status, 400, String(bad));
      assert.equal(refused.json.reason, 'malformed');
    }
    assert.equal((await set('')).json.app.replyTime, '');
    assert.equal((await newVisitor(server.url)).app?.replyTime, undefined, 'cleared');
  });
});
