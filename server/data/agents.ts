/** The agents table: agent keys (stored as hashes), kept as tombstones once deleted. */
import type { Store } from '../db/store.js';
import { sha256Hex } from '../auth.js';
import { publish } from '../events.js';
import type { DataCache } from './cache.js';
import { iso } from './rows.js';

export interface AgentRow {
  id: number;
  name: string;
  appid: string | null;
}

/** Longer keys are never looked up. */
const AGENT_KEY_MAX = 200;

export class Agents {
  constructor(
    private readonly store: Store,
    private readonly cache: DataCache,
  ) {}

  /** Stores an agent key (only its hash). appid null = an agent of every app. */
  async create(agent: { name: string; key: string; appid: string | null }): Promise<boolean> {
    const rows = await this.store.query('INSERT INTO agents (name, key_hash, appid) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING RETURNING id', [
      agent.name,
      sha256Hex(agent.key),
      agent.appid,
    ]);
    return rows.length > 0;
  }

  /** The live agent with this key (cached), or null. */
  async byKey(key: string): Promise<AgentRow | null> {
    if (!key || key.length > AGENT_KEY_MAX) return null;
    const hash = sha256Hex(key);
    const hit = this.cache.agent(hash);
    if (hit) return hit;
    const rows = await this.store.query<AgentRow>('SELECT id, name, appid FROM agents WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
    if (!rows[0]) return null;
    const agent = { ...rows[0], id: Number(rows[0].id) };
    return this.cache.rememberAgent(hash, agent) ? agent : null;
  }

  /** The live agents who serve app `appid` (agents of every app included): whom its conversations can be assigned to. */
  async serving(appid: string): Promise<AgentRow[]> {
    const rows = await this.store.query<AgentRow>('SELECT id, name, appid FROM agents WHERE revoked_at IS NULL AND (appid IS NULL OR appid = $1) ORDER BY name, id', [appid]);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** The live agents whose scope overlaps scope `appid` (null: every agent): the teammates an agent of that scope can hand work to. */
  async teammates(appid: string | null): Promise<AgentRow[]> {
    const rows = await this.store.query<AgentRow>('SELECT id, name, appid FROM agents WHERE revoked_at IS NULL AND ($1::text IS NULL OR appid IS NULL OR appid = $1) ORDER BY name, id', [appid]);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Which of these agents are deleted. */
  async revokedIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.store.query<{ id: number }>('SELECT id FROM agents WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL', [ids.map(String)]);
    return rows.map((r) => Number(r.id));
  }

  /** Every agent, deleted ones included (with the time they were deleted). */
  async list(): Promise<Array<AgentRow & { revokedAt: string | null }>> {
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
  async delete(by: { id: number } | { key: string }): Promise<{ agent: AgentRow; revokedAt: string; already: boolean } | null> {
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
    if (result) this.cache.forgetAgent(result.agent.id);
    return result;
  }
}
