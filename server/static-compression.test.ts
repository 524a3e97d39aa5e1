// Static files are served compressed when the client accepts it: brotli over
// gzip, Vary: Accept-Encoding, one ETag per encoding, 304 per encoding; the
// build's precompressed sidecars (.br, .gz) are sent as they are.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync, constants as zlib } from 'node:zlib';
import { startTestServer } from '../test/helpers/node/server.js';
import { chooseEncoding, etagMatches } from './http/static-files.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const dist = mkdtempSync(join(tmpdir(), 'twt-dist-gz-'));
const coreJs = 'export const widget = "core";\n'.repeat(400);
const panelHtml = `<!doctype html><title>panel</title>${'<p>hello panel</p>\n'.repeat(200)}`;

before(async () => {
  for (const d of ['install', 'widget', 'console']) mkdirSync(join(dist, d));
  writeFileSync(join(dist, 'install', 'core.js'), coreJs);
  writeFileSync(join(dist, 'install', 'tiny.js'), 'export {}');
  writeFileSync(join(dist, 'widget', 'panel.html'), panelHtml);
  writeFileSync(join(dist, 'widget', 'logo.png'), Buffer.alloc(2048, 7));
  writeFileSync(join(dist, 'console', 'index.html'), panelHtml);
  server = await startTestServer({ distDir: dist });
});
after(() => server.close());

/** A raw GET (no automatic decompression), body as bytes. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed static files', () => {
  test('brotli when accepted, smaller, decodes to the file; Vary and length set', async () => {
    const r = await get('/install/core.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'br');
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(Number(r.headers['content-length']), r.body.length);
    assert.ok(r.body.length < coreJs.length / 5, `${r.body.length} bytes`);
    assert.equal(brotliDecompressSync(r.body).toString(), coreJs);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['cache-control'], 'no-cache');
  });

  test('gzip when br is not accepted (or refused with q=0); identity otherwise', async () => {
    const gz = await get('/install/core.js', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), coreJs);
    const noBr = await get('/install/core.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    assert.equal(noBr.headers['content-encoding'], 'gzip');
    const plain = await get('/install/core.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.equal(plain.body.toString(), coreJs);
    const refused = await get('/install/core.js', { 'accept-encoding': 'identity, *;q=0' });
    assert.equal(refused.status, 200);
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  test('one strong ETag per encoding; 304 only for the matching one', async () => {
    const br = await get('/install/core.js', { 'accept-encoding': 'br' });
    const gz = await get('/install/core.js', { 'accept-encoding': 'gzip' });
    const id = await get('/install/core.js');
    const tags = [br.headers.etag, gz.headers.etag, id.headers.etag];
    assert.equal(new Set(tags).size, 3, String(tags));
    for (const t of tags) assert.match(t!, /^"[^"]+"$/);
    const again = await get('/install/core.js', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
    assert.equal(again.status, 304);
    assert.equal(again.headers.vary, 'Accept-Encoding');
    assert.equal(again.body.length, 0);
    // The brotli ETag does not revalidate a gzip response.
    assert.equal((await get('/install/core.js', { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag! })).status, 200);
    assert.equal((await get('/install/core.js', { 'accept-encoding': 'gzip', 'if-none-match': `"x", W/${gz.headers.etag}` })).status, 304);
  });

  test('widget HTML compressed with its CSP; HEAD has the headers and no body', async () => {
    const r = await get('/widget/panel.html?appid=demo', { 'accept-encoding': 'br' });
    assert.equal(r.headers['content-encoding'], 'br');
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors [^;]*localhost/);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.equal(brotliDecompressSync(r.body).toString(), panelHtml);
    const head = await get('/widget/panel.html?appid=demo', { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], r.headers['content-length']);
    assert.equal(head.body.length, 0);
    const consolePage = await get('/console/', { 'accept-encoding': 'gzip' });
    assert.equal(consolePage.headers['content-encoding'], 'gzip');
  });

  test('images and tiny files are sent as they are', async () => {
    const png = await get('/widget/logo.png', { 'accept-encoding': 'br, gzip' });
    assert.equal(png.headers['content-encoding'], undefined);
    assert.equal(png.headers.vary, undefined);
    assert.equal(png.body.length, 2048);
    const tiny = await get('/install/tiny.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(tiny.headers['content-encoding'], undefined);
    assert.equal(tiny.body.toString(), 'export {}');
  });

  test('a rebuilt file is recompressed (new ETag, new bytes)', async () => {
    const before = await get('/install/core.js', { 'accept-encoding': 'br' });
    const changed = coreJs + '// v2\n';
    writeFileSync(join(dist, 'install', 'core.js'), changed);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dist, 'install', 'core.js'), later, later);
    const after = await get('/install/core.js', { 'accept-encoding': 'br' });
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.equal(brotliDecompressSync(after.body).toString(), changed);
    writeFileSync(join(dist, 'install', 'core.js'), coreJs);
  });
});

describe('precompressed sidecars (scripts/precompress.mjs)', () => {
  // Bodies a request-time compression would not produce (other levels), so the test can tell which was sent.
  const script = 'export const chunk = "panel";\n'.repeat(300);
  const brSidecar = brotliCompressSync(script, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } });
  const gzSidecar = gzipSync(script, { level: 1 });
  before(() => {
    writeFileSync(join(dist, 'widget', 'panel-entry-AbCd1234.js'), script);
    writeFileSync(join(dist, 'widget', 'panel-entry-AbCd1234.js.br'), brSidecar);
    writeFileSync(join(dist, 'widget', 'panel-entry-AbCd1234.js.gz'), gzSidecar);
  });

  test('the sidecar of the chosen encoding is the body, with its length, Vary and the immutable rule', async () => {
    const br = await get('/widget/panel-entry-AbCd1234.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(br.body, brSidecar);
    assert.equal(Number(br.headers['content-length']), brSidecar.length);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    const gz = await get('/widget/panel-entry-AbCd1234.js', { 'accept-encoding': 'gzip, deflate' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gz.body, gzSidecar);
    assert.equal(gunzipSync(gz.body).toString(), script);
    const raw = await get('/widget/panel-entry-AbCd1234.js', { 'accept-encoding': 'identity' });
    assert.equal(raw.headers['content-encoding'], undefined);
    assert.equal(raw.body.toString(), script);
    const again = await get('/widget/panel-entry-AbCd1234.js', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag! });
    assert.equal(again.status, 304);
  });

  test('a sidecar older than its file is not used (the file is compressed at request time)', async () => {
    writeFileSync(join(dist, 'widget', 'stale.js'), script);
    writeFileSync(join(dist, 'widget', 'stale.js.br'), brotliCompressSync('export const old = 1;\n'.repeat(300)));
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(join(dist, 'widget', 'stale.js.br'), earlier, earlier);
    const r = await get('/widget/stale.js', { 'accept-encoding': 'br' });
    assert.equal(r.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(r.body).toString(), script);
  });

  test('sidecars are not served as files of their own', async () => {
    assert.equal((await get('/widget/panel-entry-AbCd1234.js.br')).status, 404);
    assert.equal((await get('/widget/panel-entry-AbCd1234.js.gz')).status, 404);
  });
});

describe('Accept-Encoding: q-values, identity, *', () => {
  const enc = async (accept: string) => {
    const r = await get('/install/core.js', { 'accept-encoding': accept });
    return r.status === 200 ? (r.headers['content-encoding'] ?? 'identity') : r.status;
  };
  test('the highest q wins; ties go to the smaller body', async () => {
    assert.equal(await enc('gzip;q=1, br;q=0.5'), 'gzip');
    assert.equal(await enc('br;q=0.8, gzip;q=0.8'), 'br');
    assert.equal(await enc('br;q=0.5, identity'), 'identity');
    assert.equal(await enc('gzip;q=0.2'), 'gzip');
  });
  test('identity asked for, refused, or left to *', async () => {
    assert.equal(await enc('identity'), 'identity');
    assert.equal(await enc('identity;q=0, gzip'), 'gzip');
    assert.equal(await enc('*;q=0, br'), 'br');
    assert.equal(await enc('*'), 'br');
    assert.equal(await enc(''), 'identity');
  });
  test('nothing acceptable: 406 with a reason, never a body the client refused', async () => {
    const r = await get('/install/core.js', { 'accept-encoding': 'identity;q=0' });
    assert.equal(r.status, 406);
    assert.equal(JSON.parse(r.body.toString()).reason, 'not_acceptable');
    assert.equal((await get('/install/core.js', { 'accept-encoding': '*;q=0' })).status, 406);
    assert.equal((await get('/install/core.js', { 'accept-encoding': 'deflate, identity;q=0' })).status, 406);
  });
});

describe('content negotiation helpers', () => {
  const both = { br: Buffer.from('b'), gzip: Buffer.from('g') };
  test('chooseEncoding', () => {
    assert.equal(chooseEncoding(undefined, both), 'identity');
    assert.equal(chooseEncoding('', both), 'identity');
    assert.equal(chooseEncoding('gzip, br', both), 'br');
    assert.equal(chooseEncoding('BR;Q=0, GZIP', both), 'gzip');
    assert.equal(chooseEncoding('x-gzip', both), 'gzip');
    assert.equal(chooseEncoding('*', both), 'br');
    assert.equal(chooseEncoding('*;q=0', both), null);
    assert.equal(chooseEncoding('*;q=0, identity', both), 'identity');
    assert.equal(chooseEncoding('br', { br: null, gzip: both.gzip }), 'identity');
    assert.equal(chooseEncoding('deflate, compress', both), 'identity');
  });
  test('etagMatches', () => {
    assert.equal(etagMatches(undefined, '"a"'), false);
    assert.equal(etagMatches('"a"', '"a"'), true);
    assert.equal(etagMatches('W/"a"', '"a"'), true);
    assert.equal(etagMatches('"b", "a"', '"a"'), true);
    assert.equal(etagMatches('*', '"a"'), true);
    assert.equal(etagMatches('"a-br"', '"a"'), false);
  });
});
