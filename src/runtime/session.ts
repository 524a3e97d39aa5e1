/**
 * The panel's HTTP calls to the widget server: create or resume the visitor
 * session (which also yields a fresh token from the identity clue, and lists
 * the visitor's conversations). The chat UI's calls (history, rating, away
 * hours: chat-actions.ts, visitor-requests.ts) go through `request`, loaded with
 * it. Tokens travel only in the request body or the Authorization header.
 */
import type {
  ErrorBody,
  VisitorSessionRequest,
  VisitorSessionResponse,
} from '../shared/wire-protocol.js';
import { Refusal } from './refusal.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface SessionApiOptions {
  /** The widget origin W (the surface's own origin). */
  server: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export class SessionApi {
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;

  constructor(private readonly options: SessionApiOptions) {
    this.fetchImpl = options.fetch ?? ((i, init) => fetch(i, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  createSession(req: VisitorSessionRequest): Promise<VisitorSessionResponse> {
    return this.request<VisitorSessionResponse>('/v1/visitor/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req),
    }, (b) => typeof b.token === 'string' && typeof b.visitor === 'object' && b.visitor !== null);
  }

  /**
   * One JSON request to the widget server: a timeout, the server's refusal as a Refusal, the answer checked by
   * `valid`. Public for the chat UI's lazy calls (chat-actions.ts, visitor-requests.ts), so they cost the panel's boot nothing.
   */
  async request<T>(path: string, init: RequestInit, valid: (body: Record<string, unknown>) => boolean): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(this.options.server + path, { ...init, credentials: 'omit', signal: controller.signal });
    } catch (err) {
      throw controller.signal.aborted
        ? new Refusal('timeout', `${path}: no answer in ${this.timeoutMs} ms`)
        : new Refusal('network', `${path}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new Refusal('invalid_response', `${path}: answer is not JSON (HTTP ${res.status})`, res.status);
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (!res.ok || b.ok !== true) {
      const err = b as Partial<ErrorBody>;
      const retryAfterSeconds = Number(res.headers.get('retry-after'));
      throw new Refusal(
        typeof err.reason === 'string' ? err.reason : `http_${res.status}`,
        typeof err.message === 'string' ? err.message : `${path}: HTTP ${res.status}`,
        res.status,
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0,
      );
    }
    if (!valid(b)) throw new Refusal('invalid_response', `${path}: unexpected answer`, res.status);
    return body as T;
  }
}
