import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, type ErrorBody } from '../../src/shared/wire-protocol.js';
import { retryAfterSeconds } from '../limits.js';
import { Refusal } from '../refusal.js';

export function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  const body: ErrorBody = { ok: false, reason, message };
  sendJson(res, status, body, headers);
}

/** 429 `rate_limited` with Retry-After (whole seconds, at least 1). */
export function sendRateLimited(res: ServerResponse, retryAfterMs: number, message: string, headers: Record<string, string> = {}): void {
  sendError(res, 429, 'rate_limited', message, { ...headers, 'retry-after': String(retryAfterSeconds(retryAfterMs)) });
}

/** Reads a JSON object body (whatever the content-type, so text/plain bootstrap works), capped at LIMITS.frameBytes. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > LIMITS.frameBytes) {
    req.resume();
    throw new Refusal(413, 'too_large', `body larger than ${LIMITS.frameBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMITS.frameBytes) throw new Refusal(413, 'too_large', `body larger than ${LIMITS.frameBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text || 'null');
  } catch {
    throw new Refusal(400, 'malformed', 'body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Refusal(400, 'malformed', 'body must be a JSON object');
  return data as Record<string, unknown>;
}

export function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m ? m[1]! : null;
}
