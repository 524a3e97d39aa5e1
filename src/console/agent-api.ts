/** The console's client of the agent API (REST + /v1/agent/ws), same origin as the page. */
import type { AgentConversation, AgentConversationsResponse, AgentServerFrame, MessageView, MessagesResponse } from '../shared/wire-protocol.js';
import { AGENT_SERVER_TYPES, parseFrame } from '../shared/wire-protocol.js';
import { backoffDelay, type BackoffOptions } from '../shared/backoff.js';

/** Reconnect delays of the agent socket: from 0.5 s (first retry) up to 30 s, with jitter. */
const CONSOLE_BACKOFF: BackoffOptions = { min: 500, max: 30_000, factor: 2 };

export class AgentApi {
  /** `key`: an agent API key; null = the console's session cookie (sign-in/). */
  constructor(private readonly key: string | null) {}

  private async call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: { ...(this.key === null ? {} : { authorization: `Bearer ${this.key}` }), 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: this.key === null ? 'same-origin' : 'omit',
    });
    const data = await res.json().catch(() => null);
    if (!res.ok || !data?.ok) throw new Error(data?.message ?? `HTTP ${res.status}`);
    return data as T;
  }

  async conversations(): Promise<AgentConversation[]> {
    return (await this.call<AgentConversationsResponse>('/v1/agent/conversations')).conversations;
  }

  async messages(id: string, after = 0): Promise<MessageView[]> {
    return (await this.call<MessagesResponse>(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?after=${after}`)).messages;
  }

  async send(id: string, text: string, clientId: string): Promise<MessageView> {
    return (await this.call<{ ok: true; message: MessageView }>(`/v1/agent/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: { text, clientId } })).message;
  }

  async markRead(id: string, seq: number): Promise<void> {
    await this.call(`/v1/agent/conversations/${encodeURIComponent(id)}/read`, { method: 'POST', body: { seq } });
  }

  /** Live frames; reconnects with capped, jittered backoff until stopped. Returns stop(). */
  live(onFrame: (f: AgentServerFrame) => void, onState: (s: 'online' | 'offline' | 'refused') => void): { stop(): void; typing(conversationId: string, typing: boolean): void } {
    let ws: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/agent/ws`;
      ws = new WebSocket(url);
      // The session cookie rode along with the handshake; a key goes in the auth frame.
      ws.onopen = () => ws?.send(JSON.stringify(this.key === null ? { type: 'auth' } : { type: 'auth', key: this.key }));
      ws.onmessage = (e) => {
        const f = typeof e.data === 'string' ? parseFrame<AgentServerFrame>(e.data, AGENT_SERVER_TYPES) : null;
        if (!f) return;
        if (f.type === 'ready') {
          attempt = 0;
          onState('online');
        }
        onFrame(f);
      };
      ws.onclose = (e) => {
        ws = null;
        if (stopped) return;
        if (e.code === 4003) return onState('refused');
        onState('offline');
        const delay = backoffDelay(++attempt, Math.random, CONSOLE_BACKOFF);
        timer = setTimeout(connect, delay);
      };
    };
    connect();
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
        ws?.close();
      },
      typing(conversationId, typing) {
        if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'typing', conversationId, typing }));
      },
    };
  }
}
