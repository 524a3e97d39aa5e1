/**
 * Test doubles for unit tests of the runtime (imported only by *.test.ts):
 * a scriptable WebSocket and a fetch answering the session endpoints.
 */
import type { MessageView, VisitorServerFrame } from '../../../src/shared/wire-protocol.js';

export { sleep, until } from '../wait.js';

export class FakeWebSocket extends EventTarget {
  static instances: FakeWebSocket[] = [];
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: any[] = [];
  createdAt = Date.now();

  constructor(readonly url: string) {
    super();
    FakeWebSocket.instances.push(this);
  }

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  static get latest(): FakeWebSocket {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true }));
  }

  // Server side controls.
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  receive(frame: VisitorServerFrame): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }

  serverClose(code: number, reason = ''): void {
    this.close(code, reason);
  }
}

export function message(seq: number, author: MessageView['author'], text = `m${seq}`, extra: Partial<MessageView> = {}): MessageView {
  return { id: `id${seq}`, conversationId: 'c1', seq, author, text, createdAt: new Date().toISOString(), ...extra };
}

export function sessionAnswer(over: Record<string, unknown> = {}) {
  return {
    ok: true,
    token: 'tok-' + Math.random().toString(36).slice(2),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    visitor: { visitorUid: 'v1', bs: 'bs1', bs_mm: 'mm1', fkid: 'fk1', source: 'initial' },
    app: { appid: 'demo', name: 'Demo', greeting: 'Hi!', agentsOnline: 1 },
    conversations: [],
    ...over,
  };
}

/** A fetch answering /v1/visitor/session (whose answer lists the conversations: the panel asks nothing else at boot); records requests. */
export function fakeFetch(
  routes: {
    session?: () => { status: number; body: unknown; headers?: Record<string, string> };
    /** Any other request: an answer, or null for 404. */
    other?: (url: string, init?: RequestInit) => { status: number; body: unknown } | null;
  } = {},
) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fn = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    if (url.endsWith('/v1/visitor/session')) {
      const r = routes.session?.() ?? { status: 200, body: sessionAnswer() };
      return json(r.status, r.body, r.headers);
    }
    const other = routes.other?.(url, init);
    if (other) return json(other.status, other.body);
    return json(404, { ok: false, reason: 'not_found', message: 'no route' });
  };
  return { fetch: fn, calls };
}
