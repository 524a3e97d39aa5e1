// Admins rename agents and change their roles (POST /v1/agent/admin/agents/:id): validated, scoped like the rest
// of the admin API, in force at once (the cached key lookup is dropped), and never demoting the last active admin
// who can manage the agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './config.js';
import { AGENT_KEY, agentSocket, api, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';

describe('renaming agents and changing roles', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let own = '';
  let admin = '';
  before(async () => {
    server = await startTestServer();
    own = server.url;
    const r = await api(own, '/v1/console/session', { body: { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD }, headers: { origin: own } });
    admin = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  after(() => server.close());

  const as = (cookie: string) => ({ cookie, origin: own });
  const change = (id: number, body: unknown, cookie = admin) => api(own, `/v1/agent/admin/agents/${id}`, { body, headers: as(cookie) });
  async function account(email: string, name: string, extra: Record<string, unknown> = {}) {
    const r = await api(own, '/v1/agent/admin/agents', { body: { email, name, password: 'a-good-password', role: 'agent', ...extra }, headers: as(admin) });
    assert.equal(r.status, 200, r.text);
    const key = (await api(own, `/v1/agent/admin/agents/${r.json.agent.id}/keys`, { body: { label: 'test' }, headers: as(admin) })).json.key as string;
    return { id: r.json.agent.id as number, key };
  }
  const asKey = (key: string, path: string) => api(own, path, { headers: { authorization: `Bearer ${key}` } });

  test('rename and promote / demote: answered with the agent, listed, and in force at once for its key', async () => {
    const ada = await account('ada@example.test', 'Ada');
    assert.equal((await asKey(ada.key, '/v1/agent/admin/agents')).status, 403, 'an agent (and its key now cached)');
    const renamed = await change(ada.id, { name: '  Ada   Lovelace ' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.json.agent.name, renamed.json.agent.role], ['Ada Lovelace', 'agent']);
    const promoted = await change(ada.id, { role: 'admin' });
    assert.equal(promoted.json.agent.role, 'admin');
    assert.equal((await asKey(ada.key, '/v1/agent/admin/agents')).status, 200, 'admin at once, not after the cache’s TTL');
    assert.equal((await change(ada.id, { role: 'agent', name: 'Ada L.' })).status, 200);
    assert.equal((await asKey(ada.key, '/v1/agent/admin/agents')).status, 403, 'demoted at once');
    const listed = (await api(own, '/v1/agent/admin/agents', { headers: { cookie: admin } })).json.agents.find((a: any) => a.id === ada.id);
    assert.deepEqual([listed.name, listed.role], ['Ada L.', 'agent']);
    // Its open socket speaks with the new name: a teammate sees "Ada Again" typing.
    const socket = await agentSocket(server.wsUrl, ada.key);
    const watcher = await agentSocket(server.wsUrl, AGENT_KEY);
    assert.equal((await change(ada.id, { name: 'Ada Again' })).status, 200);
    const { socket: v, ready } = await visitorSocket(server.wsUrl, (await newVisitor(own)).token);
    socket.send({ type: 'typing', conversationId: ready.conversationId, typing: true });
    const seen = await watcher.waitFor((f) => f.type === 'activity' && f.activity === 'typing' && f.agent.id === ada.id);
    assert.equal(seen.agent.name, 'Ada Again');
    v.close();
    socket.close();
    watcher.close();
  });

  test('bad changes are refused with a reason; deactivated, unknown and other apps’ agents too; agents cannot', async () => {
    const bo = await account('bo@example.test', 'Bo');
    for (const body of [{}, { name: '' }, { name: ' ' }, { name: 'x'.repeat(101) }, { name: 'a\u0000b' }, { name: 42 }, { role: 'owner' }, { role: null }]) {
      const r = await change(bo.id, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.reason, 'malformed');
      assert.equal(r.json.ok, false);
    }
    assert.equal((await change(999_999, { name: 'Ghost' })).status, 404);
    assert.equal((await change(bo.id, { name: 'Me' }, '')).status, 401);
    const bo2 = (await api(own, '/v1/console/session', { body: { email: 'bo@example.test', password: 'a-good-password' }, headers: { origin: own } })).headers.get('set-cookie')!.split(';')[0]!;
    assert.equal((await change(bo.id, { role: 'admin' }, bo2)).json.reason, 'forbidden', 'an agent cannot promote itself');
    // An admin of one app does not reach agents of every app.
    await api(own, '/v1/agent/admin/apps', { body: { name: 'Shop', appid: 'shop', domains: ['shop.example'] }, headers: as(admin) });
    await account('boss@shop.example', 'Boss', { role: 'admin', appid: 'shop' });
    const boss = (await api(own, '/v1/console/session', { body: { email: 'boss@shop.example', password: 'a-good-password' }, headers: { origin: own } })).headers.get('set-cookie')!.split(';')[0]!;
    assert.equal((await change(bo.id, { name: 'Taken over' }, boss)).status, 404);
    assert.equal((await api(own, `/v1/agent/admin/agents/${bo.id}/deactivate`, { body: {}, headers: as(admin) })).status, 200);
    assert.equal((await change(bo.id, { name: 'Back' })).json.reason, 'deactivated');
  });

  test('the last active admin of every app cannot be demoted (not even by itself); with a second one it can', async () => {
    const me = (await api(own, '/v1/console/me', { headers: { cookie: admin } })).json.agent;
    const refused = await change(me.id, { role: 'agent' });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.reason, 'last_admin');
    assert.match(refused.json.message, /last active admin of every app/);
    // A renamed last admin is fine; a scoped admin does not count as a second admin of every app.
    assert.equal((await change(me.id, { name: 'Demo Admin', role: 'admin' })).status, 200);
    const cy = await account('cy@example.test', 'Cy', { role: 'admin' });
    assert.equal((await change(me.id, { role: 'agent' })).status, 200, 'Cy is still an admin of every app');
    assert.equal((await asKey(AGENT_KEY, '/v1/agent/admin/agents')).status, 403, 'the demoted admin’s key is an agent’s now');
    assert.equal((await change(cy.id, { role: 'agent' }, (await api(own, '/v1/console/session', { body: { email: 'cy@example.test', password: 'a-good-password' }, headers: { origin: own } })).headers.get('set-cookie')!.split(';')[0]!)).json.reason, 'last_admin', 'now Cy is the last one');
  });
});
