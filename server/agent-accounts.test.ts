// Agent accounts against a real server: scrypt passwords, console sessions
// (cookie, idle and absolute expiry on a stepped wall clock), the Origin checks
// of cookie-authenticated requests and sockets (CSRF, CSWSH), throttled
// sign-ins without account enumeration, roles and app scope on the admin API,
// API keys per agent, secret rotation with a grace period, and avatars.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { loginSignature } from './auth.js';
import { DEFAULT_SESSION_POLICY } from './data/agent-sessions.js';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './config.js';
import { ORIGIN, TestSocket, agentSocket, api, startTestServer } from '../test/helpers/node/server.js';

describe('passwords', () => {
  test('scrypt with a salt per hash and its parameters stored; only the right password verifies', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'a fresh salt each time');
    assert.equal(await verifyPassword('correct horse battery', a), true);
    assert.equal(await verifyPassword('correct horse batterY', a), false);
    assert.equal(await verifyPassword('correct horse battery', null), false);
    assert.equal(await verifyPassword('correct horse battery', 'scrypt$99999999$8$1$x$y'), false, 'absurd parameters are not run');
    assert.equal(await verifyPassword('x', 'md5$whatever'), false);
  });
});

let wall = Date.parse('2026-11-30T12:00:00Z');
let limitNow = 0;
let server: Awaited<ReturnType<typeof startTestServer>>;
let own: string;

before(async () => {
  server = await startTestServer({
    wallClock: () => wall,
    limitsClock: () => limitNow,
    limits: { signInFailuresPerAccountPer15Min: 3, signInFailuresPerAddressPer15Min: 5 },
  });
  own = server.url;
});
after(() => server.close());
// Every test starts with full sign-in buckets.
beforeEach(() => {
  limitNow += 15 * 60_000;
});

type Answer = Awaited<ReturnType<typeof api>>;
const cookieOf = (r: Answer) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

async function signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  return api(own, '/v1/console/session', { body: { email, password }, headers: { origin: own, ...headers } });
}

/** Signs in as the demo admin; returns the cookie header value. */
async function adminCookie(): Promise<string> {
  const r = await signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
  assert.equal(r.status, 200, r.text);
  return cookieOf(r);
}

const asCookie = (cookie: string, extra: Record<string, string> = {}) => ({ cookie, origin: own, ...extra });

async function createAgent(cookie: string, agent: Record<string, unknown>): Promise<Answer> {
  return api(own, '/v1/agent/admin/agents', { body: { password: 'a-good-password', role: 'agent', ...agent }, headers: asCookie(cookie) });
}

describe('sign-in and sessions', () => {
  test('the demo admin signs in: an HttpOnly, SameSite=Strict session cookie, /me, agent routes by cookie, sign-out ends it', async () => {
    const r = await signIn('  Admin@Example.TEST ', DEMO_ADMIN_PASSWORD);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json.agent, id: typeof r.json.agent.id }, { id: 'number', name: 'Demo Agent', email: DEMO_ADMIN_EMAIL, role: 'admin', appid: null, hasAvatar: false });
    const set = r.headers.get('set-cookie')!;
    assert.match(set, /^twt_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/, 'no Secure over plain http');
    const cookie = cookieOf(r);

    const me = await api(own, '/v1/console/me', { headers: { cookie } });
    assert.equal(me.json.agent.email, DEMO_ADMIN_EMAIL);
    // A same-origin GET (browsers send no Origin on those) and a POST with our Origin.
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { cookie } })).status, 200);
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status, 200);

    const out = await api(own, '/v1/console/session', { method: 'DELETE', headers: asCookie(cookie) });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie')!, /^twt_console=; .*Max-Age=0/);
    assert.equal((await api(own, '/v1/console/me', { headers: { cookie } })).json.agent, null);
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { cookie } })).status, 401);
  });

  test('Secure when the client came over https through a trusted proxy (X-Forwarded-Proto), not when the proxy is not trusted', async () => {
    const behind = await startTestServer({ trustProxyHops: 1 });
    try {
      const host = new URL(behind.url).host;
      const r = await api(behind.url, '/v1/console/session', {
        body: { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD },
        headers: { origin: `https://${host}`, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' },
      });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('set-cookie')!, /; Secure$/);
    } finally {
      await behind.close();
    }
    // Not trusted: the header is the client's word; the origin is http and the https one is refused.
    const spoof = await signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, { origin: own.replace('http:', 'https:'), 'x-forwarded-proto': 'https' });
    assert.equal(spoof.status, 403);
  });

  test('idle and absolute expiry, on the injected wall clock', async () => {
    const cookie = await adminCookie();
    const { idleMs, absoluteMs } = DEFAULT_SESSION_POLICY;
    // Used just before going idle, several times: never idle, yet it ends at its absolute lifetime.
    let spent = 0;
    while (spent + idleMs - 1000 < absoluteMs) {
      wall += idleMs - 1000;
      spent += idleMs - 1000;
      assert.notEqual((await api(own, '/v1/console/me', { headers: { cookie } })).json.agent, null, `alive after ${spent} ms`);
    }
    wall += absoluteMs - spent;
    assert.equal((await api(own, '/v1/console/me', { headers: { cookie } })).json.agent, null, 'over its absolute lifetime');

    const idle = await adminCookie();
    wall += idleMs;
    assert.equal((await api(own, '/v1/console/me', { headers: { cookie: idle } })).json.agent, null, 'idle too long');
  });

  test('unknown email and wrong password get the same answer', async () => {
    const wrong = await signIn(DEMO_ADMIN_EMAIL, 'not-the-password');
    const unknown = await signIn('nobody@example.test', 'not-the-password');
    assert.deepEqual([wrong.status, wrong.json], [401, { ok: false, reason: 'sign_in_failed', message: 'wrong email or password' }]);
    assert.deepEqual([unknown.status, unknown.json], [wrong.status, wrong.json]);
    const nul = await signIn('ad\u0000min@example.test', 'not-the-password');
    assert.deepEqual([nul.status, nul.json], [wrong.status, wrong.json], 'text the store cannot hold is no 500');
    assert.equal(wrong.headers.get('set-cookie'), null);
  });

  test('failed sign-ins are throttled per account (even the right password waits) and per address', async () => {
    const cookie = await adminCookie();
    assert.equal((await createAgent(cookie, { email: 'throttled@example.test', name: 'Throttled' })).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await signIn('throttled@example.test', 'wrong-password')).status, 401);
    const limited = await signIn('throttled@example.test', 'a-good-password');
    assert.equal(limited.status, 429);
    assert.equal(limited.json.reason, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Another account from the same address still signs in (the address has tokens left).
    assert.equal((await signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)).status, 200);
    limitNow += 15 * 60_000;
    assert.equal((await signIn('throttled@example.test', 'a-good-password')).status, 200, 'tokens come back');

    limitNow += 15 * 60_000;
    for (let i = 0; i < 5; i++) assert.equal((await signIn(`guess${i}@example.test`, 'wrong-password')).status, 401);
    assert.equal((await signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)).status, 429, 'the address is out of tries');
  });
});

describe('origin checks of cookie-authenticated requests', () => {
  test('sign-in, sign-out and state-changing agent calls need our own Origin; a foreign Origin is refused even on a GET', async () => {
    assert.equal((await signIn(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, { origin: 'https://evil.example' })).status, 403, 'login CSRF');
    const noOrigin = await api(own, '/v1/console/session', { body: { email: DEMO_ADMIN_EMAIL, password: DEMO_ADMIN_PASSWORD } });
    assert.equal(noOrigin.status, 403);
    const cookie = await adminCookie();
    const post = (headers: Record<string, string>) => api(own, '/v1/agent/admin/apps', { body: { name: 'CSRF', domains: ['example.com'] }, headers: { cookie, ...headers } });
    assert.equal((await post({ origin: 'https://evil.example' })).json.reason, 'cross_origin');
    assert.equal((await post({})).status, 403, 'a POST without Origin');
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { cookie, origin: 'https://evil.example' } })).status, 403);
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status, 403);
    assert.equal((await api(own, '/v1/console/session', { method: 'DELETE', headers: { cookie, origin: 'https://evil.example' } })).status, 403, 'no forced sign-out');
    assert.notEqual((await api(own, '/v1/console/me', { headers: { cookie } })).json.agent, null, 'still signed in');
    // Keys are never sent by a browser on its own: no Origin rule for them.
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { authorization: 'Bearer demo-agent-key', origin: 'https://evil.example' } })).status, 200);
  });

  test('the agent socket: a session cookie counts only on a handshake from our own origin (CSWSH); signing out closes it', async () => {
    const cookie = await adminCookie();
    const mine = await TestSocket.open(server.wsUrl + '/v1/agent/ws', { headers: { cookie }, origin: own });
    mine.send({ type: 'auth' });
    await mine.waitFor((f) => f.type === 'ready');

    const foreign = await TestSocket.open(server.wsUrl + '/v1/agent/ws', { headers: { cookie }, origin: 'https://evil.example' });
    foreign.send({ type: 'auth' });
    assert.equal((await foreign.waitClose()).code, CLOSE.TOKEN_REVOKED, 'the cookie is ignored: no key, no agent');

    await api(own, '/v1/console/session', { method: 'DELETE', headers: asCookie(cookie) });
    assert.equal((await mine.waitClose()).code, CLOSE.TOKEN_REVOKED);
  });
});

describe('roles, scope and keys', () => {
  test('an agent gets 403 on the admin API; an admin creates, resets and deactivates agents; deactivation ends sessions, keys and sockets', async () => {
    const admin = await adminCookie();
    const created = await createAgent(admin, { email: 'Ada@Example.test', name: 'Ada' });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual([created.json.agent.email, created.json.agent.role, created.json.agent.appid], ['ada@example.test', 'agent', null]);
    assert.equal((await createAgent(admin, { email: 'ada@EXAMPLE.test', name: 'Ada again' })).json.reason, 'email_taken', 'emails are unique whatever their case');
    assert.equal((await createAgent(admin, { email: 'short@example.test', name: 'Short', password: 'short' })).json.reason, 'weak_password');
    assert.equal((await createAgent(admin, { email: 'nul@example.test', name: 'N\u0000UL' })).status, 400);
    assert.equal((await createAgent(admin, { email: 'n\u0000ul@example.test', name: 'Nul' })).status, 400);

    const ada = cookieOf(await signIn('ada@example.test', 'a-good-password'));
    assert.equal((await api(own, '/v1/agent/admin/agents', { headers: { cookie: ada } })).status, 403);
    assert.equal((await api(own, '/v1/agent/admin/apps', { body: { name: 'X', domains: ['x.example'] }, headers: asCookie(ada) })).json.reason, 'forbidden');

    const id = created.json.agent.id;
    const key = await api(own, `/v1/agent/admin/agents/${id}/keys`, { body: { label: 'CRM' }, headers: asCookie(admin) });
    assert.match(key.json.key, /^ak_[\w-]{43}$/);
    const keySocket = await agentSocket(server.wsUrl, key.json.key);
    const keys = await api(own, `/v1/agent/admin/agents/${id}/keys`, { headers: { cookie: admin } });
    assert.deepEqual(keys.json.keys.map((k: any) => [k.label, k.revokedAt, typeof k.lastUsedAt]), [['CRM', null, 'string']], 'its use is noted');

    // Reset: the old password and its sessions stop.
    assert.equal((await api(own, `/v1/agent/admin/agents/${id}/password`, { body: { password: 'a-new-password' }, headers: asCookie(admin) })).status, 200);
    assert.equal((await api(own, '/v1/console/me', { headers: { cookie: ada } })).json.agent, null);
    assert.equal((await signIn('ada@example.test', 'a-good-password')).status, 401);
    const ada2 = cookieOf(await signIn('ada@example.test', 'a-new-password'));

    assert.equal((await api(own, `/v1/agent/admin/agents/${id}/deactivate`, { body: {}, headers: asCookie(admin) })).status, 200);
    assert.equal((await keySocket.waitClose()).code, CLOSE.TOKEN_REVOKED);
    assert.equal((await api(own, '/v1/console/me', { headers: { cookie: ada2 } })).json.agent, null);
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { authorization: `Bearer ${key.json.key}` } })).status, 401);
    assert.equal((await signIn('ada@example.test', 'a-new-password')).status, 401);
    const listed = (await api(own, '/v1/agent/admin/agents', { headers: { cookie: admin } })).json.agents.find((a: any) => a.id === id);
    assert.equal(typeof listed.deactivatedAt, 'string');
    const me = (await api(own, '/v1/console/me', { headers: { cookie: admin } })).json.agent;
    assert.equal((await api(own, `/v1/agent/admin/agents/${me.id}/deactivate`, { body: {}, headers: asCookie(admin) })).json.reason, 'self');
  });

  test('revoking one key closes what it opened and leaves the agent and its other keys working', async () => {
    const admin = await adminCookie();
    const id = (await createAgent(admin, { email: 'keys@example.test', name: 'Keys' })).json.agent.id;
    const k1 = (await api(own, `/v1/agent/admin/agents/${id}/keys`, { body: { label: 'one' }, headers: asCookie(admin) })).json;
    const k2 = (await api(own, `/v1/agent/admin/agents/${id}/keys`, { body: { label: 'two' }, headers: asCookie(admin) })).json;
    const s1 = await agentSocket(server.wsUrl, k1.key);
    const s2 = await agentSocket(server.wsUrl, k2.key);
    assert.equal((await api(own, `/v1/agent/admin/agents/${id}/keys/${k1.id}/revoke`, { body: {}, headers: asCookie(admin) })).status, 200);
    assert.equal((await s1.waitClose()).code, CLOSE.TOKEN_REVOKED);
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { authorization: `Bearer ${k1.key}` } })).status, 401);
    s2.send({ type: 'ping' });
    await s2.waitFor((f) => f.type === 'pong');
    assert.equal((await api(own, '/v1/agent/conversations', { headers: { authorization: `Bearer ${k2.key}` } })).status, 200);
    s2.close();
    assert.equal((await api(own, `/v1/agent/admin/agents/${id}/keys/${k1.id}/revoke`, { body: {}, headers: asCookie(admin) })).status, 404, 'already revoked');
  });

  test('an admin of one app sees and manages that app and its agents only; an agent of one app sees its conversations only', async () => {
    const admin = await adminCookie();
    const app = await api(own, '/v1/agent/admin/apps', { body: { name: 'Scoped Shop', appid: 'scoped-shop', domains: ['shop.example'] }, headers: asCookie(admin) });
    assert.equal(app.status, 200, app.text);
    assert.equal((await createAgent(admin, { email: 'boss@shop.example', name: 'Boss', role: 'admin', appid: 'scoped-shop' })).status, 200);
    const boss = cookieOf(await signIn('boss@shop.example', 'a-good-password'));
    const apps = (await api(own, '/v1/agent/admin/apps', { headers: { cookie: boss } })).json.apps;
    assert.deepEqual(apps.map((a: any) => a.appid), ['scoped-shop']);
    assert.equal((await api(own, '/v1/agent/admin/apps/demo', { body: { name: 'Mine now' }, headers: asCookie(boss) })).status, 404);
    assert.equal((await api(own, '/v1/agent/admin/apps', { body: { name: 'New', domains: ['n.example'] }, headers: asCookie(boss) })).status, 403);
    assert.equal((await createAgent(boss, { email: 'everywhere@shop.example', name: 'Everywhere' })).status, 403, 'no all-apps agents');
    assert.equal((await createAgent(boss, { email: 'clerk@shop.example', name: 'Clerk', appid: 'scoped-shop' })).status, 200);
    const agents = (await api(own, '/v1/agent/admin/agents', { headers: { cookie: boss } })).json.agents;
    assert.deepEqual(agents.map((a: any) => a.email).sort(), ['boss@shop.example', 'clerk@shop.example']);
    const demoAdminId = (await api(own, '/v1/console/me', { headers: { cookie: admin } })).json.agent.id;
    assert.equal((await api(own, `/v1/agent/admin/agents/${demoAdminId}/keys`, { headers: { cookie: boss } })).status, 404);

    // A demo-app visitor's conversation is not the clerk's business.
    const visitor = await api(own, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: ORIGIN } });
    await api(own, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${visitor.json.token}` } });
    const clerk = cookieOf(await signIn('clerk@shop.example', 'a-good-password'));
    assert.deepEqual((await api(own, '/v1/agent/conversations', { headers: { cookie: clerk } })).json.conversations, []);
    assert.ok((await api(own, '/v1/agent/conversations', { headers: { cookie: admin } })).json.conversations.length > 0);
  });
});

describe('apps', () => {
  test('secret rotation with a grace period: logins signed with the old secret verify until it ends', async () => {
    const admin = await adminCookie();
    await api(own, '/v1/agent/admin/apps', { body: { name: 'Rotating', appid: 'rotating', domains: ['localhost'] }, headers: asCookie(admin) });
    const before = (await api(own, '/v1/agent/admin/apps', { headers: { cookie: admin } })).json.apps.find((a: any) => a.appid === 'rotating');
    const login = (secret: string) => {
      const ranstr = Math.random().toString(36).slice(2);
      return api(own, '/v1/visitor/session', { body: { appid: 'rotating', hostOrigin: ORIGIN, login: { sbs: 'user-7', ranstr, sbs_mm: loginSignature('user-7', secret, ranstr) } } });
    };
    assert.equal((await login(before.secret)).status, 200);
    const rotated = await api(own, '/v1/agent/admin/apps/rotating/secret', { body: { graceSeconds: 3600 }, headers: asCookie(admin) });
    assert.equal(rotated.status, 200, rotated.text);
    const after = rotated.json.app;
    assert.notEqual(after.secret, before.secret);
    assert.equal(after.previousSecretUntil, new Date(wall + 3600_000).toISOString());
    assert.equal((await login(after.secret)).status, 200);
    assert.equal((await login(before.secret)).status, 200, 'the old secret during the grace period');
    wall += 3600_000;
    assert.equal((await login(before.secret)).json.reason, 'login_failed', 'and not after');
    // Rotating without grace ends the old one at once.
    const again = (await api(own, '/v1/agent/admin/apps/rotating/secret', { body: {}, headers: asCookie(admin) })).json.app;
    assert.equal(again.previousSecretUntil, null);
    assert.equal((await login(after.secret)).json.reason, 'login_failed');
  });

  test('name, greeting and domains are edited; the bootstrap sees the change at once', async () => {
    const admin = await adminCookie();
    const r = await api(own, '/v1/agent/admin/apps/demo', { body: { greeting: 'Welcome back', addDomains: ['shop.example.com'] }, headers: asCookie(admin) });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.app.domains.includes('shop.example.com'));
    const boot = await api(own, '/v1/bootstrap', { body: { appid: 'demo' }, headers: { origin: 'https://shop.example.com' } });
    assert.equal(boot.json.app.greeting, 'Welcome back');
    assert.equal((await api(own, '/v1/agent/admin/apps/demo', { body: { addDomains: ['not a domain'] }, headers: asCookie(admin) })).json.reason, 'invalid_domain');
  });
});

describe('avatars', () => {
  test('checked by content, size-capped, served with nosniff', async () => {
    const cookie = await adminCookie();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 1)]);
    const upload = (body: Buffer) => fetch(own + '/v1/agent/me/avatar', { method: 'POST', body: new Uint8Array(body), headers: { cookie, origin: own, 'content-type': 'image/png' } });
    assert.equal((await upload(Buffer.from('<svg onload=alert(1)></svg><!-- padding -->'))).status, 415, 'a claimed PNG that is not one');
    assert.equal((await upload(Buffer.alloc(300 * 1024, 0xff))).status, 413);
    assert.equal((await upload(png)).status, 200);
    const me = (await api(own, '/v1/console/me', { headers: { cookie } })).json.agent;
    assert.equal(me.hasAvatar, true);
    const got = await fetch(`${own}/v1/agent/agents/${me.id}/avatar`, { headers: { cookie } });
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
  });
});

