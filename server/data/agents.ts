/**
 * The agents table: agent accounts (email, name, scrypt password hash, role,
 * app scope, avatar), kept as tombstones once deactivated. An agent's API keys
 * are in agent-keys.ts, its console sessions in agent-sessions.ts.
 */
import { emailAddress } from '../../src/shared/email.js';
import type { Queryable, Store } from '../db/store.js';
import { sha256Hex } from '../auth.js';
import { publish } from '../events.js';
import { Refusal } from '../refusal.js';
import type { DataCache } from './cache.js';
import { iso } from './rows.js';
import { initialsAvatar } from '../avatar.js';

import type { AgentRole } from '../../src/shared/agent-accounts.js';
export type { AgentRole };

/** An agent as the routes and sockets see it once authenticated. appid null = every app. */
export interface AgentRow {
  id: number;
  name: string;
  appid: string | null;
  role: AgentRole;
  email: string | null;
}

/** An agent as admins list it. */
export interface AgentListing extends AgentRow {
  /** When it was deactivated (deleted), or null. */
  revokedAt: string | null;
  hasAvatar: boolean;
  createdAt: string;
}

/** An agent found by its API key, with the key it used. */
export interface KeyedAgent {
  agent: AgentRow;
  keyId: number;
}

/** Longer keys are never looked up. */
const AGENT_KEY_MAX = 200;
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;

const COLUMNS = 'a.id, a.name, a.appid, a.role, a.email';
type Raw = { id: number | string; name: string; appid: string | null; role: AgentRole; email: string | null };
export const toAgentRow = (r: Raw): AgentRow => ({ id: Number(r.id), name: r.name, appid: r.appid, role: r.role, email: r.email });

/** Lowercased and trimmed, or null when it is not an address. */
export function normalizeEmail(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const e = v.trim().toLowerCase();
  // The shared rule: no NUL (PostgreSQL cannot store it) and no control characters in an address.
  return emailAddress(e, EMAIL_MAX);
}

/** A display name: trimmed, 1 to NAME_MAX characters, or null. */
export function normalizeName(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const n = v.trim().replace(/\s+/g, ' ');
  return n && n.length <= NAME_MAX && !/\p{Cc}/u.test(n) ? n : null;
}

export class Agents {
  constructor(
    private readonly store: Store,
    private readonly cache: DataCache,
  ) {}

  /**
   * An integration agent with one key (no email, no password: it cannot sign
   * in to the console). False when the key is, or was ever, stored: revoked
   * keys are never taken again.
   */
  async create(agent: { name: string; key: string; appid: string | null }): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const hash = sha256Hex(agent.key);
      if ((await tx.query('SELECT 1 FROM agent_keys WHERE hash = $1', [hash])).length) return false;
      const rows = await tx.query<{ id: number }>('INSERT INTO agents (name, appid) VALUES ($1, $2) RETURNING id', [agent.name, agent.appid]);
      await tx.query("INSERT INTO agent_keys (agent_id, hash, label) VALUES ($1, $2, 'key')", [String(rows[0]!.id), hash]);
      return true;
    });
  }

  /** A console account. Refuses (409 `email_taken`) an email another agent has, deactivated ones included. */
  async createAccount(a: { email: string; name: string; passwordHash: string; role: AgentRole; appid: string | null }): Promise<AgentRow> {
    const rows = await this.store.query<Raw>(
      `INSERT INTO agents (email, name, password_hash, role, appid) SELECT $1, $2, $3, $4, $5
       WHERE NOT EXISTS (SELECT 1 FROM agents WHERE lower(email) = lower($1)) RETURNING id, name, appid, role, email`,
      [a.email, a.name, a.passwordHash, a.role, a.appid],
    ).catch((err: Error) => {
      // Two creations racing past NOT EXISTS: the unique index decides.
      if (/unique|duplicate/i.test(err.message)) return [];
      throw err;
    });
    if (!rows[0]) throw new Refusal(409, 'email_taken', 'another agent has this email');
    return toAgentRow(rows[0]);
  }

  /** The live agent with this key (cached), or null. Notes the key's use when it is read from the store. */
  async byKey(key: string): Promise<KeyedAgent | null> {
    if (!key || key.length > AGENT_KEY_MAX) return null;
    const hash = sha256Hex(key);
    const hit = this.cache.agent(hash);
    if (hit) return hit;
    const rows = await this.store.query<Raw & { key_id: number }>(
      `SELECT ${COLUMNS}, k.id AS key_id FROM agent_keys k JOIN agents a ON a.id = k.agent_id
       WHERE k.hash = $1 AND k.revoked_at IS NULL AND a.revoked_at IS NULL`,
      [hash],
    );
    if (!rows[0]) return null;
    const found = { agent: toAgentRow(rows[0]), keyId: Number(rows[0].key_id) };
    await this.store.query('UPDATE agent_keys SET last_used_at = now() WHERE id = $1::bigint', [String(found.keyId)]);
    return this.cache.rememberAgent(hash, found) ? found : null;
  }

  /** The live agents who serve app `appid` (agents of every app included): whom its conversations can be assigned to. */
  async serving(appid: string): Promise<AgentRow[]> {
    const rows = await this.store.query<Raw>(`SELECT ${COLUMNS} FROM agents a WHERE a.revoked_at IS NULL AND (a.appid IS NULL OR a.appid = $1) ORDER BY a.name, a.id`, [appid]);
    return rows.map(toAgentRow);
  }

  /** The live agents whose scope overlaps scope `appid` (null: every agent): the teammates an agent of that scope can hand work to. */
  async teammates(appid: string | null): Promise<AgentRow[]> {
    const rows = await this.store.query<Raw>(`SELECT ${COLUMNS} FROM agents a WHERE a.revoked_at IS NULL AND ($1::text IS NULL OR a.appid IS NULL OR a.appid = $1) ORDER BY a.name, a.id`, [appid]);
    return rows.map(toAgentRow);
  }

  /** The live (not deactivated) agent, or null. */
  async byId(id: number, q: Queryable = this.store): Promise<AgentRow | null> {
    const rows = await q.query<Raw>(`SELECT ${COLUMNS} FROM agents a WHERE a.id = $1::bigint AND a.revoked_at IS NULL`, [String(id)]);
    return rows[0] ? toAgentRow(rows[0]) : null;
  }

  /** For sign-in: the live agent with this email and its password hash, or null. */
  async forSignIn(email: string): Promise<{ agent: AgentRow; passwordHash: string | null } | null> {
    const rows = await this.store.query<Raw & { password_hash: string | null }>(
      `SELECT ${COLUMNS}, a.password_hash FROM agents a WHERE lower(a.email) = lower($1) AND a.revoked_at IS NULL`,
      [email],
    );
    return rows[0] ? { agent: toAgentRow(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  /** The agent with this email, deactivated or not (with whether it is), or null. */
  async byEmail(email: string): Promise<{ agent: AgentRow; deactivated: boolean } | null> {
    const rows = await this.store.query<Raw & { revoked_at: unknown }>(`SELECT ${COLUMNS}, a.revoked_at FROM agents a WHERE lower(a.email) = lower($1)`, [email]);
    return rows[0] ? { agent: toAgentRow(rows[0]), deactivated: rows[0].revoked_at !== null } : null;
  }

  /** Which of these agents are deactivated. */
  async revokedIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.store.query<{ id: number }>('SELECT id FROM agents WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL', [ids.map(String)]);
    return rows.map((r) => Number(r.id));
  }

  /** Every agent (deactivated ones included, with when), of one app scope when `appid` is given. */
  async list(scope: { appid: string } | 'all' = 'all'): Promise<AgentListing[]> {
    const where = scope === 'all' ? '' : 'WHERE a.appid = $1';
    const rows = await this.store.query<Raw & { revoked_at: Date | string | null; has_avatar: boolean; created_at: Date | string }>(
      `SELECT ${COLUMNS}, a.revoked_at, a.avatar IS NOT NULL AS has_avatar, a.created_at FROM agents a ${where} ORDER BY a.id`,
      scope === 'all' ? [] : [scope.appid],
    );
    return rows.map((r) => ({ ...toAgentRow(r), revokedAt: r.revoked_at === null ? null : iso(r.revoked_at), hasAvatar: !!r.has_avatar, createdAt: iso(r.created_at) }));
  }

  /** Sets a new password hash; every console session of the agent ends (a reset is what one does after a leak). */
  async setPassword(id: number, passwordHash: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE agents SET password_hash = $2 WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id', [String(id), passwordHash]);
      if (!rows.length) return false;
      await tx.query('DELETE FROM agent_sessions WHERE agent_id = $1::bigint', [String(id)]);
      await publish(tx, { kind: 'agent_sessions_ended', agentId: id });
      return true;
    });
  }

  async setName(id: number, name: string): Promise<boolean> {
    const rows = await this.store.query('UPDATE agents SET name = $2 WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id', [String(id), name]);
    return rows.length > 0;
  }

  /**
   * Renames an agent and/or changes its role, at once for every process
   * (`agent_changed`). Refused with `last_admin` when it would demote the last
   * active admin who can manage this agent (an admin of every app, or of its
   * app): the admin rows are locked first, so two admins demoting each other
   * at the same moment cannot both succeed. Null when the agent is deactivated
   * (or unknown).
   */
  async update(id: number, change: { name?: string; role?: AgentRole }): Promise<AgentRow | null> {
    const updated = await this.store.transaction(async (tx) => {
      const rows = await tx.query<Raw>(`SELECT ${COLUMNS} FROM agents a WHERE a.id = $1::bigint AND a.revoked_at IS NULL FOR UPDATE`, [String(id)]);
      const before = rows[0] ? toAgentRow(rows[0]) : null;
      if (!before) return null;
      if (before.role === 'admin' && change.role === 'agent') {
        const others = await tx.query<{ id: number }>(
          "SELECT id FROM agents WHERE role = 'admin' AND revoked_at IS NULL AND id <> $1::bigint AND (appid IS NULL OR appid = $2) FOR UPDATE",
          [String(id), before.appid],
        );
        if (!others.length) {
          throw new Refusal(409, 'last_admin', before.appid === null ? `${before.name} is the last active admin of every app: make another one admin first` : `${before.name} is the last active admin of ${before.appid}: make another one admin first`);
        }
      }
      const after = { ...before, ...(change.name !== undefined ? { name: change.name } : {}), ...(change.role !== undefined ? { role: change.role } : {}) };
      await tx.query('UPDATE agents SET name = $2, role = $3 WHERE id = $1::bigint', [String(id), after.name, after.role]);
      await publish(tx, { kind: 'agent_changed', agentId: id, name: after.name, role: after.role });
      return after;
    });
    // Committed: this process reads it again now, before its own event comes back.
    if (updated) this.cache.agentChanged(id);
    return updated;
  }

  /** Stores (or with null, removes) the avatar: a checked image (avatar.ts), base64 in the row. */
  async setAvatar(id: number, image: { type: string; bytes: Buffer } | null): Promise<boolean> {
    const rows = await this.store.query('UPDATE agents SET avatar_type = $2, avatar = $3 WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id', [
      String(id),
      image?.type ?? null,
      image ? image.bytes.toString('base64') : null,
    ]);
    return rows.length > 0;
  }

  async avatar(id: number): Promise<{ type: string; bytes: Buffer; appid: string | null } | null> {
    const rows = await this.store.query<{ avatar_type: string | null; avatar: string | null; appid: string | null }>('SELECT avatar_type, avatar, appid FROM agents WHERE id = $1::bigint', [String(id)]);
    const r = rows[0];
    return r?.avatar && r.avatar_type ? { type: r.avatar_type, bytes: Buffer.from(r.avatar, 'base64'), appid: r.appid } : null;
  }

  /**
   * The avatar a visitor of app `appid` sees for agent `id`, if that agent
   * serves (or served) the app (its own app, or every app) and the app exists,
   * else null: nothing about other apps' agents. An agent without an avatar,
   * or deactivated, gets the initials avatar (avatar.ts).
   */
  async avatarServing(id: number, appid: string): Promise<{ type: string; bytes: Buffer } | null> {
    const rows = await this.store.query<{ name: string; avatar_type: string | null; avatar: string | null; revoked_at: unknown }>(
      `SELECT a.name, a.avatar_type, a.avatar, a.revoked_at FROM agents a JOIN apps p ON p.appid = $2
       WHERE a.id = $1::bigint AND (a.appid IS NULL OR a.appid = p.appid)`,
      [String(id), appid],
    );
    const r = rows[0];
    if (!r) return null;
    // A deactivated agent's old messages keep a face, but only their initial.
    if (r.revoked_at === null && r.avatar && r.avatar_type) return { type: r.avatar_type, bytes: Buffer.from(r.avatar, 'base64') };
    return initialsAvatar(r.name, id);
  }

  /**
   * Deactivates (deletes) an agent, by id or by one of its keys: its keys are
   * revoked and its console sessions end, its REST calls get 401 and its
   * sockets close with CLOSE.TOKEN_REVOKED in every process as soon as the
   * `agent_revoked` event is heard (sent at commit). The row stays as a
   * tombstone (revoked_at set): messages keep their author_name, the list
   * still says who it was, and its key hashes stay, so those keys can never be
   * stored again. Deactivating an already deactivated agent announces the
   * revoke again (closing any socket a process that missed the event still
   * holds) and says so. Returns null when no agent matches.
   */
  async delete(by: { id: number } | { key: string }): Promise<{ agent: AgentRow; revokedAt: string; already: boolean } | null> {
    type Row = Raw & { revoked_at: Date | string };
    const result = await this.store.transaction(async (tx) => {
      let id: string;
      if ('id' in by) id = String(by.id);
      else {
        const k = await tx.query<{ agent_id: number }>('SELECT agent_id FROM agent_keys WHERE hash = $1', [sha256Hex(by.key)]);
        if (!k[0]) return null;
        id = String(k[0].agent_id);
      }
      let rows = await tx.query<Row>('UPDATE agents a SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id, name, appid, role, email, revoked_at', [id]);
      const already = !rows[0];
      if (already) rows = await tx.query<Row>(`SELECT ${COLUMNS}, a.revoked_at FROM agents a WHERE a.id = $1::bigint`, [id]);
      const r = rows[0];
      if (!r) return null;
      await tx.query('UPDATE agent_keys SET revoked_at = now() WHERE agent_id = $1::bigint AND revoked_at IS NULL', [id]);
      await tx.query('DELETE FROM agent_sessions WHERE agent_id = $1::bigint', [id]);
      const agent = toAgentRow(r);
      await publish(tx, { kind: 'agent_revoked', agentId: agent.id });
      return { agent, revokedAt: iso(r.revoked_at), already };
    });
    // Committed: this process refuses it now, before its own event comes back.
    if (result) this.cache.forgetAgent(result.agent.id);
    return result;
  }

  /** The same as delete({id}): the word the console and CLI use. */
  deactivate(id: number) {
    return this.delete({ id });
  }
}
