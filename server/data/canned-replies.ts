/** The canned_replies table: an app's saved answers, inserted in the console by typing `/shortcut`. */
import type { CannedReplyView } from '../../src/shared/wire-protocol.js';
import type { Store } from '../db/store.js';

interface CannedReplyRow {
  id: number | string;
  appid: string;
  shortcut: string;
  text: string;
}

const view = (r: CannedReplyRow): CannedReplyView => ({ id: Number(r.id), appid: r.appid, shortcut: r.shortcut, text: r.text });

/** A write's outcome: the stored reply, or why not (`exists`: the app already has that shortcut). */
export type CannedReplyWrite = { ok: true; reply: CannedReplyView } | { ok: false; why: 'exists' | 'not_found' };

export class CannedReplies {
  constructor(private readonly store: Store) {}

  /** The replies of one app (null: every app), by shortcut. */
  async list(appid: string | null): Promise<CannedReplyView[]> {
    const rows = await this.store.query<CannedReplyRow>('SELECT id, appid, shortcut, text FROM canned_replies WHERE ($1::text IS NULL OR appid = $1) ORDER BY shortcut, appid', [appid]);
    return rows.map(view);
  }

  async get(id: number): Promise<CannedReplyView | null> {
    const rows = await this.store.query<CannedReplyRow>('SELECT id, appid, shortcut, text FROM canned_replies WHERE id = $1::bigint', [String(id)]);
    return rows[0] ? view(rows[0]) : null;
  }

  async create(r: { appid: string; shortcut: string; text: string }): Promise<CannedReplyWrite> {
    const rows = await this.store.query<CannedReplyRow>(
      'INSERT INTO canned_replies (appid, shortcut, text) VALUES ($1, $2, $3) ON CONFLICT (appid, shortcut) DO NOTHING RETURNING id, appid, shortcut, text',
      [r.appid, r.shortcut, r.text],
    );
    return rows[0] ? { ok: true, reply: view(rows[0]) } : { ok: false, why: 'exists' };
  }

  async update(id: number, r: { shortcut: string; text: string }): Promise<CannedReplyWrite> {
    try {
      const rows = await this.store.query<CannedReplyRow>(
        'UPDATE canned_replies SET shortcut = $2, text = $3, updated_at = now() WHERE id = $1::bigint RETURNING id, appid, shortcut, text',
        [String(id), r.shortcut, r.text],
      );
      return rows[0] ? { ok: true, reply: view(rows[0]) } : { ok: false, why: 'not_found' };
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return { ok: false, why: 'exists' };
      throw err;
    }
  }

  async delete(id: number): Promise<boolean> {
    return (await this.store.query('DELETE FROM canned_replies WHERE id = $1::bigint RETURNING id', [String(id)])).length > 0;
  }
}
