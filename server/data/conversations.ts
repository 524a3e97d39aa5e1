/**
 * The conversations table: a visitor's conversations, their read marks, and
 * the summaries visitors and agents list (with unread counts and the last
 * message, one query whatever the number of conversations).
 */
import type { AgentConversation, ConversationSummary } from '../../src/shared/wire-protocol.js';
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
  limit?: number;
}

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
      await publish(tx, { kind: 'conversation', conversationId: rows[0]!.id });
      return normConv(rows[0]!);
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
      };
    });
  }

  /**
   * Conversations an agent sees (one app or all, or the given ids / visitors),
   * newest first, with unread counts and last message: one query whatever the
   * number of rows.
   */
  async forAgents(filter: AgentConversationFilter, online: (visitorUid: string) => boolean): Promise<AgentConversation[]> {
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
    const named = !!(filter.ids || filter.visitorUids);
    const max = named ? AGENT_NAMED_MAX : AGENT_LIST_MAX;
    params.push(Math.min(Math.max(filter.limit ?? (named ? max : AGENT_LIST_DEFAULT), 1), max));
    const rows = await this.store.query<ConversationRow & Omit<VisitorRow, 'id'> & { unread: number; last_message: MessageRow | string | null }>(
      `SELECT c.*, v.uid, v.name, v.nickname, v.email, v.phone, v.business_user, v.referer, v.source_title,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > c.agent_read_seq AND m.author = 'visitor') AS unread,
              ${LAST_MESSAGE_SQL} AS last_message
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.updated_at DESC LIMIT $${params.length}`,
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
      ] as const) {
        if (col) (visitor as Record<string, string>)[k] = col;
      }
      const last = lastMessage(r.last_message);
      return {
        id: r.id,
        appid: r.appid,
        visitor,
        lastSeq: Number(r.last_seq),
        unread: Number(r.unread),
        lastMessage: last ? toMessageView(last) : null,
        online: online(r.uid),
        updatedAt: iso(r.updated_at),
      };
    });
  }

  /** Moves a read mark forward (never back, never past last_seq); returns the new mark. */
  async markRead(conversationId: string, side: Side, seq: number): Promise<number | null> {
    const col = side === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
    return this.store.transaction(async (tx) => {
      const rows = await tx.query<Record<string, number>>(
        `UPDATE conversations SET ${col} = GREATEST(${col}, LEAST($2::int, last_seq)) WHERE id = $1 RETURNING ${col}`,
        [conversationId, seq],
      );
      if (!rows[0]) return null;
      await publish(tx, { kind: 'conversation', conversationId });
      return Number(rows[0][col]);
    });
  }
}

/** A row_to_json column: an object or JSON text, depending on the driver. */
function lastMessage(v: MessageRow | string | null): MessageRow | null {
  return typeof v === 'string' ? (JSON.parse(v) as MessageRow) : v;
}

function normConv(r: ConversationRow): ConversationRow {
  return { ...r, visitor_id: Number(r.visitor_id), last_seq: Number(r.last_seq), visitor_read_seq: Number(r.visitor_read_seq), agent_read_seq: Number(r.agent_read_seq) };
}
