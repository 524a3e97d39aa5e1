/** The messages table: storing a message once (with its NOTIFY), and reading them back by seq or by time. */
import type { Author, MessageView } from '../../src/shared/wire-protocol.js';
import type { AttachmentView } from '../../src/shared/attachments.js';
import type { PreparedParam, Store } from '../db/store.js';
import { randomId } from '../auth.js';
import { EVENTS_CHANNEL } from '../events.js';
import { iso } from './rows.js';

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  author: Author;
  author_name: string | null;
  author_agent_id: number | string | null;
  text: string;
  client_id: string | null;
  /** The files it carries (migration 8); a string when it came through a NOTIFY payload's row as JSON text. */
  attachments?: AttachmentView[] | string | null;
  created_at: Date | string;
}

export function toMessageView(r: MessageRow): MessageView {
  const m: MessageView = { id: r.id, conversationId: r.conversation_id, seq: Number(r.seq), author: r.author, text: r.text, createdAt: iso(r.created_at) };
  if (r.author_name) m.authorName = r.author_name;
  if (r.author_agent_id !== null && r.author_agent_id !== undefined) m.authorAgentId = Number(r.author_agent_id);
  if (r.client_id) m.clientId = r.client_id;
  if (r.attachments) m.attachments = typeof r.attachments === 'string' ? (JSON.parse(r.attachments) as AttachmentView[]) : r.attachments;
  return m;
}

/** NOTIFY payloads are capped at 8000 bytes: a longer stored row travels as its id only. */
const NOTIFY_ROW_MAX_BYTES = 7000;
/** Retries of an append that lost the race for a seq to another writer. */
const SEQ_CONFLICT_RETRIES = 20;

// `cur` locks the conversation's row first, so its last_seq and status are the latest committed ones (a SELECT
// FOR UPDATE that waited for another writer reads the row that writer left, where a plain read would see this
// statement's snapshot): the new seq follows the latest, and `reopened` says whether THIS message reopened a
// resolved conversation, even when a resolve committed while this statement ran. It returns only what the caller
// does not know already (seq, created_at): reading back the whole row (the text, the files) cost PGlite's result
// parser about a quarter of a small insert.
const APPEND_SQL = `
    WITH cur AS (
      SELECT id, appid, last_seq, status FROM conversations WHERE id = $2 FOR UPDATE
    ), ins AS (
      INSERT INTO messages (id, conversation_id, seq, author, author_name, text, client_id, author_agent_id, attachments)
      SELECT $1, cur.id, cur.last_seq + 1, $3, $4, $5, $6, $9::bigint, $10::jsonb FROM cur
      ON CONFLICT (conversation_id, client_id) DO NOTHING
      RETURNING *
    ), bump AS (
      UPDATE conversations c SET last_seq = GREATEST(c.last_seq, ins.seq), updated_at = ins.created_at,
             -- A visitor writing again reopens a resolved conversation (its assignee stays).
             status = CASE WHEN ins.author = 'visitor' THEN 'open' ELSE c.status END,
             resolved_at = CASE WHEN ins.author = 'visitor' THEN NULL ELSE c.resolved_at END,
             resolved_by = CASE WHEN ins.author = 'visitor' THEN NULL ELSE c.resolved_by END,
             -- The visitor waits from their first unanswered message until an agent answers.
             waiting_since = CASE ins.author WHEN 'visitor' THEN COALESCE(c.waiting_since, ins.created_at) WHEN 'agent' THEN NULL ELSE c.waiting_since END
        FROM ins WHERE c.id = ins.conversation_id
    )
    SELECT ins.seq, ins.created_at, pg_notify($7, json_build_object(
      'kind', 'message', 'conversationId', ins.conversation_id, 'messageId', ins.id, 'seq', ins.seq,
      'appid', cur.appid,
      'reopened', ins.author = 'visitor' AND cur.status = 'resolved',
      'row', CASE WHEN octet_length(stored::text) <= $8::int THEN stored END)::text) AS notified
    FROM ins, cur, row_to_json(ins) AS stored`;

export class Messages {
  /** The message insert: prepared once, group-committed (see Store.prepared). */
  private readonly appendStatement: (params: readonly PreparedParam[]) => Promise<Array<Pick<MessageRow, 'seq' | 'created_at'>>>;

  constructor(private readonly store: Store) {
    this.appendStatement = store.prepared<Pick<MessageRow, 'seq' | 'created_at'>>('twt_append_message', APPEND_SQL, ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'text', 'text'], {
      // A conversation's messages commit in order (their seqs); different conversations' in parallel batches.
      orderedBy: 1,
    });
  }

  /**
   * Stores a message once per (conversation, clientId) in ONE statement
   * (committed with the other inserts of its event-loop turn, Store.prepared's
   * group commit): the insert takes seq = last_seq + 1, bumps
   * last_seq only when it inserted, and queues the NOTIFY (sent at commit) with
   * the stored row inline, so no receiver has to read it back, and with
   * `reopened` (a visitor's message to a resolved conversation reopens it), so
   * only such a message makes receivers refresh the conversation's status.
   * Returns after COMMIT. A resend (same clientId) inserts nothing and gets the stored row.
   * Two writers of one conversation (PostgreSQL, several processes) queue on
   * its row lock, and the second takes the seq after the first's; should two
   * still race for one seq, the loser hits the (conversation_id, seq) unique
   * index and retries, so seqs stay unique, gapless and in commit order.
   */
  async append(m: {
    conversationId: string;
    author: Author;
    authorName?: string | null;
    authorAgentId?: number | null;
    text: string;
    clientId?: string | null;
    /** Files claimed for it (data/attachments.ts claim()). */
    attachments?: readonly AttachmentView[];
  }): Promise<{ message: MessageView; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const row: MessageRow = {
        id: 'm_' + randomId(12),
        conversation_id: m.conversationId,
        seq: 0,
        author: m.author,
        author_name: m.authorName ?? null,
        author_agent_id: m.authorAgentId ?? null,
        text: m.text,
        client_id: m.clientId ?? null,
        attachments: m.attachments?.length ? [...m.attachments] : null,
        created_at: '',
      };
      let stored: Array<Pick<MessageRow, 'seq' | 'created_at'>>;
      try {
        stored = await this.appendStatement([
          row.id,
          row.conversation_id,
          row.author,
          row.author_name,
          row.text,
          row.client_id,
          EVENTS_CHANNEL,
          NOTIFY_ROW_MAX_BYTES,
          row.author_agent_id === null ? null : String(row.author_agent_id),
          row.attachments ? JSON.stringify(row.attachments) : null,
        ]);
      } catch (err) {
        if (attempt < SEQ_CONFLICT_RETRIES && isSeqConflict(err)) continue;
        throw err;
      }
      if (stored[0]) return { message: toMessageView({ ...row, seq: stored[0].seq, created_at: stored[0].created_at }), created: true };
      if (m.clientId) {
        const dup = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2', [m.conversationId, m.clientId]);
        if (dup[0]) return { message: toMessageView(dup[0]), created: false };
      }
      throw new Error('conversation not found');
    }
  }

  async after(conversationId: string, after: number, limit = 200): Promise<MessageView[]> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3', [
      conversationId,
      after,
      Math.min(Math.max(limit, 1), 500),
    ]);
    return rows.map(toMessageView);
  }

  /** The database's clock `lookbackMs` ago (an ISO-ish timestamptz literal), for since(). */
  async dbTimeAgo(lookbackMs: number): Promise<string> {
    const rows = await this.store.query<{ t: string }>('SELECT (now() - make_interval(secs => $1::float8))::text AS t', [Math.max(0, lookbackMs) / 1000]);
    return rows[0]!.t;
  }

  /**
   * Messages stored at or after `since` (a dbTimeAgo value), of these apps
   * (null: every app), in (conversation, seq) order after the key `after`,
   * `limit` at most: what a process that could not hear NOTIFYs may have missed.
   */
  async since(
    since: string,
    appids: readonly string[] | null,
    after: { conversationId: string; seq: number } | null,
    limit = 500,
  ): Promise<Array<{ appid: string; message: MessageView }>> {
    const rows = await this.store.query<MessageRow & { conv_appid: string }>(
      `SELECT m.*, c.appid AS conv_appid FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.updated_at >= $1::timestamptz AND m.created_at >= $1::timestamptz
          AND ($2::text[] IS NULL OR c.appid = ANY($2::text[]))
          AND (m.conversation_id, m.seq) > ($3::text, $4::int)
        ORDER BY m.conversation_id, m.seq LIMIT $5`,
      [since, appids ? [...appids] : null, after?.conversationId ?? '', after?.seq ?? -1, Math.min(Math.max(limit, 1), 1000)],
    );
    return rows.map((r) => ({ appid: r.conv_appid, message: toMessageView(r) }));
  }

  async get(id: string): Promise<MessageView | null> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
    return rows[0] ? toMessageView(rows[0]) : null;
  }
}

/** Unique violation on (conversation_id, seq): another writer took that seq first. */
function isSeqConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && /seq/.test(e.constraint ?? e.message ?? '');
}
