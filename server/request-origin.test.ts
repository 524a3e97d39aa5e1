// The Origin header of the requests the panel makes (/v1/visitor/session and the
// visitor socket): our own origin (the widget surfaces) or one of the app's trusted
// domains; no Origin at all (a server, not a browser) stays allowed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { ORIGIN, TestSocket, api, newVisitor, startTestServer } from '../test/helpers/node/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const session = (origin?: string) =>
  api(server.url, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: ORIGIN }, headers: origin ? { origin } : {} });

async function socketFrom(origin: string | undefined, token: string): Promise<TestSocket> {
  const s = await TestSocket.open(server.wsUrl + '/v1/ws', origin ? { origin } : {});
  s.send({ type: 'auth', token });
  return s;
}

describe('/v1/visitor/session', () => {
  test('refuses a browser on an untrusted origin even with a trusted hostOrigin', async () => {
    const r = await session('https://evil.example');
    assert.deepEqual([r.status, r.json?.reason], [403, 'domain_not_whitelisted']);
    assert.equal(r.json.token, undefined);
    assert.equal((await session('null')).status, 403);
  });
  test('accepts our own origin (the panel), a trusted domain, and no Origin (a server)', async () => {
    for (const origin of [server.url, ORIGIN, undefined]) assert.equal((await session(origin)).status, 200, String(origin));
  });
});

describe('visitor socket', () => {
  test('an untrusted origin is closed with ORIGIN_REFUSED at auth', async () => {
    const v = await newVisitor(server.url);
    const s = await socketFrom('https://evil.example', v.token);
    assert.equal((await s.waitClose()).code, CLOSE.ORIGIN_REFUSED);
    assert.deepEqual(s.frames, []);
  });
  test('our own origin, a trusted domain and no Origin get ready', async () => {
    const v = await newVisitor(server.url);
    for (const origin of [server.url, ORIGIN, undefined]) {
      const s = await socketFrom(origin, v.token);
      assert.equal((await s.waitFor((f) => f.type === 'ready')).type, 'ready', String(origin));
      s.close();
    }
  });
});
