/**
 * The fan-out hub of one process: which visitor and agent sockets are open
 * here, who is online in other processes, and what to push when an event
 * arrives. Every change goes out as a NOTIFY and comes back through LISTEN
 * (including to this process), so one process and many behave alike.
 */
import type { WebSocket } from 'ws';
import type { AgentServerFrame, VisitorServerFrame } from '../src/protocol/wire.js';
import { CLOSE } from '../src/protocol/wire.js';
import { EVENTS_CHANNEL, parseEvent, type ServerEvent } from './events.js';
import { publish, type AgentRow, type Repo } from './repo.js';
import { randomId } from './auth.js';
import { closeSocket, sendFrame } from './ws/send.js';

export interface VisitorConn {
  ws: WebSocket;
  visitorUid: string;
  appid: string;
  conversationId: string;
  /** Deliver stored messages this socket has not seen yet. */
  pump(): void;
  sendUnread(): void;
}

export interface AgentConn {
  ws: WebSocket;
  agent: AgentRow;
}

export class Hub {
  readonly proc = randomId(8);
  private visitorsByConv = new Map<string, Set<VisitorConn>>();
  private visitorsByUid = new Map<string, Set<VisitorConn>>();
  private agents = new Set<AgentConn>();
  /** Remote processes' online visitors and agents. */
  private remote = new Map<string, { visitors: Set<string>; agents: Map<number, string | null> }>();
  private closed = false;

  constructor(private readonly repo: Repo) {}

  async start(): Promise<void> {
    await this.repo.store.listen(EVENTS_CHANNEL, (payload) => {
      const event = parseEvent(payload);
      if (event && !this.closed) this.handle(event).catch((err) => console.error('twt: event handling failed', err));
    });
    await this.emit({ kind: 'presence_hello', proc: this.proc });
  }

  stop(): void {
    this.closed = true;
  }

  emit(event: ServerEvent): Promise<void> {
    return publish(this.repo.store, event);
  }

  // --- registry ---------------------------------------------------------
  addVisitor(c: VisitorConn): void {
    add(this.visitorsByConv, c.conversationId, c);
    const firstHere = !this.visitorsByUid.get(c.visitorUid)?.size;
    add(this.visitorsByUid, c.visitorUid, c);
    if (firstHere) void this.emit({ kind: 'presence', proc: this.proc, visitorUid: c.visitorUid, online: true }).catch(() => {});
  }

  removeVisitor(c: VisitorConn): void {
    remove(this.visitorsByConv, c.conversationId, c);
    if (remove(this.visitorsByUid, c.visitorUid, c) && !this.closed) {
      void this.emit({ kind: 'presence', proc: this.proc, visitorUid: c.visitorUid, online: false }).catch(() => {});
    }
  }

  addAgent(c: AgentConn): void {
    const firstHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    this.agents.add(c);
    if (firstHere) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: true }).catch(() => {});
  }

  removeAgent(c: AgentConn): void {
    if (!this.agents.delete(c)) return;
    const lastHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    if (lastHere && !this.closed) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: false }).catch(() => {});
  }

  allSockets(): WebSocket[] {
    return [...[...this.visitorsByUid.values()].flatMap((s) => [...s].map((c) => c.ws)), ...[...this.agents].map((a) => a.ws)];
  }

  // --- presence ---------------------------------------------------------
  visitorOnline = (uid: string): boolean => {
    if (this.visitorsByUid.get(uid)?.size) return true;
    for (const r of this.remote.values()) if (r.visitors.has(uid)) return true;
    return false;
  };

  agentsOnline(appid: string): number {
    const ids = new Set<number>();
    for (const a of this.agents) if (a.agent.appid === null || a.agent.appid === appid) ids.add(a.agent.id);
    for (const r of this.remote.values()) for (const [id, scope] of r.agents) if (scope === null || scope === appid) ids.add(id);
    return ids.size;
  }

  // --- events -----------------------------------------------------------
  private async handle(e: ServerEvent): Promise<void> {
    switch (e.kind) {
      case 'message': {
        for (const c of this.visitorsByConv.get(e.conversationId) ?? []) {
          c.pump();
          c.sendUnread();
        }
        if (!this.agents.size) return;
        const message = await this.repo.message(e.messageId);
        const conv = await this.repo.agentConversation(e.conversationId, this.visitorOnline);
        if (!message || !conv) return;
        this.toAgents(conv.appid, { type: 'message', conversationId: e.conversationId, message });
        this.toAgents(conv.appid, { type: 'conversation', conversation: conv });
        return;
      }
      case 'conversation': {
        for (const c of this.visitorsByConv.get(e.conversationId) ?? []) c.sendUnread();
        await this.pushConversation(e.conversationId);
        return;
      }
      case 'typing': {
        if (e.from === 'visitor') {
          const conv = await this.repo.conversation(e.conversationId);
          if (conv) this.toAgents(conv.appid, { type: 'typing', conversationId: e.conversationId, typing: e.typing });
        } else {
          const frame: VisitorServerFrame = { type: 'typing', typing: e.typing, ...(e.authorName ? { authorName: e.authorName } : {}) };
          for (const c of this.visitorsByConv.get(e.conversationId) ?? []) sendFrame(c.ws, frame);
        }
        return;
      }
      case 'visitor_closed': {
        const reason = e.code === CLOSE.VISITOR_BANNED ? 'visitor banned' : 'token revoked';
        for (const c of [...(this.visitorsByUid.get(e.visitorUid) ?? [])]) closeSocket(c.ws, e.code, reason);
        return;
      }
      case 'app_disabled': {
        for (const set of this.visitorsByUid.values()) for (const c of [...set]) if (c.appid === e.appid) closeSocket(c.ws, CLOSE.APP_DISABLED, 'app disabled');
        return;
      }
      case 'presence': {
        if (e.proc === this.proc) {
          // Our own announcement: local state is already right; tell the agents / visitors.
        } else {
          let r = this.remote.get(e.proc);
          if (!r) this.remote.set(e.proc, (r = { visitors: new Set(), agents: new Map() }));
          if (e.visitorUid) e.online ? r.visitors.add(e.visitorUid) : r.visitors.delete(e.visitorUid);
          if (e.agent) e.online ? r.agents.set(e.agent.id, e.agent.appid) : r.agents.delete(e.agent.id);
        }
        if (e.visitorUid && this.agents.size) {
          const visitor = await this.repo.visitorByUid(e.visitorUid);
          if (visitor) {
            const convs = await this.repo.agentConversations({ appid: visitor.appid }, this.visitorOnline);
            for (const conv of convs) if (conv.visitor.visitorUid === e.visitorUid) this.toAgents(conv.appid, { type: 'conversation', conversation: conv });
          }
        }
        if (e.agent) {
          for (const set of this.visitorsByUid.values())
            for (const c of set) if (e.agent.appid === null || e.agent.appid === c.appid) sendFrame(c.ws, { type: 'presence', agentsOnline: this.agentsOnline(c.appid) });
        }
        return;
      }
      case 'presence_hello': {
        if (e.proc === this.proc) return;
        for (const uid of this.visitorsByUid.keys()) await this.emit({ kind: 'presence', proc: this.proc, visitorUid: uid, online: true });
        const seen = new Set<number>();
        for (const a of this.agents) {
          if (seen.has(a.agent.id)) continue;
          seen.add(a.agent.id);
          await this.emit({ kind: 'presence', proc: this.proc, agent: { id: a.agent.id, appid: a.agent.appid }, online: true });
        }
        return;
      }
    }
  }

  async pushConversation(conversationId: string): Promise<void> {
    if (!this.agents.size) return;
    const conv = await this.repo.agentConversation(conversationId, this.visitorOnline);
    if (conv) this.toAgents(conv.appid, { type: 'conversation', conversation: conv });
  }

  private toAgents(appid: string, frame: AgentServerFrame): void {
    for (const a of this.agents) if (a.agent.appid === null || a.agent.appid === appid) sendFrame(a.ws, frame);
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Removes; returns true when the key's set became empty. */
function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  const set = map.get(key);
  if (!set || !set.delete(value)) return false;
  if (set.size) return false;
  map.delete(key);
  return true;
}
