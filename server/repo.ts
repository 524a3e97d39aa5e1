/**
 * Data access: every SQL statement of the server lives here, written once for
 * both stores. Rows are mapped to the wire shapes of src/shared/wire-protocol.ts.
 */
import type { MessageView, ConversationSummary, AgentConversation, AppInfo, Author, VisitorProfile } from '../src/shared/wire-protocol.js';
import type { PreparedParam, Queryable, Store } from './db/store.js';
import { randomId, sha256Hex } from './auth.js';
import { possibleId } from './storable-input.js';
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

export interface MessageRow {
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

/** How long a cached app or agent row is trusted without an invalidating event (a safety net for edits made straight in the DB). */
const CACHE_TTL_MS = 30_000;
/** Bound on the conversation -> appid cache (entries are immutable; the map is simply dropped when full). */
const CONV_APP_CACHE_MAX = 100_000;

export class Repo {
  /**
   * Rows read on most requests and socket frames, kept in memory. Apps are
   * invalidated by `app_changed` / `app_disabled` events (every process) and
   * at once by this process's own writes; agents are never edited, only
   * created (a miss is never cached) and deleted (an `agent_revoked` event in
   * every process, and at once by this process's own delete); a
   * conversation's appid never changes.
   */
  private appCache = new Map<string, { at: number; app: Promise<AppRow | null> }>();
  private agentCache = new Map<string, { at: number; agent: AgentRow }>();
  /**
   * Agents heard revoked: a lookup whose SELECT raced the revoke (read before
   * the commit, answered after the event) is refused rather than cached. Ids
   * are never reused, and only deleted agents land here, so it stays small.
   */
  private revokedAgents = new Set<number>();
  private convApp = new Map<string, string>();

  /** The message insert: prepared once, group-committed on PGlite (see Store.prepared). */
  private readonly appendStatement: (params: readonly PreparedParam[]) => Promise<MessageRow[]>;

  constructor(readonly store: Store) {
    this.appendStatement = store.prepared<MessageRow>('twt_append_message', Repo.APPEND_SQL, ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'int']);
  }

  /** Drops this process's cached copy of an app (called on app events). */
  forgetApp(appid: string): void {
    this.appCache.delete(appid);
  }

  /** Drops a deleted agent from this process's cache and refuses it from now on (called on `agent_revoked`). */
  forgetAgent(agentId: number): void {
    this.revokedAgents.add(agentId);
    for (const [hash, hit] of this.agentCache) if (hit.agent.id === agentId) this.agentCache.delete(hash);
  }

  // --- settings ---------------------------------------------------------
  /** Returns the stored value, or stores `fallback` first if there is none (first writer wins across processes). */
  async settingOrInit(key: string, fallback: string): Promise<string> {
    await this.store.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, fallback]);
    const rows = await this.store.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]!.value;
  }

  // --- apps -------------------------------------------------------------
  getApp(appid: string): Promise<AppRow | null> {
    const hit = this.appCache.get(appid);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.app;
    const app = this.loadApp(appid);
    this.appCache.set(appid, { at: Date.now(), app });
    // A failed read is not remembered.
    app.catch(() => {
      if (this.appCache.get(appid)?.app === app) this.appCache.delete(appid);
    });
    return app;
  }

  private async loadApp(appid: string): Promise<AppRow | null> {
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
      await publish(tx, { kind: 'app_changed', appid: app.appid });
      return true;
    }).finally(() => this.forgetApp(app.appid));
  }

  async setDomains(appid: string, add: string[], remove: string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const d of add) await tx.query('INSERT INTO app_domains (appid, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING', [appid, d]);
      for (const d of remove) await tx.query('DELETE FROM app_domains WHERE appid = $1 AND domain = $2', [appid, d]);
      await publish(tx, { kind: 'app_changed', appid });
    }).finally(() => this.forgetApp(appid));
  }

  async setAppDisabled(appid: string, disabled: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE apps SET disabled = $2 WHERE appid = $1 RETURNING appid', [appid, disabled]);
      if (rows.length && disabled) await publish(tx, { kind: 'app_disabled', appid });
      if (rows.length) await publish(tx, { kind: 'app_changed', appid });
      return rows.length > 0;
    }).finally(() => this.forgetApp(appid));
  }

  async setAppSecret(appid: string, secret: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE apps SET secret = $2 WHERE appid = $1 RETURNING appid', [appid, secret]);
      if (rows.length) await publish(tx, { kind: 'app_changed', appid });
      return rows.length > 0;
    }).finally(() => this.forgetApp(appid));
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
    const hash = sha256Hex(key);
    const hit = this.agentCache.get(hash);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.agent;
    const rows = await this.store.query<AgentRow>('SELECT id, name, appid FROM agents WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    if (!rows[0]) return null;
    const agent = { ...rows[0], id: Number(rows[0].id) };
    if (this.revokedAgents.has(agent.id)) return null;
    if (this.agentCache.size > 10_000) this.agentCache.clear();
    this.agentCache.set(hash, { at: Date.now(), agent });
    return agent;
  }

  /** Empties this process's agent cache (after a lost LISTEN, when revokes may have gone unheard). */
  forgetAllAgents(): void {
    this.agentCache.clear();
  }

  /** Which of these agents are deleted. */
  async revokedAgentIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.store.query<{ id: number }>('SELECT id FROM agents WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL', [ids.map(String)]);
    return rows.map((r) => Number(r.id));
  }

  /** Every agent, deleted ones included (with the time they were deleted). */
  async listAgents(): Promise<Array<AgentRow & { revokedAt: string | null }>> {
    const rows = await this.store.query<AgentRow & { revoked_at: Date | string | null }>('SELECT id, name, appid, revoked_at FROM agents ORDER BY id');
    return rows.map((r) => ({ id: Number(r.id), name: r.name, appid: r.appid, revokedAt: r.revoked_at === null ? null : iso(r.revoked_at) }));
  }

  /**
   * Deletes an agent (by id, or by its key, matched through the key's hash):
   * its REST calls get 401 and its sockets close with CLOSE.TOKEN_REVOKED, in
   * every process, as soon as the `agent_revoked` event is heard (sent at
   * commit). The row stays as a tombstone (revoked_at set, see migration 2):
   * nothing references agents, the messages it wrote keep their author_name,
   * so the visitors' history reads the same; the kept key hash stops the key
   * from ever being stored again (agents:create --key, the demo seed).
   * Deleting an already deleted agent announces the revoke again (closing any
   * socket a process that missed the event still holds) and says so.
   * Returns null when no agent matches.
   */
  async deleteAgent(by: { id: number } | { key: string }): Promise<{ agent: AgentRow; revokedAt: string; already: boolean } | null> {
    const [where, param] = 'id' in by ? ['id = $1::bigint', String(by.id)] : ['key_hash = $1', sha256Hex(by.key)];
    type Row = AgentRow & { revoked_at: Date | string };
    const result = await this.store.transaction(async (tx) => {
      let rows = await tx.query<Row>(`UPDATE agents SET revoked_at = now() WHERE ${where} AND revoked_at IS NULL RETURNING id, name, appid, revoked_at`, [param]);
      const already = !rows[0];
      if (already) rows = await tx.query<Row>(`SELECT id, name, appid, revoked_at FROM agents WHERE ${where}`, [param]);
      const r = rows[0];
      if (!r) return null;
      const agent: AgentRow = { id: Number(r.id), name: r.name, appid: r.appid };
      await publish(tx, { kind: 'agent_revoked', agentId: agent.id });
      return { agent, revokedAt: iso(r.revoked_at), already };
    });
    // Committed: this process refuses it now, before its own event comes back.
    if (result) this.forgetAgent(result.agent.id);
    return result;
  }

  // --- visitors ---------------------------------------------------------
  private static VISITOR_COLS = 'id, uid, appid, bs, fkid, business_user, name, nickname, email, phone, referer, source_title, banned, token_epoch';

  async visitorByBs(appid: string, bs: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${Repo.VISITOR_COLS} FROM visitors WHERE appid = $1 AND bs = $2`, [appid, bs]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async visitorByUid(uid: string): Promise<VisitorRow | null> {
    if (possibleId(uid) === null) return null;
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
    if (possibleId(id) === null) return null;
    const rows = await this.store.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    if (!rows[0]) return null;
    const conv = normConv(rows[0]);
    this.rememberConvApp(conv.id, conv.appid);
    return conv;
  }

  /** The app a conversation belongs to (never changes, so it is cached), or null if there is no such conversation. */
  async conversationAppid(id: string): Promise<string | null> {
    if (possibleId(id) === null) return null;
    return this.convApp.get(id) ?? (await this.conversation(id))?.appid ?? null;
  }

  private rememberConvApp(id: string, appid: string): void {
    if (this.convApp.size >= CONV_APP_CACHE_MAX) this.convApp.clear();
    this.convApp.set(id, appid);
  }

  /** The visitor side's read state of a conversation, in one query. */
  async visitorReadState(conversationId: string): Promise<{ lastSeq: number; visitorReadSeq: number; unread: number } | null> {
    return (await this.visitorReadStates([conversationId])).get(conversationId) ?? null;
  }

  /** The visitor side's read state of several conversations, in one query. */
  async visitorReadStates(ids: readonly string[]): Promise<Map<string, { lastSeq: number; visitorReadSeq: number; unread: number }>> {
    const out = new Map<string, { lastSeq: number; visitorReadSeq: number; unread: number }>();
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

  /**
   * Conversations an agent sees (one app or all, or the given ids / visitors),
   * newest first, with unread counts and last message: one query whatever the
   * number of rows.
   */
  async agentConversations(
    filter: { appid?: string | null; id?: string; ids?: readonly string[]; visitorUids?: readonly string[]; limit?: number },
    online: (visitorUid: string) => boolean,
  ): Promise<AgentConversation[]> {
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
    const max = filter.ids || filter.visitorUids ? 10_000 : 500;
    params.push(Math.min(Math.max(filter.limit ?? (max === 500 ? 200 : max), 1), max));
    const rows = await this.store.query<ConversationRow & Omit<VisitorRow, 'id'> & { unread: number; last_message: MessageRow | null }>(
      `SELECT c.*, v.uid, v.name, v.nickname, v.email, v.phone, v.business_user, v.referer, v.source_title,
              (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.seq > c.agent_read_seq AND m.author = 'visitor') AS unread,
              (SELECT row_to_json(m) FROM messages m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) AS last_message
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.updated_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => {
      this.rememberConvApp(r.id, r.appid);
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
      const last = typeof r.last_message === 'string' ? (JSON.parse(r.last_message) as MessageRow) : r.last_message;
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

  // --- messages ---------------------------------------------------------
  /**
   * Stores a message once per (conversation, clientId) in ONE statement, so it
   * is one implicit transaction: the insert takes seq = last_seq + 1, bumps
   * last_seq only when it inserted, and queues the NOTIFY (sent at commit) with
   * the stored row inline, so no receiver has to read it back. Returns after
   * COMMIT. A resend (same clientId) inserts nothing and gets the stored row.
   * Two writers racing for the same seq (PostgreSQL, several processes): the
   * loser hits the (conversation_id, seq) unique index and retries with a fresh
   * snapshot, so seqs stay unique, gapless and in commit order.
   */
  async appendMessage(m: { conversationId: string; author: Author; authorName?: string | null; text: string; clientId?: string | null }): Promise<{ message: MessageView; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      let rows: MessageRow[];
      try {
        rows = await this.appendStatement([
          'm_' + randomId(12),
          m.conversationId,
          m.author,
          m.authorName ?? null,
          m.text,
          m.clientId ?? null,
          EVENTS_CHANNEL,
          NOTIFY_ROW_MAX_BYTES,
        ]);
      } catch (err) {
        if (attempt < 20 && isSeqConflict(err)) continue;
        throw err;
      }
      if (rows[0]) return { message: toMessageView(rows[0]), created: true };
      if (m.clientId) {
        const dup = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2', [m.conversationId, m.clientId]);
        if (dup[0]) return { message: toMessageView(dup[0]), created: false };
      }
      throw new Error('conversation not found');
    }
  }

  private static readonly APPEND_SQL = `
    WITH ins AS (
      INSERT INTO messages (id, conversation_id, seq, author, author_name, text, client_id)
      SELECT $1, c.id, c.last_seq + 1, $3, $4, $5, $6 FROM conversations c WHERE c.id = $2
      ON CONFLICT (conversation_id, client_id) DO NOTHING
      RETURNING *
    ), bump AS (
      UPDATE conversations c SET last_seq = GREATEST(c.last_seq, ins.seq), updated_at = ins.created_at
        FROM ins WHERE c.id = ins.conversation_id
    )
    SELECT ins.*, pg_notify($7, json_build_object(
      'kind', 'message', 'conversationId', ins.conversation_id, 'messageId', ins.id, 'seq', ins.seq,
      'appid', (SELECT appid FROM conversations WHERE id = ins.conversation_id),
      'row', CASE WHEN octet_length(row_to_json(ins)::text) <= $8::int THEN row_to_json(ins) END)::text) AS notified
    FROM ins`;

  async messagesAfter(conversationId: string, after: number, limit = 200): Promise<MessageView[]> {
    const rows = await this.store.query<MessageRow>('SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3', [
      conversationId,
      after,
      Math.min(Math.max(limit, 1), 500),
    ]);
    return rows.map(toMessageView);
  }

  /** The database's clock `lookbackMs` ago (an ISO-ish timestamptz literal), for messagesSince. */
  async dbTimeAgo(lookbackMs: number): Promise<string> {
    const rows = await this.store.query<{ t: string }>('SELECT (now() - make_interval(secs => $1::float8))::text AS t', [Math.max(0, lookbackMs) / 1000]);
    return rows[0]!.t;
  }

  /**
   * Messages stored at or after `since` (a dbTimeAgo value), of these apps
   * (null: every app), in (conversation, seq) order after the key `after`,
   * `limit` at most: what a process that could not hear NOTIFYs may have missed.
   */
  async messagesSince(
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

/** NOTIFY payloads are capped at 8000 bytes: a longer stored row travels as its id only. */
const NOTIFY_ROW_MAX_BYTES = 7000;

/** Unique violation on (conversation_id, seq): another writer took that seq first. */
function isSeqConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && /seq/.test(e.constraint ?? e.message ?? '');
}
