/**
 * The attachments and attachment_chunks tables (migration 8): a file's metadata and its bytes in chunks, written
 * as the upload streams in and read back one chunk at a time, so no file is ever whole in memory; claiming files
 * for a message; and a conversation's files capability (`conversations.files_token`).
 */
import type { AttachmentType, AttachmentView } from '../../src/shared/attachments.js';
import type { Store } from '../db/store.js';
import { randomId } from '../auth.js';

/** Bytes per stored chunk: big enough that a 10 MB file is 40 rows, small enough to sit in memory once per upload. */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

export type Uploader = { kind: 'visitor'; uid: string } | { kind: 'agent'; agentId: number };
const uploaderId = (u: Uploader) => (u.kind === 'visitor' ? u.uid : String(u.agentId));

/** The path a file is served at: the conversation's capability token, then the file's own (random) id. */
export const attachmentPath = (filesToken: string, id: string) => `/v1/files/${filesToken}/${id}`;

interface AttachmentRow {
  id: string;
  conversation_id: string;
  name: string;
  type: AttachmentType;
  size: number | string;
  width: number | null;
  height: number | null;
}

/** A stored file as the serving route reads it. */
export interface StoredFile {
  id: string;
  name: string;
  type: AttachmentType;
  size: number;
}

function toView(r: AttachmentRow, filesToken: string): AttachmentView {
  const v: AttachmentView = { id: r.id, name: r.name, type: r.type, size: Number(r.size), url: attachmentPath(filesToken, r.id) };
  if (r.width !== null && r.height !== null) {
    v.width = Number(r.width);
    v.height = Number(r.height);
  }
  return v;
}

/**
 * A file left behind: no message claimed it, and it is older than its age limit. A complete file no message named
 * after a day (the visitor never sent it: a day leaves room for a panel kept open overnight); a file cut off
 * mid-upload (its process killed) after an hour. The one rule of both clean-ups: an upload's own (begin) and the
 * background sweep (sweepLeftBehind, upload-sweep.ts).
 */
const LEFT_BEHIND = `client_id IS NULL AND created_at < now() - CASE WHEN complete THEN interval '1 day' ELSE interval '1 hour' END`;

/** Thrown inside claim()'s transaction to roll it back. */
const NOT_ALL = Symbol('not every file could be claimed');

export class Attachments {
  constructor(private readonly store: Store) {}

  /** The conversation's files token, issued now if it has none (≥128 random bits: 24 base64url characters). */
  async filesToken(conversationId: string): Promise<string> {
    const rows = await this.store.query<{ files_token: string }>('UPDATE conversations SET files_token = COALESCE(files_token, $2) WHERE id = $1 RETURNING files_token', [
      conversationId,
      randomId(18),
    ]);
    if (!rows[0]) throw new Error('conversation not found');
    return rows[0].files_token;
  }

  /**
   * Starts a file: its row, not complete (invisible until finish()). First drops what the conversation's earlier
   * uploads left behind: a file cut off mid-upload (a process killed) after an hour, a file no message named
   * after a day (ON DELETE CASCADE takes their chunks).
   */
  async begin(conversationId: string, uploader: Uploader, name: string): Promise<string> {
    await this.store.query(`DELETE FROM attachments WHERE conversation_id = $1 AND ${LEFT_BEHIND}`, [conversationId]);
    const id = 'f_' + randomId(16);
    await this.store.query('INSERT INTO attachments (id, conversation_id, uploader, uploader_id, name) VALUES ($1, $2, $3, $4, $5)', [id, conversationId, uploader.kind, uploaderId(uploader), name]);
    return id;
  }

  /** Stores chunk number `n` (0-based) of a file being uploaded. */
  async addChunk(id: string, n: number, data: Uint8Array): Promise<void> {
    await this.store.query('INSERT INTO attachment_chunks (attachment_id, n, data) VALUES ($1, $2, $3)', [id, n, data]);
  }

  /** The last chunk is in and the content accepted: the file becomes visible. */
  async finish(id: string, meta: { type: AttachmentType; size: number; width?: number; height?: number }, filesToken: string): Promise<AttachmentView> {
    const rows = await this.store.query<AttachmentRow>(
      'UPDATE attachments SET type = $2, size = $3, width = $4, height = $5, complete = true WHERE id = $1 RETURNING id, conversation_id, name, type, size, width, height',
      [id, meta.type, meta.size, meta.width ?? null, meta.height ?? null],
    );
    return toView(rows[0]!, filesToken);
  }

  /** Drops a refused or abandoned upload and its chunks. */
  async discard(id: string): Promise<void> {
    await this.store.query('DELETE FROM attachments WHERE id = $1', [id]);
  }

  /**
   * Claims complete files of this conversation, uploaded by this uploader, for the message with `clientId` (a
   * file already claimed by that same message is claimed again: a resend). Returns their views in the order of
   * `ids`, or null when any of them is not such a file.
   */
  async claim(conversationId: string, uploader: Uploader, ids: readonly string[], clientId: string): Promise<AttachmentView[] | null> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    // All or none: a claim that misses one file rolls back, leaving the others free for a corrected send.
    const rows = await this.store
      .transaction(async (tx) => {
        const claimed = await tx.query<AttachmentRow & { files_token: string }>(
          `UPDATE attachments a SET client_id = $5 FROM conversations c
            WHERE c.id = a.conversation_id AND a.conversation_id = $1 AND a.uploader = $2 AND a.uploader_id = $3 AND a.id = ANY($4::text[])
              AND a.complete AND (a.client_id IS NULL OR a.client_id = $5)
            RETURNING a.id, a.conversation_id, a.name, a.type, a.size, a.width, a.height, c.files_token`,
          [conversationId, uploader.kind, uploaderId(uploader), wanted, clientId],
        );
        if (claimed.length !== wanted.length) throw NOT_ALL;
        return claimed;
      })
      .catch((err) => {
        if (err === NOT_ALL) return null;
        throw err;
      });
    if (!rows) return null;
    const byId = new Map(rows.map((r) => [r.id, toView(r, r.files_token)]));
    return wanted.map((id) => byId.get(id)!);
  }

  /**
   * Deletes at most `limit` left-behind files (LEFT_BEHIND) of any conversation, oldest first, and their chunks;
   * returns how many. Rows another process is deleting at the same moment are skipped (SKIP LOCKED), so
   * concurrent sweeps share the work instead of waiting on each other, and a row is deleted once.
   */
  async sweepLeftBehind(limit: number): Promise<number> {
    const rows = await this.store.query<{ id: string }>(
      `DELETE FROM attachments WHERE id IN (
          SELECT id FROM attachments WHERE ${LEFT_BEHIND} ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [limit],
    );
    return rows.length;
  }

  /** The complete file `id` of the conversation whose files token is `filesToken`, or null. */
  async served(filesToken: string, id: string): Promise<StoredFile | null> {
    const rows = await this.store.query<AttachmentRow>(
      `SELECT a.id, a.conversation_id, a.name, a.type, a.size, a.width, a.height FROM attachments a JOIN conversations c ON c.id = a.conversation_id
        WHERE a.id = $1 AND c.files_token = $2 AND a.complete`,
      [id, filesToken],
    );
    const r = rows[0];
    return r ? { id: r.id, name: r.name, type: r.type, size: Number(r.size) } : null;
  }

  /** The file's chunks in order, read one at a time (a caller that stops early reads no more). */
  async *chunks(id: string): AsyncGenerator<Uint8Array> {
    for (let n = 0; ; n++) {
      const rows = await this.store.query<{ data: Uint8Array }>('SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND n = $2', [id, n]);
      if (!rows[0]) return;
      yield rows[0].data;
    }
  }
}
