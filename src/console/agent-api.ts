/** The console's client of the agent API (REST + /v1/agent/ws), same origin as the page. */
import type {
  AgentConversation,
  AgentConversationsResponse,
  AgentServerFrame,
  CannedReplyView,
  InboxView,
  MessageView,
  MessagesResponse,
  SearchResponse,
  SearchResult,
  TeammateView,
  VisitorContextResponse,
} from '../shared/wire-protocol.js';
import type { VisitorContext } from '../shared/visitor-context.js';
import type { AttachmentView } from '../shared/attachments.js';
import { AGENT_SERVER_TYPES, parseFrame } from '../shared/wire-protocol.js';
import { backoffDelay, type BackoffOptions } from '../shared/backoff.js';

/** Reconnect delays of the agent socket: from 0.5 s (first retry) up to 30 s, with jitter. */
const CONSOLE_BACKOFF: BackoffOptions = { min: 500, max: 30_000, factor: 2 };

/** The live connection: typing and viewing go out on it; stop() ends it. */
export interface LiveConnection {
  stop(): void;
  typing(conversationId: string, typing: boolean): void;
  /** The conversation open now (null: none); the others see it until it changes, the socket closes, or it is not renewed. */
  viewing(conversationId: string | null): void;
}

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

  /** One inbox view, with every view's count, the server's clock and who the agent is. `limit: 1` when only the counts are wanted. */
  /** One page of a view; `after`: the previous page's `next`. */
  view(view: InboxView, limit?: number, after?: string): Promise<AgentConversationsResponse> {
    return this.call<AgentConversationsResponse>(`/v1/agent/conversations?view=${view}${limit ? `&limit=${limit}` : ''}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
  }

  /** One conversation's summary (a row not loaded yet, or one the console lost track of). */
  async conversation(id: string): Promise<AgentConversation> {
    return (await this.call<{ ok: true; conversation: AgentConversation }>(`/v1/agent/conversations/${encodeURIComponent(id)}`)).conversation;
  }

  async messages(id: string, after = 0): Promise<MessageView[]> {
    return (await this.call<MessagesResponse>(`/v1/agent/conversations/${encodeURIComponent(id)}/messages?after=${after}`)).messages;
  }

  /** `attachments`: ids of files this agent uploaded to the conversation (upload()). */
  async send(id: string, text: string, clientId: string, attachments: string[] = []): Promise<MessageView> {
    const body = attachments.length ? { text, clientId, attachments } : { text, clientId };
    return (await this.call<{ ok: true; message: MessageView }>(`/v1/agent/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body })).message;
  }

  /** Uploads a file to the conversation (src/shared/attachments.ts); rejects with the server's reason as `cause`. */
  async upload(id: string, file: File): Promise<AttachmentView> {
    const res = await fetch(`/v1/agent/conversations/${encodeURIComponent(id)}/attachments?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { ...(this.key === null ? {} : { authorization: `Bearer ${this.key}` }), 'content-type': 'application/octet-stream' },
      body: file,
      credentials: this.key === null ? 'same-origin' : 'omit',
    });
    const data = await res.json().catch(() => null);
    if (!res.ok || !data?.ok) throw new Error(data?.message ?? `HTTP ${res.status}`, { cause: data?.reason ?? 'network' });
    return (data as { attachment: AttachmentView }).attachment;
  }

  /** The visitor context of the side panel (<twt-visitor-context>). */
  async visitorContext(visitorUid: string): Promise<VisitorContext> {
    return (await this.call<VisitorContextResponse>(`/v1/agent/visitors/${encodeURIComponent(visitorUid)}/context`)).context;
  }

  async markRead(id: string, seq: number): Promise<void> {
    await this.call(`/v1/agent/conversations/${encodeURIComponent(id)}/read`, { method: 'POST', body: { seq } });
  }

  /** Assigns the conversation to agent `agentId` (null: unassigns it). */
  async assign(id: string, agentId: number | null): Promise<AgentConversation> {
    return (await this.call<{ ok: true; conversation: AgentConversation }>(`/v1/agent/conversations/${encodeURIComponent(id)}/assign`, { method: 'POST', body: { agentId } })).conversation;
  }

  async setStatus(id: string, status: 'resolved' | 'open'): Promise<AgentConversation> {
    const action = status === 'resolved' ? 'resolve' : 'reopen';
    return (await this.call<{ ok: true; conversation: AgentConversation }>(`/v1/agent/conversations/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: {} })).conversation;
  }

  async teammates(): Promise<TeammateView[]> {
    return (await this.call<{ ok: true; agents: TeammateView[] }>('/v1/agent/teammates')).agents;
  }

  async search(q: string): Promise<SearchResult[]> {
    return (await this.call<SearchResponse>(`/v1/agent/search?q=${encodeURIComponent(q)}`)).results;
  }

  async cannedReplies(): Promise<CannedReplyView[]> {
    return (await this.call<{ ok: true; replies: CannedReplyView[] }>('/v1/agent/canned-replies')).replies;
  }

  async createCannedReply(r: { appid: string; shortcut: string; text: string }): Promise<CannedReplyView> {
    return (await this.call<{ ok: true; reply: CannedReplyView }>('/v1/agent/canned-replies', { method: 'POST', body: r })).reply;
  }

  async deleteCannedReply(id: number): Promise<void> {
    await this.call(`/v1/agent/canned-replies/${id}/delete`, { method: 'POST', body: {} });
  }

  /** Live frames; reconnects with capped, jittered backoff until stopped. */
  live(onFrame: (f: AgentServerFrame) => void, onState: (s: 'online' | 'offline' | 'refused') => void): LiveConnection {
    let ws: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Said again after a reconnect, so the others see it on the new socket too. */
    let viewing: string | null = null;
    const sendNow = (frame: object) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    };
    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/agent/ws`;
      ws = new WebSocket(url);
      // The session cookie rode along with the handshake; a key goes in the auth frame. The inbox keeps its rows
      // from `message` frames (inbox/message-rows.ts): no summary after each message is needed.
      ws.onopen = () => ws?.send(JSON.stringify({ type: 'auth', rowsFromMessages: true, ...(this.key === null ? {} : { key: this.key }) }));
      ws.onmessage = (e) => {
        const f = typeof e.data === 'string' ? parseFrame<AgentServerFrame>(e.data, AGENT_SERVER_TYPES) : null;
        if (!f) return;
        if (f.type === 'ready') {
          attempt = 0;
          onState('online');
          if (viewing) sendNow({ type: 'viewing', conversationId: viewing });
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
        sendNow({ type: 'typing', conversationId, typing });
      },
      viewing(conversationId) {
        viewing = conversationId;
        sendNow({ type: 'viewing', conversationId });
      },
    };
  }
}
