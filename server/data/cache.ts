/**
 * Every in-memory copy of database rows this process keeps, and every rule
 * for dropping one: the rows read on most requests and socket frames (apps,
 * agents by key, the appid of a conversation) and the agents heard revoked.
 *
 * What invalidates what:
 * - an app: its `app_changed` / `app_disabled` events (every process), this
 *   process's own write to it (at once), or CACHE_TTL_MS (a safety net for
 *   edits made straight in the DB);
 * - an agent by key: created (a miss is never cached), deactivated
 *   (`agent_revoked` in every process, and this process's own delete at once),
 *   one key revoked (`agent_key_revoked`, likewise), renamed or its role
 *   changed (`agent_changed`, likewise; CACHE_TTL_MS for edits made straight
 *   in the DB); after a lost LISTEN, when events may have gone unheard, all of them;
 * - a conversation's appid never changes.
 *
 * The table modules (apps.ts, agents.ts, conversations.ts) read through it and
 * report their own writes; the hub hands it every event it hears (`heard`),
 * before acting on the event itself.
 */
import type { ServerEvent } from '../events.js';
import type { AppRow } from './apps.js';
import type { KeyedAgent } from './agents.js';

/** How long a cached app or agent row is trusted without an invalidating event. */
export const CACHE_TTL_MS = 30_000;
/** Bound on the agent cache (dropped whole when full). */
const AGENT_CACHE_MAX = 10_000;
/** Bound on the conversation -> appid cache (entries are immutable; the map is simply dropped when full). */
const CONV_APP_CACHE_MAX = 100_000;

export class DataCache {
  private apps = new Map<string, { at: number; app: Promise<AppRow | null> }>();
  /** By the hash of the agent's key. */
  private agents = new Map<string, { at: number; agent: KeyedAgent }>();
  /** Keys heard revoked, as revokedAgents (below) for agents. */
  private revokedKeys = new Set<number>();
  /**
   * Agents heard revoked: a lookup whose SELECT raced the revoke (read before
   * the commit, answered after the event) is refused rather than cached. Ids
   * are never reused, and only deleted agents land here, so it stays small.
   */
  private revokedAgents = new Set<number>();
  private convApp = new Map<string, string>();

  /** `now`: the clock of the TTL (ms); tests stop it so that only events can drop an entry. */
  constructor(private readonly now: () => number = Date.now) {}

  /** An event heard through LISTEN: drops what it makes stale. Synchronous, so whatever the hub does next sees the cache already right. */
  heard(e: ServerEvent): void {
    if (e.kind === 'app_changed' || e.kind === 'app_disabled') this.forgetApp(e.appid);
    else if (e.kind === 'agent_revoked') this.forgetAgent(e.agentId);
    else if (e.kind === 'agent_key_revoked') this.forgetKey(e.keyId);
    else if (e.kind === 'agent_changed') this.agentChanged(e.agentId);
    else if (e.kind === 'conversation_deleted') this.convApp.delete(e.conversationId);
  }

  /** Listening again after a deaf spell: an `agent_revoked` may have gone unheard, so the agent cache starts over. */
  listenResumed(): void {
    this.agents.clear();
  }

  // --- apps ---------------------------------------------------------------
  /** The cached app, or `load()`'s answer (cached too; a failed read is not remembered). */
  app(appid: string, load: () => Promise<AppRow | null>): Promise<AppRow | null> {
    const hit = this.apps.get(appid);
    if (hit && this.fresh(hit.at)) return hit.app;
    const app = load();
    this.apps.set(appid, { at: this.now(), app });
    app.catch(() => {
      if (this.apps.get(appid)?.app === app) this.apps.delete(appid);
    });
    return app;
  }

  /** Drops this process's copy of an app (its own write, or an app event). */
  forgetApp(appid: string): void {
    this.apps.delete(appid);
  }

  // --- agents -------------------------------------------------------------
  /** The cached agent of this key hash, or undefined. */
  agent(keyHash: string): KeyedAgent | undefined {
    const hit = this.agents.get(keyHash);
    return hit && this.fresh(hit.at) ? hit.agent : undefined;
  }

  /** Caches an agent just read; returns false (caching nothing) if it was heard revoked meanwhile. */
  rememberAgent(keyHash: string, agent: KeyedAgent): boolean {
    if (this.revokedAgents.has(agent.agent.id) || this.revokedKeys.has(agent.keyId)) return false;
    if (this.agents.size > AGENT_CACHE_MAX) this.agents.clear();
    this.agents.set(keyHash, { at: this.now(), agent });
    return true;
  }

  /** Drops a deleted agent and refuses it from now on (its `agent_revoked`, or this process's own delete). */
  forgetAgent(agentId: number): void {
    this.revokedAgents.add(agentId);
    for (const [hash, hit] of this.agents) if (hit.agent.agent.id === agentId) this.agents.delete(hash);
  }

  /** Drops an agent's cached rows (renamed, or its role changed): the next lookup reads it again. */
  agentChanged(agentId: number): void {
    for (const [hash, hit] of this.agents) if (hit.agent.agent.id === agentId) this.agents.delete(hash);
  }

  /** Drops a revoked key and refuses it from now on (its `agent_key_revoked`, or this process's own revoke). */
  forgetKey(keyId: number): void {
    this.revokedKeys.add(keyId);
    for (const [hash, hit] of this.agents) if (hit.agent.keyId === keyId) this.agents.delete(hash);
  }

  // --- conversations ------------------------------------------------------
  conversationAppid(conversationId: string): string | undefined {
    return this.convApp.get(conversationId);
  }

  rememberConversationAppid(conversationId: string, appid: string): void {
    if (this.convApp.size >= CONV_APP_CACHE_MAX) this.convApp.clear();
    this.convApp.set(conversationId, appid);
  }

  private fresh(at: number): boolean {
    return this.now() - at < CACHE_TTL_MS;
  }
}
