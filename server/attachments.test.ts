// Attachments on both stores (PGlite, and PostgreSQL when there is one): types decided by content (magic bytes,
// UTF-8 text without NUL), the app's limits (size, allowlist, edited on the admin route), uploads by the visitor
// and by an agent scoped to its apps, files claimed by a message and delivered live to both sides, the capability
// URL and its headers, the per-visitor rate limit, and deleting a conversation deleting its files. On PostgreSQL a
// second server process serves a file the first one stored and hears the message through the fan-out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentCheck, imageSize, magicType } from './attachment-content.js';
import { ChunkWriter, cleanFileName } from './attachment-upload.js';
import { ATTACHMENT_CHUNK_BYTES } from './data/attachments.js';
import { contentDisposition } from './http/attachments-api.js';
import { ATTACHMENT_TYPES } from '../src/shared/attachments.js';
import { ORIGIN, agentHeaders, agentSocket, api, startTestServer, visitorSocket, until, AGENT_KEY } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { exe, gifHeader, jpegHeader, pdf, png, webpHeader } from '../test/helpers/attachment-files.js';

const db = testDatabase({ prefix: 'twt_attach' });
const utf8 = (s: string) => new TextEncoder().encode(s);

function verdictOf(chunks: Uint8Array[], allowed = [...ATTACHMENT_TYPES]) {
  const check = new ContentCheck(allowed);
  for (const c of chunks) {
    const refused = check.push(c);
    if (refused) return refused;
  }
  return check.verdict();
}

test('content decides the type: magic numbers, image sizes, UTF-8 text without NUL (split anywhere), never the name', () => {
  assert.equal(magicType(png(3, 2)), 'image/png');
  assert.deepEqual(imageSize('image/png', png(3, 2)), { width: 3, height: 2 });
  assert.deepEqual(imageSize('image/jpeg', jpegHeader(640, 480)), { width: 640, height: 480 });
  assert.deepEqual(imageSize('image/gif', gifHeader(17, 9)), { width: 17, height: 9 });
  assert.deepEqual(imageSize('image/webp', webpHeader(300, 200)), { width: 300, height: 200 });
  assert.equal(magicType(pdf()), 'application/pdf');
  assert.equal(magicType(exe()), null);
  assert.deepEqual(verdictOf([png(5, 4)]), { ok: true, type: 'image/png', width: 5, height: 4 });
  assert.deepEqual(verdictOf([pdf()]), { ok: true, type: 'application/pdf' });
  // Text: a multi-byte character split across chunks is fine; bad UTF-8, NUL, or an executable's bytes are not.
  const euro = utf8('price: 5 € — 済み\n');
  assert.deepEqual(verdictOf([euro.subarray(0, 9), euro.subarray(9, 14), euro.subarray(14)]), { ok: true, type: 'text/plain' });
  assert.deepEqual(verdictOf([utf8('hi')]), { ok: true, type: 'text/plain' });
  for (const bad of [[exe()], [utf8('hello world, then'), Uint8Array.from([0xc3, 0x28])], [utf8('a text with a NUL'), Uint8Array.from([0])], [utf8('ends inside a character '), Uint8Array.from([0xe2, 0x82])]]) {
    const v = verdictOf(bad);
    assert.equal(v.ok, false);
    assert.equal(v.ok === false && v.reason, 'type_not_allowed');
  }
  // The allowlist.
  const v = verdictOf([png(1, 1)], ['application/pdf']);
  assert.equal(v.ok === false && v.reason, 'type_not_allowed');
  assert.deepEqual(verdictOf([]), { ok: false, reason: 'empty', message: 'the file is empty' });
});

test('a body, whatever sizes it arrives in, is stored in chunks of exactly ATTACHMENT_CHUNK_BYTES (the last shorter), in order, byte for byte', async () => {
  const body = Uint8Array.from({ length: 2 * ATTACHMENT_CHUNK_BYTES + 1234 }, (_, i) => (i * 7) % 251);
  const stored: Array<{ n: number; data: Uint8Array }> = [];
  const writer = new ChunkWriter(async (n, data) => void stored.push({ n, data: Uint8Array.from(data) }));
  // Socket-like pieces: small, one straddling a boundary, one larger than a whole chunk.
  for (const [from, to] of [[0, 10], [10, 65_536], [65_536, ATTACHMENT_CHUNK_BYTES + 5], [ATTACHMENT_CHUNK_BYTES + 5, body.length]] as const) await writer.write(body.subarray(from, to));
  await writer.end();
  assert.deepEqual(stored.map((c) => [c.n, c.data.length]), [[0, ATTACHMENT_CHUNK_BYTES], [1, ATTACHMENT_CHUNK_BYTES], [2, 1234]]);
  assert.deepEqual(Buffer.concat(stored.map((c) => c.data)), Buffer.from(body));
});

test('file names: no folders or control characters, capped; the disposition header has an ASCII fallback and the exact name', () => {
  assert.equal(cleanFileName('C:\\Users\\me\\report.pdf'), 'report.pdf');
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('evil\u202egnp.exe'), 'evilgnp.exe');
  assert.equal(cleanFileName('a\u0000b\nc'), 'abc');
  assert.equal(cleanFileName(null), 'file');
  assert.equal(cleanFileName('x'.repeat(500)).length, 200);
  assert.equal(contentDisposition('attachment', 'Résumé "final".pdf'), `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`);
  assert.equal(contentDisposition('inline', "it's.png"), `inline; filename="it's.png"; filename*=UTF-8''it%27s.png`);
});

for (const store of ['pglite', 'postgres'] as const) {
  describe(`attachments on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    let second: Awaited<ReturnType<typeof startTestServer>> | null = null;
    let base = '';
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      // A stopped limiter clock: no bucket refills mid-test.
      const limits = { limits: { messagesPer10s: 20 }, limitsClock: () => 0 };
      server = await startTestServer(store === 'postgres' ? { databaseUrl: db.url, ...limits } : limits);
      base = server.url;
      if (store === 'postgres') second = await startTestServer({ databaseUrl: db.url });
      for (const appid of ['app-a', 'app-b']) assert.equal((await api(base, '/v1/test/apps', { body: { appid, domains: ['localhost'] } })).status, 200);
      await server.data.agents.create({ name: 'Ann (A)', key: 'key-a1', appid: 'app-a' });
      await server.data.agents.create({ name: 'Cid (B)', key: 'key-b1', appid: 'app-b' });
    });
    after(async () => {
      await second?.close();
      await server?.close();
    });

    async function visitor(appid: string) {
      const s = await api(base, '/v1/visitor/session', { body: { appid, hostOrigin: ORIGIN } });
      assert.equal(s.status, 200, s.text);
      const { socket, ready } = await visitorSocket(server!.wsUrl, s.json.token);
      return { id: ready.conversationId as string, socket, token: s.json.token as string };
    }
    const upload = async (path: string, auth: Record<string, string>, body: Uint8Array, name: string, type = 'application/octet-stream') => {
      const res = await fetch(`${base}${path}?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { ...auth, 'content-type': type }, body: body as unknown as BodyInit });
      return { status: res.status, json: (await res.json()) as any };
    };
    const visitorUpload = (v: { id: string; token: string }, body: Uint8Array, name: string, type?: string) =>
      upload(`/v1/visitor/conversations/${v.id}/attachments`, { authorization: `Bearer ${v.token}` }, body, name, type);
    const agentUpload = (key: string, id: string, body: Uint8Array, name: string) => upload(`/v1/agent/conversations/${id}/attachments`, agentHeaders(key), body, name);

    test('a visitor sends an image and a PDF; the agent sees them live, replies with a file; the files are served inert', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const watcher = await agentSocket(server!.wsUrl, 'key-a1');
      const remoteWatcher = second ? await agentSocket(second.wsUrl, 'key-a1') : null;
      const v = await visitor('app-a');
      // The declared type and the name say PNG; the bytes decide.
      const image = await visitorUpload(v, png(4, 3), 'photo.png', 'text/html');
      assert.equal(image.status, 200, JSON.stringify(image.json));
      assert.deepEqual({ ...image.json.attachment, id: 0, url: 0 }, { id: 0, url: 0, name: 'photo.png', type: 'image/png', size: png(4, 3).length, width: 4, height: 3 });
      const doc = await visitorUpload(v, pdf(), 'Résumé.pdf');
      assert.equal(doc.status, 200, JSON.stringify(doc.json));
      assert.equal(doc.json.attachment.type, 'application/pdf');
      // Not yet on a message: nothing was delivered. Then one message carries both, with no text.
      v.socket.send({ type: 'send', clientId: 'c-files', text: '', attachments: [image.json.attachment.id, doc.json.attachment.id] });
      const ack = await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-files');
      assert.deepEqual(ack.message.attachments.map((a: any) => a.name), ['photo.png', 'Résumé.pdf']);
      const seen = await watcher.waitFor((f) => f.type === 'message' && f.message.clientId === 'c-files');
      assert.deepEqual(seen.message.attachments, ack.message.attachments);
      if (remoteWatcher) assert.deepEqual((await remoteWatcher.waitFor((f) => f.type === 'message' && f.message.clientId === 'c-files')).message.attachments, ack.message.attachments);
      // A resend claims the same files and stores nothing new.
      v.socket.send({ type: 'send', clientId: 'c-files', text: '', attachments: [image.json.attachment.id, doc.json.attachment.id] });
      await until(() => v.socket.frames.filter((f) => f.type === 'ack' && f.clientId === 'c-files').length === 2, 'second ack');
      // History carries them too.
      const history = await api(base, `/v1/agent/conversations/${v.id}/messages`, { headers: agentHeaders('key-a1') });
      assert.deepEqual(history.json.messages.at(-1).attachments, ack.message.attachments);

      // Served: the image inline, the PDF as a download; never sniffed, never a page.
      const imageUrl = ack.message.attachments[0].url as string;
      assert.match(imageUrl, /^\/v1\/files\/[A-Za-z0-9_-]{24,}\/f_[A-Za-z0-9_-]+$/);
      for (const b of [base, second?.url].filter(Boolean) as string[]) {
        const res = await fetch(b + imageUrl);
        assert.equal(res.status, 200);
        assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png(4, 3));
        assert.equal(res.headers.get('content-type'), 'image/png');
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox");
        assert.match(res.headers.get('content-disposition')!, /^inline; filename="photo.png"/);
      }
      const pdfRes = await fetch(base + ack.message.attachments[1].url);
      assert.equal(pdfRes.headers.get('content-disposition'), `attachment; filename="R_sum_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`);
      assert.equal(pdfRes.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      // The token is the capability: another token, or another conversation's, finds nothing.
      const [, , , token, fileId] = imageUrl.split('/');
      assert.equal((await fetch(`${base}/v1/files/${token!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}/${fileId}`)).status, 404);
      const other = await visitor('app-a');
      const otherFile = await visitorUpload(other, utf8('hello'), 'note.txt');
      assert.equal((await fetch(`${base}/v1/files/${token}/${otherFile.json.attachment.id}`)).status, 404);

      // The agent replies with a file; the visitor gets it live.
      const reply = await agentUpload('key-a1', v.id, utf8('Steps:\n1. restart\n'), 'steps.txt');
      assert.equal(reply.status, 200, JSON.stringify(reply.json));
      const sent = await api(base, `/v1/agent/conversations/${v.id}/messages`, { headers: { ...agentHeaders('key-a1'), 'content-type': 'application/json' }, body: { text: 'here you go', attachments: [reply.json.attachment.id] } });
      assert.equal(sent.status, 200, sent.text);
      const live = await v.socket.waitFor((f) => f.type === 'message' && f.message.author === 'agent');
      assert.equal(live.message.attachments[0].name, 'steps.txt');
      const txt = await fetch(base + live.message.attachments[0].url);
      assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.match(txt.headers.get('content-disposition')!, /^attachment; /);
      assert.equal(await txt.text(), 'Steps:\n1. restart\n');
      watcher.close();
      remoteWatcher?.close();
      v.socket.close();
      other.socket.close();
    });

    test('refused: by content, over the size limit, empty; a message cannot claim someone else’s file; agents only in their apps', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await visitor('app-a');
      const renamed = await visitorUpload(v, exe(), 'cute-cat.png', 'image/png');
      assert.equal(renamed.status, 415);
      assert.equal(renamed.json.reason, 'type_not_allowed');
      assert.equal(typeof renamed.json.message, 'string');
      assert.equal((await visitorUpload(v, new Uint8Array(0), 'nothing.txt')).json.reason, 'empty');
      // Admin settings: 1 KB, PDF only; a larger file is refused before (Content-Length) and while it streams.
      const edit = await api(base, '/v1/agent/admin/apps/app-a', { headers: { ...agentHeaders(AGENT_KEY), 'content-type': 'application/json' }, body: { attachmentMaxBytes: 1024, attachmentTypes: ['application/pdf'] } });
      assert.equal(edit.status, 200, edit.text);
      assert.deepEqual([edit.json.app.attachmentMaxBytes, edit.json.app.attachmentTypes], [1024, ['application/pdf']]);
      for (const body of [{ attachmentMaxBytes: 0 }, { attachmentTypes: ['application/x-msdownload'] }, { attachmentMaxBytes: '5' }]) {
        assert.equal((await api(base, '/v1/agent/admin/apps/app-a', { headers: { ...agentHeaders(AGENT_KEY), 'content-type': 'application/json' }, body })).status, 400, JSON.stringify(body));
      }
      const big = await visitorUpload(v, new Uint8Array(4096).fill(65), 'big.pdf');
      assert.deepEqual([big.status, big.json.reason], [413, 'too_large']);
      const streamed = await fetch(`${base}/v1/visitor/conversations/${v.id}/attachments?name=s.pdf`, {
        method: 'POST',
        headers: { authorization: `Bearer ${v.token}` },
        body: new ReadableStream({
          start(c) {
            c.enqueue(pdf());
            c.enqueue(new Uint8Array(2048).fill(32));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.deepEqual([streamed.status, ((await streamed.json()) as any).reason], [413, 'too_large']);
      assert.equal((await visitorUpload(v, png(2, 2), 'p.png')).json.reason, 'type_not_allowed');
      assert.equal((await visitorUpload(v, pdf(), 'ok.pdf')).status, 200);
      // Nothing half-stored is left behind by the refusals.
      const left = await server!.data.store.query<{ n: number }>("SELECT count(*)::int AS n FROM attachments a WHERE NOT a.complete");
      assert.equal(left[0]!.n, 0);
      await api(base, '/v1/agent/admin/apps/app-a', { headers: { ...agentHeaders(AGENT_KEY), 'content-type': 'application/json' }, body: { attachmentMaxBytes: 10 * 1024 * 1024, attachmentTypes: [...ATTACHMENT_TYPES] } });

      // Another visitor's file, an agent's file, or an unknown id: not claimable.
      const mine = await visitorUpload(v, utf8('mine'), 'mine.txt');
      const w = await visitor('app-a');
      const theirs = await visitorUpload(w, utf8('theirs'), 'theirs.txt');
      const agents = await agentUpload('key-a1', v.id, utf8('agent'), 'agent.txt');
      for (const ids of [[theirs.json.attachment.id], [agents.json.attachment.id], ['f_nope'], [mine.json.attachment.id, 'f_nope']]) {
        v.socket.send({ type: 'send', clientId: `c-${ids.join()}`, text: 'x', attachments: ids });
        const err = await v.socket.waitFor((f) => f.type === 'error' && f.ref === `c-${ids.join()}`);
        assert.equal(err.code, 'invalid_attachment');
      }
      v.socket.send({ type: 'send', clientId: 'c-bad-list', text: '', attachments: 'f_x' });
      assert.equal((await v.socket.waitFor((f) => f.type === 'error' && f.ref === 'c-bad-list')).code, 'malformed');
      v.socket.send({ type: 'send', clientId: 'c-empty', text: '', attachments: [] });
      assert.equal((await v.socket.waitFor((f) => f.type === 'error' && f.ref === 'c-empty')).code, 'invalid_text');
      // A claimed file cannot ride on a second message.
      v.socket.send({ type: 'send', clientId: 'c-one', text: '', attachments: [mine.json.attachment.id] });
      await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-one');
      v.socket.send({ type: 'send', clientId: 'c-two', text: '', attachments: [mine.json.attachment.id] });
      assert.equal((await v.socket.waitFor((f) => f.type === 'error' && f.ref === 'c-two')).code, 'invalid_attachment');

      // Agents: another app's conversation is unknown; a visitor cannot upload to another visitor's conversation.
      assert.equal((await agentUpload('key-b1', v.id, utf8('x'), 'x.txt')).status, 404);
      assert.equal((await visitorUpload({ id: w.id, token: v.token }, utf8('x'), 'x.txt')).status, 404);
      assert.equal((await visitorUpload({ id: v.id, token: 'nope' }, utf8('x'), 'x.txt')).status, 401);
      v.socket.close();
      w.socket.close();
    });

    test('a file larger than a chunk is stored in chunks and served back byte for byte', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await visitor('app-b');
      const line = 'ünïcode line — 0123456789\n';
      const big = utf8(line.repeat(Math.ceil((600 * 1024) / utf8(line).length)));
      const up = await visitorUpload(v, big, 'log.txt');
      assert.equal(up.status, 200, JSON.stringify(up.json));
      assert.equal(up.json.attachment.size, big.length);
      const chunks = await server!.data.store.query<{ n: number }>('SELECT count(*)::int AS n FROM attachment_chunks WHERE attachment_id = $1', [up.json.attachment.id]);
      assert.equal(chunks[0]!.n, Math.ceil(big.length / (256 * 1024)));
      const res = await fetch(base + up.json.attachment.url);
      assert.equal(res.headers.get('content-length'), String(big.length));
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), big);
      v.socket.close();
    });

    test('an upload first drops what earlier ones left: cut-off files after an hour, files no message named after a day', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await visitor('app-b');
      const ids: string[] = [];
      for (const name of ['sent.txt', 'fresh.txt', 'stale.txt']) ids.push((await visitorUpload(v, utf8(name), name)).json.attachment.id);
      v.socket.send({ type: 'send', clientId: 'c-kept', text: '', attachments: [ids[0]] });
      await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-kept');
      const store = server!.data.store;
      // As if the first two were uploaded two days ago and one was cut off two hours ago.
      await store.query("UPDATE attachments SET created_at = now() - interval '2 days' WHERE id = ANY($1::text[])", [[ids[0], ids[2]]]);
      await store.query("INSERT INTO attachments (id, conversation_id, uploader, uploader_id, name, created_at) VALUES ('f_cut', $1, 'visitor', 'x', 'cut.bin', now() - interval '2 hours')", [v.id]);
      await store.query("INSERT INTO attachment_chunks (attachment_id, n, data) VALUES ('f_cut', 0, $1)", [utf8('partial')]);
      assert.equal((await visitorUpload(v, utf8('new'), 'new.txt')).status, 200);
      const left = await store.query<{ id: string }>('SELECT id FROM attachments WHERE conversation_id = $1', [v.id]);
      assert.deepEqual(new Set(left.map((r) => r.id)).has(ids[0]!), true);
      assert.deepEqual(new Set(left.map((r) => r.id)).has(ids[1]!), true);
      assert.deepEqual(new Set(left.map((r) => r.id)).has(ids[2]!), false);
      assert.deepEqual(new Set(left.map((r) => r.id)).has('f_cut'), false);
      assert.equal((await store.query<{ n: number }>("SELECT count(*)::int AS n FROM attachment_chunks WHERE attachment_id = 'f_cut'"))[0]!.n, 0);
      v.socket.close();
    });

    test('uploads count against the visitor’s message limit', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await visitor('app-b');
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push((await visitorUpload(v, utf8(`file ${i}`), `f${i}.txt`)).status);
      assert.deepEqual(statuses, [...Array(20).fill(200), 429, 429]);
      v.socket.close();
    });

    test('deleting a conversation deletes its files; admins only', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await visitor('app-a');
      const file = await visitorUpload(v, png(2, 2), 'gone.png');
      v.socket.send({ type: 'send', clientId: 'c-gone', text: 'bye', attachments: [file.json.attachment.id] });
      const ack = await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-gone');
      const url = base + ack.message.attachments[0].url;
      assert.equal((await fetch(url)).status, 200);
      const asAgent = await api(base, `/v1/agent/conversations/${v.id}/delete`, { headers: agentHeaders('key-a1'), body: {} });
      assert.deepEqual([asAgent.status, asAgent.json.reason], [403, 'forbidden']);
      assert.equal((await api(base, `/v1/agent/conversations/${v.id}/delete`, { headers: agentHeaders('key-b1'), body: {} })).status, 404);
      const deleted = await api(base, `/v1/agent/conversations/${v.id}/delete`, { headers: agentHeaders(AGENT_KEY), body: {} });
      assert.equal(deleted.status, 200, deleted.text);
      assert.equal((await fetch(url)).status, 404);
      // The visitor's socket is closed so that it reconnects into another conversation.
      assert.equal((await v.socket.waitClose()).code, 1001);
      const rows = await server!.data.store.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM attachments WHERE conversation_id = $1)::int + (SELECT count(*) FROM attachment_chunks WHERE attachment_id = $2)::int AS n',
        [v.id, file.json.attachment.id],
      );
      assert.equal(rows[0]!.n, 0);
      v.socket.close();
    });
  });
}

