// The messages' full-text index (migration 11): its pending list is kept small, so the insert that overflows it
// merges a few hundred kB, not 4 MB (a 190 ms stall of every message behind it at the default). Checked on both
// stores: the setting is on the index after migrating, and search still finds the oldest and the newest of more
// messages than the pending list holds, so merges have run and lost nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from './db/store.js';
import { migrate } from './db/migrations.js';
import { Data } from './data/index.js';
import { testDatabase } from '../test/helpers/node/postgres.js';

const db = testDatabase({ prefix: 'twt_search_index' });
/** Enough messages to overflow a 256 kB pending list several times (each adds a dozen distinct words). */
const MESSAGES = 3000;

for (const kind of ['pglite', 'postgresql'] as const) {
  describe(`messages' full-text index (${kind})`, () => {
    let store: Store | null = null;
    before(async () => {
      if (kind === 'postgresql' && !db.available) return;
      store = await openStore(kind === 'postgresql' ? { databaseUrl: db.url } : {});
      await migrate(store);
    });
    after(() => store?.close());
    const up = (t: { skip(why: string): void }) => {
      if (!store) t.skip(db.skipReason);
      return store!;
    };

    test('its pending list is capped at 256 kB', async (t) => {
      const s = up(t);
      if (!store) return;
      const [row] = await s.query<{ reloptions: string[] | null }>(`SELECT reloptions FROM pg_class WHERE relname = 'messages_text_search'`);
      assert.deepEqual(row?.reloptions, ['gin_pending_list_limit=256']);
    });

    test('search finds the first and the last of more messages than the pending list holds', async (t) => {
      const s = up(t);
      if (!store) return;
      const data = new Data(s);
      const appid = `search_${process.pid}_${kind}`;
      await data.apps.create({ appid, name: 'search index', secret: 's'.repeat(32), greeting: 'hi', domains: ['localhost'] });
      const conv = await data.conversations.ensure(await data.visitors.create(appid, null));
      const words = (i: number) => Array.from({ length: 12 }, (_, k) => `w${i}x${k}`).join(' ');
      for (let i = 0; i < MESSAGES; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => data.messages.append({ conversationId: conv.id, author: 'visitor', text: words(i + j), clientId: `c${i + j}` })));
      }
      for (const i of [0, MESSAGES - 1]) {
        const hits = await data.search.conversations(`w${i}x7`, appid);
        assert.equal(hits.length, 1, `message ${i} found`);
        assert.equal(hits[0]!.conversationId, conv.id);
        assert.equal(hits[0]!.message?.text, words(i));
      }
    });
  });
}
