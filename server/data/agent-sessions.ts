/**
 * The agent_sessions table: console sign-ins. A session id is 32 random bytes
 * handed to the browser once (in an HttpOnly cookie); only its SHA-256 is
 * stored, so a copy of the table signs nobody in. A session ends on sign-out,
 * when idle too long, at its absolute lifetime, or when its agent is
 * deactivated or its password reset. Time comes from the caller (an
 * injectable wall clock), so tests step it.
 */
import type { Store } from '../db/store.js';
import { randomId, sha256Hex } from '../auth.js';
import { publish } from '../events.js';
import { toAgentRow, type AgentRole, type AgentRow } from './agents.js';

export interface SessionPolicy {
  /** A session not used for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 12 * 3600_000, absoluteMs: 7 * 24 * 3600_000 };
/** A session's seen_at is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;
/** Session ids are 43 characters (32 bytes, base64url); anything much longer is not looked up. */
const SESSION_ID_MAX = 100;

/** What names a session in events and on sockets without being able to sign in: a prefix of its stored hash. */
export const sessionRef = (idHash: string) => idHash.slice(0, 16);

export interface AgentSession {
  agent: AgentRow;
  /** sessionRef() of this session. */
  ref: string;
}

export class AgentSessions {
  constructor(private readonly store: Store) {}

  /** Starts a session; returns its id (for the cookie, never stored) and ref. */
  async create(agentId: number, nowMs: number): Promise<{ id: string; ref: string }> {
    const id = randomId(32);
    const hash = sha256Hex(id);
    const at = new Date(nowMs).toISOString();
    await this.store.query('INSERT INTO agent_sessions (id_hash, agent_id, created_at, seen_at) VALUES ($1, $2::bigint, $3, $3)', [hash, String(agentId), at]);
    return { id, ref: sessionRef(hash) };
  }

  /** The live session with this id and its (live) agent, or null: expired ones are deleted on the way. */
  async find(id: string, nowMs: number, policy: SessionPolicy): Promise<AgentSession | null> {
    if (!id || id.length > SESSION_ID_MAX) return null;
    const hash = sha256Hex(id);
    type Row = { id: number; name: string; appid: string | null; role: AgentRole; email: string | null; created_at: Date | string; seen_at: Date | string };
    const rows = await this.store.query<Row>(
      `SELECT a.id, a.name, a.appid, a.role, a.email, s.created_at, s.seen_at FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
       WHERE s.id_hash = $1 AND a.revoked_at IS NULL`,
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    const created = new Date(r.created_at).getTime();
    const seen = new Date(r.seen_at).getTime();
    if (nowMs - seen >= policy.idleMs || nowMs - created >= policy.absoluteMs) {
      await this.store.query('DELETE FROM agent_sessions WHERE id_hash = $1', [hash]);
      return null;
    }
    if (nowMs - seen >= TOUCH_EVERY_MS) await this.store.query('UPDATE agent_sessions SET seen_at = $2 WHERE id_hash = $1', [hash, new Date(nowMs).toISOString()]);
    return { agent: toAgentRow(r), ref: sessionRef(hash) };
  }

  /** Ends one session (sign-out); its sockets close in every process. */
  async end(id: string): Promise<void> {
    if (!id || id.length > SESSION_ID_MAX) return;
    const hash = sha256Hex(id);
    await this.store.transaction(async (tx) => {
      const rows = await tx.query<{ agent_id: number }>('DELETE FROM agent_sessions WHERE id_hash = $1 RETURNING agent_id', [hash]);
      if (rows[0]) await publish(tx, { kind: 'agent_sessions_ended', agentId: Number(rows[0].agent_id), sessionRef: sessionRef(hash) });
    });
  }

  /** Which of these session refs still name a stored session. */
  async liveRefs(refs: readonly string[]): Promise<Set<string>> {
    if (!refs.length) return new Set();
    const rows = await this.store.query<{ ref: string }>('SELECT left(id_hash, 16) AS ref FROM agent_sessions WHERE left(id_hash, 16) = ANY($1::text[])', [[...refs]]);
    return new Set(rows.map((r) => r.ref));
  }

  /** Deletes sessions past their lifetime (housekeeping; find() refuses them anyway). */
  async sweep(nowMs: number, policy: SessionPolicy): Promise<void> {
    await this.store.query('DELETE FROM agent_sessions WHERE seen_at <= $1 OR created_at <= $2', [new Date(nowMs - policy.idleMs).toISOString(), new Date(nowMs - policy.absoluteMs).toISOString()]);
  }
}
