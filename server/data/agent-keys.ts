/**
 * The agent_keys table: an agent's API keys, for integrations (REST with
 * `Authorization: Bearer <key>`, the agent socket's auth frame). Only the
 * SHA-256 of a key is stored; the key itself is shown once, at creation.
 * Revoked keys stay (revoked_at set) so a revoked key is never stored again.
 */
import type { Store } from '../db/store.js';
import { randomId, sha256Hex } from '../auth.js';
import { publish } from '../events.js';
import type { DataCache } from './cache.js';
import { iso } from './rows.js';

export interface AgentKeyListing {
  id: number;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const KEY_LABEL_MAX = 100;

/** A fresh key: `ak_` and 32 random bytes. */
export function newAgentKey(): string {
  return 'ak_' + randomId(32);
}

export class AgentKeys {
  constructor(
    private readonly store: Store,
    private readonly cache: DataCache,
  ) {}

  /**
   * Stores a key for a live agent. `key` defaults to a fresh one; a given key
   * that is (or was) stored already is refused (null), as is a deactivated agent.
   */
  async create(agentId: number, label: string, key: string = newAgentKey()): Promise<{ id: number; key: string } | null> {
    const rows = await this.store.query<{ id: number }>(
      `INSERT INTO agent_keys (agent_id, hash, label) SELECT id, $2, $3 FROM agents WHERE id = $1::bigint AND revoked_at IS NULL
       ON CONFLICT (hash) DO NOTHING RETURNING id`,
      [String(agentId), sha256Hex(key), label],
    );
    return rows[0] ? { id: Number(rows[0].id), key } : null;
  }

  async list(agentId: number): Promise<AgentKeyListing[]> {
    type Row = { id: number; label: string; created_at: Date | string; last_used_at: Date | string | null; revoked_at: Date | string | null };
    const rows = await this.store.query<Row>('SELECT id, label, created_at, last_used_at, revoked_at FROM agent_keys WHERE agent_id = $1::bigint ORDER BY id', [String(agentId)]);
    return rows.map((r) => ({
      id: Number(r.id),
      label: r.label,
      createdAt: iso(r.created_at),
      lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    }));
  }

  /** Which of these keys are revoked. */
  async revokedIds(ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows = await this.store.query<{ id: number }>('SELECT id FROM agent_keys WHERE id = ANY($1::bigint[]) AND revoked_at IS NOT NULL', [ids.map(String)]);
    return rows.map((r) => Number(r.id));
  }

  /**
   * Revokes one key of this agent: REST calls with it get 401 and the sockets
   * it opened close (CLOSE.TOKEN_REVOKED) in every process once
   * `agent_key_revoked` is heard. False when the agent has no such live key.
   */
  async revoke(agentId: number, keyId: number): Promise<boolean> {
    const done = await this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE agent_keys SET revoked_at = now() WHERE id = $1::bigint AND agent_id = $2::bigint AND revoked_at IS NULL RETURNING id', [String(keyId), String(agentId)]);
      if (!rows.length) return false;
      await publish(tx, { kind: 'agent_key_revoked', agentId, keyId });
      return true;
    });
    if (done) this.cache.forgetKey(keyId);
    return done;
  }
}
