/**
 * The conversations table: a visitor's conversations, their read marks, and
 * the summaries visitors and agents list (with unread counts and the last
 * message, one query whatever the number of conversations).
 */
import type { AgentConversation, ConversationRating, ConversationStatus, RatingValue, ConversationSummary, InboxView, ViewCounts } from '../../src/shared/wire-protocol.js';
import type { Store } from '../db/store.js';
import { randomId } from '../auth.js';
import { publish } from '../events.js';
import { possibleId } from '../storable-input.js';
import type { DataCache } from './cache.js';
import { toMessageView, type MessageRow } from './messages.js';
import { iso } from './rows.js';
import type { VisitorRow } from './visitors.js';

export interface ConversationRow {
  id: string;
  appid: string;
  visitor_id: number;
  last_seq: number;
  visitor_read_seq: number;
  agent_read_seq: number;
  updated_at: Date | string;
  status: ConversationStatus;
  assignee_id: number | null;
  rating?: RatingValue | null;
  rating_comment?: string | null;
  rated_at?: Date | string | null;
  follow_up_email?: string | null;
}

/** The rating columns of a row as the wire carries them. */
function ratingOf(r: Pick<ConversationRow, 'rating' | 'rating_comment' | 'rated_at'>): ConversationRating | null {
  if (!r.rating || !r.rated_at) return null;
  return { value: r.rating, comment: r.rating_comment ?? null, ratedAt: iso(r.rated_at) };
}

/** What the visitor's panel is told of a conversation's state (the `status` frame). */
export interface VisitorStatusView {
  status: ConversationStatus;
  rating: ConversationRating | null;
}

/** The columns a VisitorStatusView is made of. */
const STATUS_COLUMNS = 'id, status, rating, rating_comment, rated_at';

function statusViewOf(r: Pick<ConversationRow, 'status' | 'rating' | 'rating_comment' | 'rated_at'>): VisitorStatusView {
  return { status: r.status, rating: ratingOf(r) };
}

export interface VisitorReadState {
  lastSeq: number;
  visitorReadSeq: number;
  unread: number;
}

export type Side = 'visitor' | 'agent';

export interface AgentConversationFilter {
  /** One app's conversations (else every app's). */
  appid?: string | null;
  /** These conversations, or (with visitorUids) those of these visitors. */
  ids?: readonly string[];
  visitorUids?: readonly string[];
  /** One inbox view (of agent `meId`): see INBOX_VIEWS; the same rule as inInboxView(). */
  view?: InboxView;
  meId?: number;
  limit?: number;
  /** Only conversations after this one in the list's order (newest first): the next page (keyset, see agentPage). */
  after?: PageCursor;
}

/** Where a page of an agent's list ended: the last row's exact updated_at (microseconds, as text) and id. */
export interface PageCursor {
  updatedAt: string;
  id: string;
}

/** The cursor as the API hands it out: opaque to clients (base64url). */
export function encodeCursor(c: PageCursor): string {
  return Buffer.from(`${c.updatedAt}\n${c.id}`).toString('base64url');
}

/** A cursor this server handed out, or null for anything else. */
export function decodeCursor(v: string): PageCursor | null {
  if (!/^[\w-]{1,200}$/.test(v)) return null;
  const [updatedAt, id, ...rest] = Buffer.from(v, 'base64url').toString('utf8').split('\n');
  if (rest.length || !updatedAt || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(updatedAt) || Number.isNaN(Date.parse(updatedAt))) return null;
  const conversationId = possibleId(id);
  return conversationId ? { updatedAt, id: conversationId } : null;
}

/** updated_at as exact text (to the microsecond; a JS Date would cut it to milliseconds and a page would skip rows). */
const CURSOR_AT_SQL = `to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The SQL condition of each inbox view on `c` (conversations); `$me` is replaced by the agent's parameter. Mirrors inInboxView(). */
/** The visitor has reached the team: a message, or a follow-up email left before writing one. */
const REACHED = '(c.last_seq > 0 OR c.follow_up_email IS NOT NULL)';
const VIEW_SQL: Record<InboxView, string> = {
  open: `${REACHED} AND c.status = 'open'`,
  mine: `${REACHED} AND c.status = 'open' AND c.assignee_id = $me`,
  unassigned: `${REACHED} AND c.status = 'open' AND c.assignee_id IS NULL`,
  resolved: `${REACHED} AND c.status = 'resolved'`,
};

/** Rows an agent's list returns by default, and at most. */
const AGENT_LIST_DEFAULT = 200;
const AGENT_LIST_MAX = 500;
/** Rows at most when the conversations are named (by id or visitor). */
const AGENT_NAMED_MAX = 10_000;

/** The newest message of conversation `c`, as JSON (a correlated subquery). */
const LAST_MESSAGE_SQL = '(SELECT row_to_json(m) FROM messages m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1)';

export class Conversations {
  constructor(
    private readonly store: Store,
    private readonly cache: DataCache,
  ) {}

  /** The visitor's latest conversation, created if there is none. */
  async ensure(visitor: VisitorRow): Promise<ConversationRow> {
    const existing = await this.store.query<ConversationRow>('SELECT * FROM conversations WHERE visitor_id = $1 ORDER BY created_at DESC LIMIT 1', [visitor.id]);
    if (existing[0]) return normConv(existing[0]);
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<ConversationRow>('INSERT INTO conversations (id, appid, visitor_id) VALUES ($1, $2, $3) RETURNING *', [
        'c_' + randomId(12),
        visitor.appid,
        visitor.id,
      ]);
      await publish(tx, { kind: 'conversation', conversationId: rows[0]!.id, changed: ['created'] });
      return normConv(rows[0]!);
    });
  }

  /**
   * Deletes a conversation with its messages and files (ON DELETE CASCADE); false when there was none. Every
   * process hears it at commit (hub.ts): the visitor's panels on it clear it and reconnect into another
   * conversation instead of writing into this one, the agents' consoles drop it.
   */
  async delete(id: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<{ appid: string }>('DELETE FROM conversations WHERE id = $1 RETURNING appid', [id]);
      if (rows[0]) await publish(tx, { kind: 'conversation_deleted', conversationId: id, appid: rows[0].appid });
      return rows.length > 0;
    });
  }

  async get(id: string): Promise<ConversationRow | null> {
    if (possibleId(id) === null) return null;
    const rows = await this.store.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    if (!rows[0]) return null;
    const conv = normConv(rows[0]);
    this.cache.rememberConversationAppid(conv.id, conv.appid);
    return conv;
  }

  /** The app a conversation belongs to (never changes, so it is cached), or null if there is no such conversation. */
  async appid(id: string): Promise<string | null> {
    if (possibleId(id) === null) return null;
    return this.cache.conversationAppid(id) ?? (await this.get(id))?.appid ?? null;
  }

  /** The visitor side's read state of a conversation, in one query. */
  async visitorReadState(conversationId: string): Promise<VisitorReadState | null> {
    return (await this.visitorReadStates([conversationId])).get(conversationId) ?? null;
  }

  /** The visitor side's read state of several conversations, in one query. */
  async visitorReadStates(ids: readonly string[]): Promise<Map<string, VisitorReadState>> {
    const out = new Map<string, VisitorReadState>();
    if (!ids.length) return out;
    const rows = await this.store.query<{ id: string; last_seq: number; visitor_read_seq: number; unread: number }>(
      `SELECT c.id, c.last_seq, c.visitor_read_seq,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > c.visitor_read_seq AND m.author <> 'visitor') AS unread
         FROM conversations c WHERE c.id = ANY($1::text[])`,
      [ids],
    );
    for (const r of rows) out.set(r.id, { lastSeq: Number(r.last_seq), visitorReadSeq: Number(r.visitor_read_seq), unread: Number(r.unread) });
    return out;
  }

  /** A visitor's conversations, newest first, with unread counts and last message: one query whatever their number. */
  async ofVisitor(visitorId: number): Promise<ConversationSummary[]> {
    const rows = await this.store.query<ConversationRow & { unread: number; last_message: MessageRow | string | null }>(
      `SELECT c.*,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > c.visitor_read_seq AND m.author <> 'visitor') AS unread,
              ${LAST_MESSAGE_SQL} AS last_message
         FROM conversations c WHERE c.visitor_id = $1 ORDER BY c.updated_at DESC`,
      [visitorId],
    );
    return rows.map((r) => {
      const last = lastMessage(r.last_message);
      return {
        id: r.id,
        lastSeq: Number(r.last_seq),
        visitorReadSeq: Number(r.visitor_read_seq),
        unread: Number(r.unread),
        lastMessage: last ? toMessageView(last) : null,
        updatedAt: iso(r.updated_at),
        status: r.status,
        rating: ratingOf(r),
        followUpEmail: r.follow_up_email ?? null,
      };
    });
  }

  /**
   * The visitor starts a new conversation (its panel then resumes there); agents see it once it has a message.
   * While the newest one has no message yet, that one is the answer: clicking again makes no empty rows.
   */
  async startNew(visitor: VisitorRow): Promise<ConversationRow> {
    return this.store.transaction(async (tx) => {
      // One visitor's starts are serialised, so two tabs clicking at once make one conversation.
      await tx.query('SELECT id FROM visitors WHERE id = $1 FOR UPDATE', [visitor.id]);
      const newest = await tx.query<ConversationRow>('SELECT * FROM conversations WHERE visitor_id = $1 ORDER BY created_at DESC LIMIT 1', [visitor.id]);
      if (newest[0] && Number(newest[0].last_seq) === 0 && !newest[0].follow_up_email) return normConv(newest[0]);
      const rows = await tx.query<ConversationRow>('INSERT INTO conversations (id, appid, visitor_id) VALUES ($1, $2, $3) RETURNING *', ['c_' + randomId(12), visitor.appid, visitor.id]);
      await publish(tx, { kind: 'conversation', conversationId: rows[0]!.id, changed: ['created'] });
      return normConv(rows[0]!);
    });
  }

  /**
   * Stores the follow-up email the visitor `visitorId` left on its conversation (already checked by
   * emailAddress); a new one replaces it. Agents everywhere get the new summary. Null: no such conversation of
   * this visitor.
   */
  async setFollowUpEmail(conversationId: string, visitorId: number, email: string): Promise<string | null> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<{ follow_up_email: string }>(
        'UPDATE conversations SET follow_up_email = $3, follow_up_email_at = now() WHERE id = $1 AND visitor_id = $2 RETURNING follow_up_email',
        [conversationId, visitorId, email],
      );
      if (!rows[0]) return null;
      await publish(tx, { kind: 'conversation', conversationId, changed: ['follow_up_email'] });
      return rows[0].follow_up_email;
    });
  }

  /**
   * The follow-up email visitor `visitorId` left last, on any of its own conversations (never another visitor's),
   * or null: the panel pre-fills its email field with it.
   */
  async lastFollowUpEmail(visitorId: number): Promise<string | null> {
    const rows = await this.store.query<{ follow_up_email: string }>(
      'SELECT follow_up_email FROM conversations WHERE visitor_id = $1 AND follow_up_email IS NOT NULL ORDER BY follow_up_email_at DESC LIMIT 1',
      [visitorId],
    );
    return rows[0]?.follow_up_email ?? null;
  }

  /**
   * Conversations an agent sees (one app or all, or the given ids / visitors),
   * newest first, with unread counts and last message: one query whatever the
   * number of rows.
   */
  async forAgents(filter: AgentConversationFilter, online: (visitorUid: string) => boolean): Promise<AgentConversation[]> {
    const named = !!(filter.ids || filter.visitorUids);
    const max = named ? AGENT_NAMED_MAX : AGENT_LIST_MAX;
    const rows = await this.agentRows(filter, Math.min(Math.max(filter.limit ?? (named ? max : AGENT_LIST_DEFAULT), 1), max), online);
    return rows.map((r) => r.conversation);
  }

  /**
   * One page of an agent's list (newest first, by updated_at then id), and the
   * cursor of the next one (null: this is the last page). Keyset paging: a
   * page starts right after the previous one's last row, so rows neither
   * repeat nor go missing however deep the agent pages (a conversation that
   * changes meanwhile moves to the top, where a reload finds it).
   */
  async agentPage(filter: AgentConversationFilter, online: (visitorUid: string) => boolean): Promise<{ conversations: AgentConversation[]; next: string | null }> {
    const limit = Math.min(Math.max(filter.limit ?? AGENT_LIST_DEFAULT, 1), AGENT_LIST_MAX);
    const rows = await this.agentRows(filter, limit + 1, online);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { conversations: page.map((r) => r.conversation), next: rows.length > limit && last ? encodeCursor(last.cursor) : null };
  }

  private async agentRows(filter: AgentConversationFilter, limit: number, online: (visitorUid: string) => boolean): Promise<Array<{ conversation: AgentConversation; cursor: PageCursor }>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.appid) {
      params.push(filter.appid);
      where.push(`c.appid = $${params.length}`);
    }
    const any: string[] = [];
    if (filter.ids) {
      params.push(filter.ids);
      any.push(`c.id = ANY($${params.length}::text[])`);
    }
    if (filter.visitorUids) {
      params.push(filter.visitorUids);
      any.push(`v.uid = ANY($${params.length}::text[])`);
    }
    if (any.length) where.push(`(${any.join(' OR ')})`);
    if (filter.view) {
      let cond = VIEW_SQL[filter.view];
      if (cond.includes('$me')) {
        params.push(filter.meId ?? 0);
        cond = cond.replace('$me', `$${params.length}::bigint`);
      }
      where.push(cond);
    }
    if (filter.after) {
      params.push(filter.after.updatedAt, filter.after.id);
      where.push(`(c.updated_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::text)`);
    }
    params.push(limit);
    const rows = await this.store.query<AgentConversationRow & { cursor_at: string }>(
      `SELECT c.*, ${CURSOR_AT_SQL} AS cursor_at, v.uid, v.name, v.nickname, v.email, v.phone, v.business_user, v.referer, v.source_title, v.locale,
              asg.name AS assignee_name, rby.name AS resolved_by_name,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > c.agent_read_seq AND m.author = 'visitor') AS unread,
              ${LAST_MESSAGE_SQL} AS last_message
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id
         LEFT JOIN agents asg ON asg.id = c.assignee_id
         LEFT JOIN agents rby ON rby.id = c.resolved_by
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.updated_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => {
      this.cache.rememberConversationAppid(r.id, r.appid);
      const visitor: AgentConversation['visitor'] = { visitorUid: r.uid };
      for (const [k, col] of [
        ['name', r.name],
        ['nickname', r.nickname],
        ['email', r.email],
        ['phone', r.phone],
        ['businessUser', r.business_user],
        ['referer', r.referer],
        ['source_title', r.source_title],
        ['locale', r.locale],
      ] as const) {
        if (col) (visitor as Record<string, string>)[k] = col;
      }
      const last = lastMessage(r.last_message);
      const conversation: AgentConversation = {
        id: r.id,
        appid: r.appid,
        visitor,
        lastSeq: Number(r.last_seq),
        unread: Number(r.unread),
        lastMessage: last ? toMessageView(last) : null,
        online: online(r.uid),
        updatedAt: iso(r.updated_at),
        status: r.status,
        assignee: r.assignee_id === null ? null : { id: Number(r.assignee_id), name: r.assignee_name ?? '' },
        waitingSince: r.waiting_since === null ? null : iso(r.waiting_since),
        resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at),
        resolvedBy: r.resolved_by === null ? null : { id: Number(r.resolved_by), name: r.resolved_by_name ?? '' },
        rating: ratingOf(r),
        followUpEmail: r.follow_up_email ?? null,
      };
      return { conversation, cursor: { updatedAt: r.cursor_at, id: r.id } };
    });
  }

  /** Every inbox view's count for agent `meId` (one app, or every app), and the database's clock: one query. */
  async viewCounts(appid: string | null, meId: number): Promise<{ counts: ViewCounts; serverTime: string }> {
    const rows = await this.store.query<Record<InboxView, number> & { server_time: Date | string }>(
      `SELECT now() AS server_time,
              ${Object.entries(VIEW_SQL)
                .map(([view, cond]) => `count(*) FILTER (WHERE ${cond.replace('$me', '$2::bigint')})::int AS ${view}`)
                .join(', ')}
         FROM conversations c WHERE ($1::text IS NULL OR c.appid = $1)`,
      [appid, meId],
    );
    const r = rows[0]!;
    return { counts: { open: Number(r.open), mine: Number(r.mine), unassigned: Number(r.unassigned), resolved: Number(r.resolved) }, serverTime: iso(r.server_time) };
  }

  /** Assigns a conversation to an agent (null: unassigns it); agents everywhere get the new summary. False: no such conversation. */
  async assign(conversationId: string, agentId: number | null): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE conversations SET assignee_id = $2::bigint WHERE id = $1 RETURNING id', [conversationId, agentId === null ? null : String(agentId)]);
      if (!rows[0]) return false;
      await publish(tx, { kind: 'conversation', conversationId, changed: ['assignee'] });
      return true;
    });
  }

  /**
   * Resolves (by agent `byAgentId`) or reopens a conversation; agents
   * everywhere get the new summary, and the visitor's panels the new status and rating (carried in the event:
   * no process reads them back). (A visitor's message reopens it too: messages.ts.) False: no such conversation.
   */
  async setStatus(conversationId: string, status: ConversationStatus, byAgentId: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows =
        status === 'resolved'
          ? await tx.query<ConversationRow>(
              // A new resolution starts without a rating (the previous one was of the previous resolution).
              `UPDATE conversations SET status = 'resolved', resolved_at = now(), resolved_by = $2::bigint,
                      rating = NULL, rating_comment = NULL, rated_at = NULL
                WHERE id = $1 RETURNING ${STATUS_COLUMNS}`,
              [conversationId, String(byAgentId)],
            )
          : await tx.query<ConversationRow>(`UPDATE conversations SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = $1 RETURNING ${STATUS_COLUMNS}`, [conversationId]);
      if (!rows[0]) return false;
      await publish(tx, { kind: 'conversation', conversationId, changed: ['status'], ...statusViewOf(rows[0]) });
      return true;
    });
  }

  /**
   * The visitor `visitorId` rates its conversation's current resolution (a comment already checked by
   * ratingProblem; blank = none); re-rating replaces it. Agents everywhere get the new summary and the visitor's
   * panels a `status` frame (status and rating carried in the event). `not_found`: no such conversation of this visitor; `not_resolved`: it is open.
   */
  async rate(conversationId: string, visitorId: number, value: RatingValue, comment: string | null): Promise<ConversationRating | 'not_found' | 'not_resolved'> {
    const text = comment?.trim() ? comment.trim() : null;
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<ConversationRow>(
        `UPDATE conversations SET rating = $3, rating_comment = $4, rated_at = now()
          WHERE id = $1 AND visitor_id = $2 AND status = 'resolved' RETURNING *`,
        [conversationId, visitorId, value, text],
      );
      if (!rows[0]) {
        const found = await tx.query('SELECT 1 FROM conversations WHERE id = $1 AND visitor_id = $2', [conversationId, visitorId]);
        return found[0] ? 'not_resolved' : 'not_found';
      }
      await publish(tx, { kind: 'conversation', conversationId, changed: ['rating'], ...statusViewOf(rows[0]) });
      return ratingOf(rows[0])!;
    });
  }

  /** The status and rating of several conversations (for their visitors' `status` frames), in one query. */
  async visitorStatuses(ids: readonly string[]): Promise<Map<string, VisitorStatusView>> {
    const out = new Map<string, VisitorStatusView>();
    if (!ids.length) return out;
    const rows = await this.store.query<ConversationRow>(`SELECT ${STATUS_COLUMNS} FROM conversations WHERE id = ANY($1::text[])`, [ids]);
    for (const r of rows) out.set(r.id, statusViewOf(r));
    return out;
  }

  /**
   * Moves a read mark forward (never back, never past last_seq); returns the new mark. The visitor's mark travels
   * in the event, so every process's unread count for that visitor follows it without a query (hub.ts).
   */
  async markRead(conversationId: string, side: Side, seq: number): Promise<number | null> {
    const col = side === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<Record<string, number>>(
        `UPDATE conversations SET ${col} = GREATEST(${col}, LEAST($2::int, last_seq)) WHERE id = $1 RETURNING ${col}`,
        [conversationId, seq],
      );
      if (!rows[0]) return null;
      const mark = Number(rows[0][col]);
      await publish(tx, side === 'visitor' ? { kind: 'conversation', conversationId, changed: ['visitor_read'], visitorReadSeq: mark } : { kind: 'conversation', conversationId, changed: ['agent_read'] });
      return mark;
    });
  }
}

type AgentConversationRow = ConversationRow &
  Omit<VisitorRow, 'id'> & {
    unread: number;
    last_message: MessageRow | string | null;
    waiting_since: Date | string | null;
    resolved_at: Date | string | null;
    resolved_by: number | null;
    assignee_name: string | null;
    resolved_by_name: string | null;
    locale: string | null;
  };

/** A row_to_json column: an object or JSON text, depending on the driver. */
function lastMessage(v: MessageRow | string | null): MessageRow | null {
  return typeof v === 'string' ? (JSON.parse(v) as MessageRow) : v;
}

function normConv(r: ConversationRow): ConversationRow {
  return { ...r, assignee_id: r.assignee_id === null || r.assignee_id === undefined ? null : Number(r.assignee_id), visitor_id: Number(r.visitor_id), last_seq: Number(r.last_seq), visitor_read_seq: Number(r.visitor_read_seq), agent_read_seq: Number(r.agent_read_seq) };
}
