/**
 * /v1/agent/ws: live pushes to agents. First frame `{type:'auth', key}`; a
 * socket opened with a console session cookie from the console's own origin
 * (checked at the upgrade, server/app.ts) is authenticated already and its
 * auth frame needs no key.
 */
import type { WebSocket } from 'ws';
import { AGENT_CLIENT_TYPES, CLOSE, parseFrame, type AgentClientFrame, type AgentServerFrame } from '../../src/shared/wire-protocol.js';
import type { ServerContext } from '../context.js';
import type { AgentConn } from '../hub.js';
import type { KeyedAgent } from '../data/agents.js';
import type { AgentSession } from '../data/agent-sessions.js';
import { retryAfterSeconds } from '../limits.js';
import { possibleId } from '../storable-input.js';
import { SocketSession } from './socket-session.js';
import { logFailure } from '../failure-log.js';

type AuthFrame = Extract<AgentClientFrame, { type: 'auth' }>;

/** `address`: the client's limit key (server/client-address.ts), for the throttle on wrong keys; `session`: the upgrade's console session, if any. */
export function handleAgentSocket(ctx: ServerContext, ws: WebSocket, address: string, session: AgentSession | null = null): void {
  new AgentSocket(ctx, ws, address, session);
}

class AgentSocket extends SocketSession<AgentServerFrame> {
  /** Registered with the hub once authenticated. */
  private conn: AgentConn | null = null;
  private authing = false;

  constructor(
    ctx: ServerContext,
    ws: WebSocket,
    private readonly address: string,
    private readonly session: AgentSession | null,
  ) {
    super(ctx, ws);
  }

  protected received(raw: string | null): void {
    this.onFrame(raw).catch((err) => {
      logFailure('agent frame', err);
      this.send({ type: 'error', code: 'internal', message: 'internal error' });
    });
  }

  protected closed(): void {
    if (this.conn) this.ctx.hub.removeAgent(this.conn);
    // Gone: the others stop seeing this agent in the conversation it had open.
    if (this.conn && this.viewing) this.announceViewing(this.viewing, false);
    // And stop seeing it type (the console's own "stopped" would have died with the socket).
    if (this.conn) this.stopTypingElsewhere(null);
  }

  /** An agent types in one conversation at a time: a `typing` it never ended elsewhere ends now (else the visitor there sees it forever). */
  private stopTypingElsewhere(conversationId: string | null): void {
    const was = this.typingIn;
    if (!was || was.conversationId === conversationId) return;
    this.typingIn = null;
    const agent = this.conn!.agent;
    this.ctx.typing.offer({ kind: 'typing', conversationId: was.conversationId, from: 'agent', typing: false, authorName: agent.name, agentId: agent.id, appid: was.appid });
  }

  /** The conversation this agent last said it was typing in, until it says it stopped. */
  private typingIn: { conversationId: string; appid: string } | null = null;

  /** The conversation this agent has open (and its app), as the last `viewing` frame said. */
  private viewing: { conversationId: string; appid: string } | null = null;

  private announceViewing(v: { conversationId: string; appid: string }, active: boolean): void {
    const agent = this.conn!.agent;
    void this.ctx.hub
      .emit({ kind: 'agent_activity', conversationId: v.conversationId, appid: v.appid, agent: { id: agent.id, name: agent.name }, activity: 'viewing', active })
      .catch((err) => logFailure('agent activity', err));
  }

  private async onFrame(raw: string | null): Promise<void> {
    const frame = raw === null ? null : parseFrame<AgentClientFrame>(raw, AGENT_CLIENT_TYPES);
    const conn = this.conn;
    if (!conn) {
      if (this.authing) return;
      if (!frame || frame.type !== 'auth') return this.closeWith(CLOSE.PROTOCOL_ERROR, 'first frame must be auth');
      this.authing = true;
      return this.authenticate(frame);
    }
    if (!frame) return this.refuse('malformed', 'frames are JSON objects with a known type');
    if (!this.frames.take()) return this.refuse('rate_limited', 'too many frames; slow down');
    switch (frame.type) {
      case 'ping':
        return this.send({ type: 'pong' });
      case 'auth':
        return this.refuse('malformed', 'already authenticated');
      case 'typing': {
        const conversationId = possibleId(frame.conversationId);
        if (typeof frame.typing !== 'boolean' || typeof frame.conversationId !== 'string') return this.refuse('malformed', 'typing needs conversationId and typing');
        const appid = conversationId === null ? null : await this.ctx.data.conversations.appid(conversationId);
        if (!appid || (conn.agent.appid !== null && conn.agent.appid !== appid)) return this.refuse('malformed', 'unknown conversation');
        this.stopTypingElsewhere(conversationId!);
        this.typingIn = frame.typing ? { conversationId: conversationId!, appid } : null;
        return this.ctx.typing.offer({ kind: 'typing', conversationId: conversationId!, from: 'agent', typing: frame.typing, authorName: conn.agent.name, agentId: conn.agent.id, appid });
      }
      case 'viewing': {
        if (frame.conversationId !== null && typeof frame.conversationId !== 'string') return this.refuse('malformed', 'viewing needs conversationId (a string, or null)');
        const conversationId = frame.conversationId === null ? null : possibleId(frame.conversationId);
        const appid = conversationId === null ? null : await this.ctx.data.conversations.appid(conversationId);
        if (frame.conversationId !== null && (!appid || (conn.agent.appid !== null && conn.agent.appid !== appid))) return this.refuse('malformed', 'unknown conversation');
        const before = this.viewing;
        if (before && before.conversationId !== conversationId) this.announceViewing(before, false);
        this.viewing = conversationId && appid ? { conversationId, appid } : null;
        // Announced again on every renewal: the others' display of it expires after AGENT_ACTIVITY_TTL_MS otherwise.
        if (this.viewing) this.announceViewing(this.viewing, true);
        return;
      }
    }
  }

  private async authenticate(frame: AuthFrame): Promise<void> {
    const { ctx, ws, address } = this;
    if (this.session && frame.key === undefined) {
      this.authSettled();
      if (ws.readyState !== ws.OPEN) return;
      this.conn = { ws, agent: this.session.agent, sessionRef: this.session.ref, rowsFromMessages: frame.rowsFromMessages === true };
      ctx.hub.addAgent(this.conn);
      return this.send({ type: 'ready', agentName: this.session.agent.name });
    }
    // This address has used up its wrong keys: no key is even looked at until a token is back.
    const wait = ctx.limits.agentAuthFailures.retryAfterMs(address);
    if (wait > 0) {
      this.authSettled();
      const seconds = retryAfterSeconds(wait);
      this.send({ type: 'error', code: 'rate_limited', message: `too many wrong agent keys from this address; retry after ${seconds} s`, retryAfter: seconds });
      return this.closeWith(CLOSE.RATE_LIMITED, `too many wrong agent keys; retry after ${seconds} s`);
    }
    let found: KeyedAgent | null;
    try {
      found = typeof frame.key === 'string' ? await ctx.data.agents.byKey(frame.key) : null;
    } catch (err) {
      // The handshake has one outcome whatever happens: `ready` or a close code.
      logFailure('agent auth', err);
      return this.closeWith(CLOSE.INTERNAL_ERROR, 'internal error');
    } finally {
      this.authSettled();
    }
    if (!found) {
      ctx.limits.agentAuthFailures.take(address);
      return this.closeWith(CLOSE.TOKEN_REVOKED, 'unknown agent key');
    }
    if (ws.readyState !== ws.OPEN) return;
    this.conn = { ws, agent: found.agent, keyId: found.keyId, rowsFromMessages: frame.rowsFromMessages === true };
    ctx.hub.addAgent(this.conn);
    this.send({ type: 'ready', agentName: found.agent.name, agentId: found.agent.id });
  }
}
