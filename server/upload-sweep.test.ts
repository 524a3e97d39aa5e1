// The background sweep of uploads no message claimed (upload-sweep.ts), on both stores: on the server's clock it
// deletes files left a day unclaimed and uploads cut off an hour ago, with their chunks, and nothing else (a sent
// file, a fresh upload); a run is bounded (batches × batch size) and the rest goes at the next; sweeps running at
// once (two processes on PostgreSQL, two runs on PGlite) delete each file once, without error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ORIGIN, api, manualClock, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { UploadSweep } from './upload-sweep.js';

const db = testDatabase({ prefix: 'twt_sweep' });
const utf8 = (s: string) => new TextEncoder().encode(s);
const EVERY_MS = 60_000;

for (const store of ['pglite', 'postgres'] as const) {
  describe(`the upload sweep on ${store}`, () => {
    const clock = manualClock();
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    let second: Awaited<ReturnType<typeof startTestServer>> | null = null;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      // The heartbeat and presence beats far apart: a step of the sweep's interval must not time the test's socket out.
      const options = { clock, heartbeatMs: 100 * EVERY_MS, presenceBeatMs: 100 * EVERY_MS, uploadSweep: { everyMs: EVERY_MS, batch: 2, maxBatches: 2 }, limits: { messagesPer10s: 100 }, limitsClock: () => 0 };
      server = await startTestServer(store === 'postgres' ? { databaseUrl: db.url, ...options } : options);
      // A second process on the same database: its sweep runs on its own timer (a clock never stepped here).
      if (store === 'postgres') second = await startTestServer({ databaseUrl: db.url, clock: manualClock() });
    });
    after(async () => {
      await second?.close();
      await server?.close();
    });

    /** A visitor's conversation with `names` uploaded (not sent). */
    async function uploads(names: string[]) {
      const s = await api(server!.url, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: ORIGIN } });
      const { socket, ready } = await visitorSocket(server!.wsUrl, s.json.token);
      const ids: string[] = [];
      for (const name of names) {
        const res = await fetch(`${server!.url}/v1/visitor/conversations/${ready.conversationId}/attachments?name=${name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${s.json.token}`, 'content-type': 'text/plain' },
          body: utf8(`the file ${name}`),
        });
        assert.equal(res.status, 200);
        ids.push(((await res.json()) as any).attachment.id);
      }
      return { conversationId: ready.conversationId as string, socket, ids };
    }
    const age = (ids: string[], interval: string) => server!.data.store.query(`UPDATE attachments SET created_at = now() - interval '${interval}' WHERE id = ANY($1::text[])`, [ids]);
    const cutOff = async (conversationId: string, id: string, interval: string) => {
      await server!.data.store.query(`INSERT INTO attachments (id, conversation_id, uploader, uploader_id, name, created_at) VALUES ($1, $2, 'visitor', 'x', 'cut.bin', now() - interval '${interval}')`, [id, conversationId]);
      await server!.data.store.query("INSERT INTO attachment_chunks (attachment_id, n, data) VALUES ($1, 0, '\\x00')", [id]);
    };
    const left = async (ids: string[]) =>
      new Set((await server!.data.store.query<{ id: string }>('SELECT id FROM attachments WHERE id = ANY($1::text[])', [ids])).map((r) => r.id));
    const chunksOf = async (ids: string[]) => (await server!.data.store.query<{ n: number }>('SELECT count(*)::int AS n FROM attachment_chunks WHERE attachment_id = ANY($1::text[])', [ids]))[0]!.n;

    test('on the clock: unclaimed after a day and cut off after an hour go, with their chunks; sent and fresh files stay; a run is bounded', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await uploads(['sent.txt', 'old1.txt', 'old2.txt', 'old3.txt', 'old4.txt', 'fresh.txt']);
      const [sent, o1, o2, o3, o4, fresh] = v.ids as [string, string, string, string, string, string];
      v.socket.send({ type: 'send', clientId: 'c-sent', text: '', attachments: [sent] });
      await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-sent');
      await age([sent, o1, o2, o3, o4], '25 hours');
      await age([fresh], '23 hours');
      await cutOff(v.conversationId, 'f_cut_old', '61 minutes');
      await cutOff(v.conversationId, 'f_cut_new', '59 minutes');
      const all = [...v.ids, 'f_cut_old', 'f_cut_new'];
      const stale = [o1, o2, o3, o4, 'f_cut_old'];

      // A step of the clock starts a run; run() joins it: at most 2 batches of 2, so one stale file is left.
      clock.advance(EVERY_MS);
      assert.equal(await server!.uploadSweep.run(), 4);
      assert.equal((await left(stale)).size, 1);
      // The next run takes the rest.
      clock.advance(EVERY_MS);
      assert.equal(await server!.uploadSweep.run(), 1);
      assert.deepEqual([...(await left(all))].sort(), [sent, fresh, 'f_cut_new'].sort());
      assert.equal(await chunksOf(stale), 0);
      // The sent file is still served; the fresh upload can still be sent.
      v.socket.send({ type: 'send', clientId: 'c-fresh', text: '', attachments: [fresh] });
      const ack = await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-fresh');
      assert.equal(ack.message.attachments[0].id, fresh);
      // Nothing more to do: the next run deletes nothing.
      clock.advance(EVERY_MS);
      assert.equal(await server!.uploadSweep.run(), 0);
      assert.deepEqual([...(await left(all))].sort(), [sent, fresh, 'f_cut_new'].sort());
      v.socket.close();
    });

    test('sweeps at once (two processes on PostgreSQL, two runs on PGlite) delete each file once, without error', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await uploads(Array.from({ length: 12 }, (_, i) => `f${i}.txt`));
      await age(v.ids, '2 days');
      const a = new UploadSweep(server!.data.attachments, { everyMs: EVERY_MS, batch: 3, maxBatches: 10 });
      const b = new UploadSweep((second ?? server)!.data.attachments, { everyMs: EVERY_MS, batch: 3, maxBatches: 10 });
      const [na, nb] = await Promise.all([a.run(), b.run()]);
      assert.equal(na + nb, 12);
      assert.equal((await left(v.ids)).size, 0);
      assert.equal(await chunksOf(v.ids), 0);
      v.socket.close();
    });
  });
}
