/** /v1/agent/ws: live pushes to agents. First frame `{type:'auth', key}`. */
import type { WebSocket, RawData } from 'ws';
import { AGENT_CLIENT_TYPES, CLOSE, parseFrame, type AgentClientFrame, type AgentServerFrame } from '../../src/protocol/wire.js';
import type { ServerContext } from '../context.js';
import type { AgentConn } from '../hub.js';
import { retryAfterSeconds } from '../limits.js';
import { closeSocket, sendFrame } from './send.js';
import { possibleId } from '../storable-input.js';
import { logFailure } from '../failure-log.js';

/** `address`: the client's limit key (server/client-address.ts), for the throttle on wrong keys. */
export function handleAgentSocket(ctx: ServerContext, ws: WebSocket, address: string): void {
  let conn: AgentConn | null = null;
  let authing = false;
  let strikes = 0;
  /** Typing and ping frames of this socket. */
  const frames = ctx.limits.socketFrames();
  const authTimer = setTimeout(() => closeSocket(ws, CLOSE.AUTH_TIMEOUT, 'no auth frame'), 10_000);
  const send = (f: AgentServerFrame) => sendFrame(ws, f);
  const refuse = (code: 'malformed' | 'unknown_type' | 'rate_limited', message: string) => {
    send({ type: 'error', code, message });
    if (++strikes > 20) closeSocket(ws, code === 'rate_limited' ? CLOSE.RATE_LIMITED : CLOSE.PROTOCOL_ERROR, 'too many refused frames');
  };

  ws.on('close', () => {
    clearTimeout(authTimer);
    if (conn) ctx.hub.removeAgent(conn);
  });
  ws.on('error', () => {});
  ws.on('message', (data: RawData, isBinary: boolean) => {
    onFrame(isBinary ? null : data.toString()).catch((err) => {
      logFailure('agent frame', err);
      send({ type: 'error', code: 'internal', message: 'internal error' });
    });
  });

  async function onFrame(raw: string | null): Promise<void> {
    const frame = raw === null ? null : parseFrame<AgentClientFrame>(raw, AGENT_CLIENT_TYPES);
    if (!conn) {
      if (authing) return;
      if (!frame || frame.type !== 'auth') return closeSocket(ws, CLOSE.PROTOCOL_ERROR, 'first frame must be auth');
      authing = true;
      // This address has used up its wrong keys: no key is even looked at until a token is back.
      const wait = ctx.limits.agentAuthFailures.retryAfterMs(address);
      if (wait > 0) {
        clearTimeout(authTimer);
        const seconds = retryAfterSeconds(wait);
        send({ type: 'error', code: 'rate_limited', message: `too many wrong agent keys from this address; retry after ${seconds} s`, retryAfter: seconds });
        return closeSocket(ws, CLOSE.RATE_LIMITED, `too many wrong agent keys; retry after ${seconds} s`);
      }
      let agent: Awaited<ReturnType<typeof ctx.data.agents.byKey>>;
      try {
        agent = typeof frame.key === 'string' ? await ctx.data.agents.byKey(frame.key) : null;
      } catch (err) {
        // The handshake has one outcome whatever happens: `ready` or a close code.
        logFailure('agent auth', err);
        return closeSocket(ws, CLOSE.INTERNAL_ERROR, 'internal error');
      } finally {
        clearTimeout(authTimer);
      }
      if (!agent) {
        ctx.limits.agentAuthFailures.take(address);
        return closeSocket(ws, CLOSE.TOKEN_REVOKED, 'unknown agent key');
      }
      if (ws.readyState !== ws.OPEN) return;
      conn = { ws, agent };
      ctx.hub.addAgent(conn);
      send({ type: 'ready', agentName: agent.name });
      return;
    }
    if (!frame) return refuse('malformed', 'frames are JSON objects with a known type');
    if (!frames.take()) return refuse('rate_limited', 'too many frames; slow down');
    switch (frame.type) {
      case 'ping':
        return send({ type: 'pong' });
      case 'auth':
        return refuse('malformed', 'already authenticated');
      case 'typing': {
        const conversationId = possibleId(frame.conversationId);
        if (typeof frame.typing !== 'boolean' || typeof frame.conversationId !== 'string') return refuse('malformed', 'typing needs conversationId and typing');
        const appid = conversationId === null ? null : await ctx.data.conversations.appid(conversationId);
        if (!appid || (conn.agent.appid !== null && conn.agent.appid !== appid)) return refuse('malformed', 'unknown conversation');
        return ctx.typing.offer({ kind: 'typing', conversationId: conversationId!, from: 'agent', typing: frame.typing, authorName: conn.agent.name });
      }
    }
  }
}
