// Headers every answer carries, whatever route or refusal produced it, and the
// Content-Security-Policy of the pages we serve (console, demo); the demo pages
// are not served in production.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { api, startTestServer } from '../test/helpers/node/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

describe('every answer', () => {
  test('has X-Content-Type-Options: nosniff (404, 301, 302, 405, API and static)', async () => {
    // Redirects are answers too: not followed.
    const answer = (path: string, method = 'GET') => fetch(server.url + path, { method, redirect: 'manual' });
    const answers = [
      await answer('/nowhere'),
      await answer('/widget/nothing-here.js'),
      await answer('/console'),
      await answer('/demo'),
      await answer('/'),
      await answer('/widget/panel.js', 'POST'),
      await answer('/v1/nowhere'),
      await answer('/v1/health'),
      await answer('/widget/panel.html?appid=demo'),
    ];
    assert.deepEqual(
      answers.map((r) => [r.status, r.headers.get('x-content-type-options')]),
      [404, 404, 301, 301, 302, 405, 404, 200, 200].map((status) => [status, 'nosniff']),
    );
  });
});

/** Sends raw bytes on a fresh connection; resolves with the whole answer once the server closes it. */
function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('answers written straight to the socket', () => {
  const upgrade = (path: string, extra = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n') =>
    `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${extra}\r\n`;
  const cases: Array<[string, string, number, string]> = [
    ['an upgrade to a path with no WebSocket', upgrade('/v1/nowhere'), 404, 'not_found'],
    ['an upgrade without a key', upgrade('/v1/ws', 'Sec-WebSocket-Version: 13\r\n'), 400, 'malformed'],
    ['an upgrade with an unknown version', upgrade('/v1/ws', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n'), 400, 'malformed'],
    ['an upgrade by POST', upgrade('/v1/ws').replace(/^GET/, 'POST'), 405, 'method_not_allowed'],
    ['a request the parser refuses', 'NOT A REQUEST\r\n\r\n', 400, 'malformed'],
  ];
  for (const [what, request, status, reason] of cases) {
    test(`${what}: ${status} ${reason}, JSON, nosniff, closed`, async () => {
      const answer = await rawRequest(server.url, request);
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head, new RegExp(`^HTTP/1.1 ${status} `));
      assert.match(head, /\r\nx-content-type-options: nosniff\r\n/i);
      assert.match(head, /\r\nconnection: close(\r\n|$)/i);
      assert.equal(JSON.parse(body).reason, reason);
    });
  }
});

describe('Content-Security-Policy', () => {
  test('the console allows no form to post anywhere', async () => {
    const csp = (await api(server.url, '/console/')).headers.get('content-security-policy') ?? '';
    assert.match(csp, /(^|; )form-action 'none'(;|$)/);
  });
  test('demo pages and the demo listing have one: no plugins, no base, no framing by others', async () => {
    for (const path of ['/demo/', '/demo/install.html', '/demo/vue.html']) {
      const csp = (await api(server.url, path)).headers.get('content-security-policy') ?? '';
      for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'", "form-action 'self'"]) {
        assert.ok(csp.split('; ').includes(directive), `${path}: ${directive} in ${csp}`);
      }
      assert.match(csp, /(^|; )default-src 'self'/, path);
    }
  });
});

test('NODE_ENV=production: no /demo/ (nor the redirect to it)', async () => {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const prod = await startTestServer({ testMode: false });
  try {
    for (const path of ['/demo/', '/demo/install.html', '/demo', '/demo/demo.js', '/demo/vendor/vue.js', '/']) {
      const r = await api(prod.url, path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    }
    // The product is still served.
    assert.equal((await api(prod.url, '/install/core.js')).status, 200);
    assert.equal((await api(prod.url, '/console/')).status, 200);
  } finally {
    process.env.NODE_ENV = before;
    if (before === undefined) delete process.env.NODE_ENV;
    await prod.close();
  }
});
