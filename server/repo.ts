/**
 * Data access: every SQL statement of the server lives here, written once for
 * both stores. Rows are mapped to the wire shapes of src/protocol/wire.ts.
 */
import type { MessageView, ConversationSummary, AgentConversation, AppInfo, Author, VisitorProfile } from '../src/protocol/wire.js';
import type { Queryable, Store } from './db/store.js';
import { randomId, sha256Hex } from './auth.js';
import type { ServerEvent } from './events.js';
import { EVENTS_CHANNEL } from './events.js';

export interface AppRow {
  appid: string;
  name: string;
  secret: string;
  greeting: string;
  disabled: boolean;
  domains: string[];
}

export interface VisitorRow {
  id: number;
  uid: string;
  appid: string;
  bs: string;
  fkid: string;
  business_user: string | null;
  name: string | null;
  nickname: string | null;
  email: string | null;
  phone: string | null;
  referer: string | null;
  source_title: string | null;
  banned: boolean;
  token_epoch: number;
}

export interface ConversationRow {
  id: string;
  appid: string;
  visitor_id: number;
  last_seq: number;
  visitor_read_seq: number;
  agent_read_seq: number;
  updated_at: Date | string;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  author: Author;
  author_name: string | null;
  text: string;
  client_id: string | null;
  created_at: Date | string;
}

export interface AgentRow {
  id: number;
  name: string;
  appid: string | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function toMessageView(r: MessageRow): MessageView {
  const m: MessageView = { id: r.id, conversationId: r.conversation_id, seq: Number(r.seq), author: r.author, text: r.text, createdAt: iso(r.created_at) };
  if (r.author_name) m.authorName = r.author_name;
  if (r.client_id) m.clientId = r.client_id;
  return m;
}

export function appInfo(app: AppRow): AppInfo {
  return { appid: app.appid, name: app.name, greeting: app.greeting };
}

export async function publish(q: Queryable, event: ServerEvent): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}

export class Repo {
  constructor(readonly store: Store) {}

  // --- settings ---------------------------------------------------------
  /** Returns the stored value, or stores `fallback` first if there is none (first writer wins across processes). */
  async settingOrInit(key: string, fallback: string): Promise<string> {
    await this.store.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, fallback]);
    const rows = await this.store.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]!.value;
  }

  // --- apps -------------------------------------------------------------
  async getApp(appid: string): Promise<AppRow | null> {
    const rows = await this.store.query<Omit<AppRow, 'domains'>>('SELECT appid, name, secret, greeting, disabled FROM apps WHERE appid = $1', [appid]);
    if (!rows[0]) return null;
    const domains = await this.store.query<{ domain: string }>('SELECT domain FROM app_domains WHERE appid = $1 ORDER BY domain', [appid]);
    return { ...rows[0], domains: domains.map((d) => d.domain) };
  }

  async listApps(): Promise<AppRow[]> {
    const apps = await this.store.query<Omit<AppRow, 'domains'>>('SELECT appid, name, secret, greeting, disabled FROM apps ORDER BY appid');
    const domains = await this.store.query<{ appid: string; domain: string }>('SELECT appid, domain FROM app_domains ORDER BY domain');
    return apps.map((a) => ({ ...a, domains: domains.filter((d) => d.appid === a.appid).map((d) => d.domain) }));
  }

  /** Creates the app unless it exists; returns whether it was created. */
  async createApp(app: { appid: string; name: string; secret: string; greeting?: string; domains: string[] }): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('INSERT INTO apps (appid, name, secret, greeting) VALUES ($1, $2, $3, $4) ON CONFLICT (appid) DO NOTHING RETURNING appid', [
        app.appid,
        app.name,
        app.secret,
        app.greeting ?? '',
      ]);
      if (!rows.length) return false;
      for (const d of app.domains) await tx.query('INSERT INTO app_domains (appid, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING', [app.appid, d]);
      return true;
    });
  }

  async setDomains(appid: string, add: string[], remove: string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const d of add) await tx.query('INSERT INTO app_domains (appid, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING', [appid, d]);
      for (const d of remove) await tx.query('DELETE FROM app_domains WHERE appid = $1 AND domain = $2', [appid, d]);
    });
  }

  async setAppDisabled(appid: string, disabled: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE apps SET disabled = $2 WHERE appid = $1 RETURNING appid', [appid, disabled]);
      if (rows.length && disabled) await publish(tx, { kind: 'app_disabled', appid });
      return rows.length > 0;
    });
  }

  async setAppSecret(appid: string, secret: string): Promise<boolean> {
    const rows = await this.store.query('UPDATE apps SET secret = $2 WHERE appid = $1 RETURNING appid', [appid, secret]);
    return rows.length > 0;
  }

  // --- agents -----------------------------------------------------------
  /** Stores an agent key (only its hash). appid null = an agent of every app. */
  async createAgent(agent: { name: string; key: string; appid: string | null }): Promise<boolean> {
    const rows = await this.store.query('INSERT INTO agents (name, key_hash, appid) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING RETURNING id', [
      agent.name,
      sha256Hex(agent.key),
      agent.appid,
    ]);
    return rows.length > 0;
  }

  async findAgentByKey(key: string): Promise<AgentRow | null> {
    if (!key || key.length > 200) return null;
    const rows = await this.store.query<AgentRow>('SELECT id, name, appid FROM agents WHERE key_hash = $1', [sha256Hex(key)]);
    return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
  }

  async listAgents(): Promise<AgentRow[]> {
    return this.store.query<AgentRow>('SELECT id, name, appid FROM agents ORDER BY id');
  }

  // --- visitors ---------------------------------------------------------
  private static VISITOR_COLS = 'id, uid, appid, bs, fkid, business_user, name, nickname, email, phone, referer, source_title, banned, token_epoch';

  async visitorByBs(appid: string, bs: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${Repo.VISITOR_COLS} FROM visitors WHERE appid = $1 AND bs = $2`, [appid, bs]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async visitorByUid(uid: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${Repo.VISITOR_COLS} FROM visitors WHERE uid = $1`, [uid]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async visitorByBusinessUser(appid: string, sbs: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${Repo.VISITOR_COLS} FROM visitors WHERE appid = $1 AND business_user = $2`, [appid, sbs]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async createVisitor(appid: string, businessUser: string | null): Promise<VisitorRow> {
    const rows = await this.store.query<VisitorRow>(
      `INSERT INTO visitors (uid, appid, bs, fkid, business_user) VALUES ($1, $2, $3, $4, $5) RETURNING ${Repo.VISITOR_COLS}`,
      ['v_' + randomId(12), appid, randomId(24), 'fk_' + randomId(12), businessUser],
    );
    return normVisitor(rows[0]!);
  }

  async attachBusinessUser(visitorId: number, sbs: string): Promise<void> {
    await this.store.query('UPDATE visitors SET business_user = $2, updated_at = now() WHERE id = $1', [visitorId, sbs]);
  }

  /** Overwrites the given profile fields (undefined = keep). */
  async updateProfile(visitorId: number, profile: VisitorProfile & { locale?: string }): Promise<void> {
    const fields = ['name', 'nickname', 'email', 'phone', 'referer', 'source_title', 'locale'] as const;
    const sets: string[] = [];
    const params: unknown[] = [visitorId];
    for (const f of fields) {
      const v = profile[f];
      if (v === undefined) continue;
      params.push(v);
      sets.push(`${f} = $${params.length}`);
    }
    if (!sets.length) return;
    await this.store.query(`UPDATE visitors SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  /** Bans (or unbans) a visitor; open sockets are closed through the event. */
  async setVisitorBanned(uid: string, banned: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE visitors SET banned = $2 WHERE uid = $1 RETURNING id', [uid, banned]);
      if (rows.length && banned) await publish(tx, { kind: 'visitor_closed', visitorUid: uid, code: 4005 });
      return rows.length > 0;
    });
  }

  /** Invalidates every token issued so far to the visitor. */
  async revokeVisitorTokens(uid: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE visitors SET token_epoch = token_epoch + 1 WHERE uid = $1 RETURNING id', [uid]);
      if (rows.length) await publish(tx, { kind: 'visitor_closed', visitorUid: uid, code: 4003 });
      return rows.length > 0;
    });
  }

  // --- conversations ----------------------------------------------------
  /** The visitor's latest conversation, created if there is none. */
  async ensureConversation(visitor: VisitorRow): Promise<ConversationRow> {
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

  async conversation(id: string): Promise<ConversationRow | null> {
    if (typeof id !== 'string' || id.length > 100) return null;
    const rows = await this.store.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    return rows[0] ? normConv(rows[0]) : null;
  }

  async visitorConversations(visitorId: number): Promise<ConversationSummary[]> {
    const rows = await this.store.query<ConversationRow>('SELECT * FROM conversations WHERE visitor_id = $1 ORDER BY updated_at DESC', [visitorId]);
    const out: ConversationSummary[] = [];
    for (const r of rows.map(normConv)) {
      out.push({
        id: r.id,
        lastSeq: r.last_seq,
        visitorReadSeq: r.visitor_read_seq,
        unread: await this.unreadFor(r.id, 'visitor', r.visitor_read_seq),
        lastMessage: await this.lastMessage(r.id),
        updatedAt: iso(r.updated_at),
      });
    }
    return out;
  }

  /** Messages the given side has not read: the other side's messages after its read mark. */
  async unreadFor(conversationId: string, side: 'visitor' | 'agent', readSeq: number): Promise<number> {
    const sql =
      side === 'visitor'
        ? "SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND seq > $2 AND author <> 'visitor'"
        : "SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND seq > $2 AND author = 'visitor'";
    const rows = await this.store.query<{ n: number }>(sql, [conversationId, readSeq]);
    return Number(rows[0]?.n ?? 0);
  }

  async lastMessage(conversationId: string): Promise<MessageView | null> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1', [conversationId]);
    return rows[0] ? toMessageView(rows[0]) : null;
  }

  async agentConversation(id: string, online: (visitorUid: string) => boolean): Promise<AgentConversation | null> {
    const list = await this.agentConversations({ id }, online);
    return list[0] ?? null;
  }

  /** Conversations an agent sees (one app or all), newest first, with unread counts and last message. */
  async agentConversations(filter: { appid?: string | null; id?: string; limit?: number }, online: (visitorUid: string) => boolean): Promise<AgentConversation[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.appid) {
      params.push(filter.appid);
      where.push(`c.appid = $${params.length}`);
    }
    if (filter.id) {
      params.push(filter.id);
      where.push(`c.id = $${params.length}`);
    }
    params.push(Math.min(Math.max(filter.limit ?? 200, 1), 500));
    const rows = await this.store.query<ConversationRow & Omit<VisitorRow, 'id'> & { vid: number }>(
      `SELECT c.*, v.uid, v.name, v.nickname, v.email, v.phone, v.business_user, v.referer, v.source_title
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.updated_at DESC LIMIT $${params.length}`,
      params,
    );
    const out: AgentConversation[] = [];
    for (const r of rows) {
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
      out.push({
        id: r.id,
        appid: r.appid,
        visitor,
        lastSeq: Number(r.last_seq),
        unread: await this.unreadFor(r.id, 'agent', Number(r.agent_read_seq)),
        lastMessage: await this.lastMessage(r.id),
        online: online(r.uid),
        updatedAt: iso(r.updated_at),
      });
    }
    return out;
  }

  // --- messages ---------------------------------------------------------
  /**
   * Stores a message once per (conversation, clientId). The conversation row
   * is locked first, so seqs are gapless and a concurrent resend of the same
   * clientId waits and then finds the stored row. Returns after COMMIT.
   */
  async appendMessage(m: { conversationId: string; author: Author; authorName?: string | null; text: string; clientId?: string | null }): Promise<{ message: MessageView; created: boolean }> {
    return this.store.transaction(async (tx) => {
      const conv = await tx.query<{ id: string }>('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [m.conversationId]);
      if (!conv.length) throw new Error('conversation not found');
      if (m.clientId) {
        const dup = await tx.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2', [m.conversationId, m.clientId]);
        if (dup[0]) return { message: toMessageView(dup[0]), created: false };
      }
      const seqRow = await tx.query<{ last_seq: number }>('UPDATE conversations SET last_seq = last_seq + 1, updated_at = now() WHERE id = $1 RETURNING last_seq', [
        m.conversationId,
      ]);
      const seq = Number(seqRow[0]!.last_seq);
      const rows = await tx.query<MessageRow>(
        'INSERT INTO messages (id, conversation_id, seq, author, author_name, text, client_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
        ['m_' + randomId(12), m.conversationId, seq, m.author, m.authorName ?? null, m.text, m.clientId ?? null],
      );
      const message = toMessageView(rows[0]!);
      await publish(tx, { kind: 'message', conversationId: m.conversationId, messageId: message.id });
      return { message, created: true };
    });
  }

  async messagesAfter(conversationId: string, after: number, limit = 200): Promise<MessageView[]> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3', [
      conversationId,
      after,
      Math.min(Math.max(limit, 1), 500),
    ]);
    return rows.map(toMessageView);
  }

  async message(id: string): Promise<MessageView | null> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
    return rows[0] ? toMessageView(rows[0]) : null;
  }

  /** Moves a read mark forward (never back, never past last_seq); returns the new mark. */
  async markRead(conversationId: string, side: 'visitor' | 'agent', seq: number): Promise<number | null> {
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

function normVisitor(r: VisitorRow): VisitorRow {
  return { ...r, id: Number(r.id), token_epoch: Number(r.token_epoch) };
}

function normConv(r: ConversationRow): ConversationRow {
  return { ...r, visitor_id: Number(r.visitor_id), last_seq: Number(r.last_seq), visitor_read_seq: Number(r.visitor_read_seq), agent_read_seq: Number(r.agent_read_seq) };
}
