/** The demo-only routes (server/demo-login.ts): the login signer and the Vue route. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { handleDemoRoutes, type DemoRoutesOptions } from '../../../server/demo-login.js';
import { verifyLogin } from '../../../server/auth.js';

const secrets: Record<string, { secret: string }> = { demo: { secret: 'demo-secret' }, other: { secret: 'other-secret' } };
const apps = { get: async (appid: string) => (secrets[appid] ? ({ appid, ...secrets[appid] } as never) : null) };
let server: Server;
let base: string;
const DEMO: DemoRoutesOptions = { appid: 'demo', enabled: true };
let options: DemoRoutesOptions = DEMO;

describe('demo routes', () => {
  before(async () => {
    server = createServer(async (req, res) => {
      if (!(await handleDemoRoutes({ apps }, req, res, new URL(req.url ?? '/', 'http://x'), options))) res.writeHead(418).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((ok) => server.close(() => ok())));

  const post = (body: string) => fetch(`${base}/demo/api/login-triple`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('signs a triple that the server login check accepts for the demo app only', async () => {
    options = DEMO;
    const res = await post(JSON.stringify({ sbs: '张三-1001' }));
    assert.equal(res.status, 200);
    const t = await res.json();
    assert.equal(t.sbs, '张三-1001');
    assert.deepEqual(verifyLogin(t, 'demo-secret'), { ok: true, sbs: '张三-1001' });
    assert.equal(verifyLogin(t, 'other-secret').ok, false);
    const t2 = await (await post(JSON.stringify({ sbs: '张三-1001' }))).json();
    assert.notEqual(t2.ranstr, t.ranstr, 'a fresh ranstr each time');
  });

  it('refuses bad input with a clear error', async () => {
    options = DEMO;
    for (const body of ['{}', '{"sbs": ""}', '{"sbs": 5}', `{"sbs": "${'x'.repeat(201)}"}`, '{"sbs": "a\\u0000b"}']) {
      const res = await post(body);
      assert.equal(res.status, 400, body);
      assert.equal((await res.json()).reason, 'malformed');
    }
    assert.equal((await post('not json')).status, 400);
    assert.equal((await fetch(`${base}/demo/api/login-triple`)).status, 405);
  });

  it('is off in production and when the demo app does not exist', async () => {
    options = { ...DEMO, enabled: false };
    assert.equal((await post('{"sbs":"u"}')).status, 404);
    options = { ...DEMO, appid: 'missing' };
    assert.equal((await post('{"sbs":"u"}')).status, 404);
    options = DEMO;
  });

  it('serves Vue for the framework demo and leaves other URLs alone', async () => {
    const vue = await fetch(`${base}/demo/vendor/vue.js`);
    assert.equal(vue.status, 200);
    assert.match(vue.headers.get('content-type') ?? '', /javascript/);
    assert.match(await vue.text(), /createApp/);
    assert.equal((await fetch(`${base}/demo/install.html`)).status, 418);
  });
});
