/**
 * Receiving one uploaded file: the request body streamed into the store chunk by chunk (data/attachments.ts),
 * its size capped by the app's limit as it comes in, its type decided by content (attachment-content.ts); what a
 * message may name of them when it is sent (claimAttachments). Refusals are `Refusal`s with the reasons of
 * src/shared/attachments.ts.
 */
import type { IncomingMessage } from 'node:http';
import { ATTACHMENT_NAME_MAX, MAX_ATTACHMENTS_PER_MESSAGE, type AttachmentView } from '../src/shared/attachments.js';
import type { ServerContext } from './context.js';
import { ATTACHMENT_CHUNK_BYTES, type Uploader } from './data/attachments.js';
import { ContentCheck } from './attachment-content.js';
import { Refusal } from './refusal.js';
import { isStorable, messageProblem, possibleId } from './storable-input.js';

/** A file name as we keep it: no folders, no control or bidirectional-override characters, capped; 'file' when nothing is left. */
export function cleanFileName(raw: unknown): string {
  const base = typeof raw === 'string' ? raw.split(/[\\/]/).pop()! : '';
  const clean = base.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '').trim().slice(0, ATTACHMENT_NAME_MAX).trim();
  return clean || 'file';
}

const megabytes = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/**
 * Streams the request body into a new file of conversation `conversationId` of app `appid`, as `uploader`.
 * Returns the complete file's view; refuses (and drops what was stored) a file that is empty, too large or of a
 * type the app does not accept. The rest of a refused body is read and discarded, so the client sees the answer.
 */
export async function receiveUpload(ctx: ServerContext, req: IncomingMessage, to: { conversationId: string; appid: string }, uploader: Uploader, rawName: unknown): Promise<AttachmentView> {
  const app = await ctx.data.apps.get(to.appid);
  if (!app) throw new Refusal(404, 'not_found', 'no such conversation');
  const maxBytes = app.attachment_max_bytes;
  const tooLarge = () => new Refusal(413, 'too_large', `files may be at most ${megabytes(maxBytes)}`);
  if (!app.attachment_types.length) throw new Refusal(415, 'type_not_allowed', 'this app accepts no attachments');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const check = new ContentCheck(app.attachment_types);
  const files = ctx.data.attachments;
  const filesToken = await files.filesToken(to.conversationId);
  const id = await files.begin(to.conversationId, uploader, cleanFileName(rawName));
  try {
    let size = 0;
    const stored = new ChunkWriter((n, data) => files.addChunk(id, n, data));
    await eachChunk(req, async (chunk) => {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      const refused = check.push(chunk);
      if (refused && !refused.ok) throw new Refusal(refused.reason === 'empty' ? 400 : 415, refused.reason, refused.message);
      await stored.write(chunk);
    });
    await stored.end();
    const verdict = check.verdict();
    if (!verdict.ok) throw new Refusal(verdict.reason === 'empty' ? 400 : 415, verdict.reason, verdict.message);
    return await files.finish(id, { type: verdict.type, size, ...(verdict.width ? { width: verdict.width, height: verdict.height! } : {}) }, filesToken);
  } catch (err) {
    await files.discard(id).catch(() => {});
    throw err;
  }
}

/**
 * Cuts a stream of body chunks (whatever sizes the socket delivers) into stored chunks of exactly
 * ATTACHMENT_CHUNK_BYTES, the last one shorter. Each byte is copied once, into the chunk being filled; a full chunk
 * is handed to `store` and a fresh one started (the store may keep what it was given until its insert is done), so
 * at most one chunk's worth is held here.
 */
export class ChunkWriter {
  private buffer: Buffer | null = null;
  private filled = 0;
  private n = 0;

  constructor(private readonly store: (n: number, data: Buffer) => Promise<void>) {}

  async write(chunk: Uint8Array): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      this.buffer ??= Buffer.allocUnsafe(ATTACHMENT_CHUNK_BYTES);
      const take = Math.min(chunk.length - at, ATTACHMENT_CHUNK_BYTES - this.filled);
      this.buffer.set(chunk.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === ATTACHMENT_CHUNK_BYTES) await this.flush();
    }
  }

  /** Stores what is left (the file's last, shorter chunk). */
  async end(): Promise<void> {
    if (this.filled) await this.flush();
  }

  private async flush(): Promise<void> {
    const full = this.buffer!.subarray(0, this.filled);
    this.buffer = null;
    this.filled = 0;
    await this.store(this.n++, full);
  }
}

/**
 * Calls `onChunk` for each chunk of the body, one at a time (the stream paused meanwhile: backpressure, so a fast
 * client never fills memory). If `onChunk` throws, stops and drains the rest unread; rejects if the client goes away.
 */
function eachChunk(req: IncomingMessage, onChunk: (chunk: Buffer) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    let chain = Promise.resolve();
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.removeListener('data', onData);
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      req.pause();
      chain = chain.then(() => onChunk(chunk)).then(() => void req.resume(), fail);
    };
    req.on('data', onData);
    req.once('end', () => void chain.then(() => !failed && resolve()));
    req.once('error', fail);
    req.once('close', () => {
      if (!req.complete) fail(new Refusal(400, 'aborted', 'the upload was cancelled'));
    });
  });
}

/**
 * Why a message's text and attachment ids are refused, or null. With attachments the text may be empty; the ids
 * must be at most MAX_ATTACHMENTS_PER_MESSAGE possible ids.
 */
export function sendProblem(text: unknown, attachments: unknown, maxText: number): { code: 'invalid_text' | 'too_large' | 'malformed'; message: string } | null {
  if (attachments === undefined || (Array.isArray(attachments) && attachments.length === 0)) return messageProblem(text, maxText);
  if (!Array.isArray(attachments) || attachments.length > MAX_ATTACHMENTS_PER_MESSAGE || attachments.some((a) => possibleId(a) === null)) {
    return { code: 'malformed', message: `attachments must be a list of at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachment ids` };
  }
  if (typeof text !== 'string') return { code: 'invalid_text', message: 'text must be a string' };
  if (text.length > maxText) return { code: 'too_large', message: `text is longer than ${maxText} characters` };
  if (!isStorable(text)) return { code: 'invalid_text', message: 'text must not contain U+0000 (NUL)' };
  return null;
}

/**
 * The files a message names (ids of the sender's complete uploads to this conversation), claimed for it: their
 * views, [] for none, or null when one of them is not such a file.
 */
export async function claimAttachments(ctx: ServerContext, conversationId: string, uploader: Uploader, ids: unknown, clientId: string): Promise<AttachmentView[] | null> {
  if (!Array.isArray(ids) || !ids.length) return [];
  return ctx.data.attachments.claim(conversationId, uploader, ids as string[], clientId);
}
