/**
 * What an uploaded file is, from its bytes alone (never its name or declared type): the magic numbers of the
 * binary types we accept, plain text as valid UTF-8 without NUL, and the pixel size of an image from its header.
 * Fed chunk by chunk as the upload streams in, so a file is never held whole: the type is decided on the first
 * bytes (HEAD_BYTES), text is validated as it goes, the image size is read from the kept head.
 */
import { TextDecoder } from 'node:util';
import type { AttachmentType } from '../src/shared/attachments.js';

/** Bytes kept from the start of a file: enough for every magic number, and for a JPEG's frame header behind its EXIF. */
const HEAD_BYTES = 256 * 1024;

/** The binary type the first bytes announce, or null (not a type we recognise as binary). */
export function magicType(b: Uint8Array): Exclude<AttachmentType, 'text/plain'> | null {
  const at = (offset: number, ...bytes: number[]) => bytes.every((v, i) => b[offset + i] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

/** Bytes that, seen first, mean a file can never be plain text (executables, archives…) even if valid UTF-8 followed. */
const MAGIC_PROBE = 12;

/** Width and height of an image from its head, or null when they are not there (a truncated or odd file). */
export function imageSize(type: AttachmentType, b: Uint8Array): { width: number; height: number } | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const has = (n: number) => b.length >= n;
  const ok = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : null);
  switch (type) {
    case 'image/png':
      return has(24) ? ok(v.getUint32(16), v.getUint32(20)) : null;
    case 'image/gif':
      return has(10) ? ok(v.getUint16(6, true), v.getUint16(8, true)) : null;
    case 'image/webp': {
      if (!has(30)) return null;
      const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
      if (chunk === 'VP8 ') return ok(v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
      if (chunk === 'VP8L') {
        const bits = v.getUint32(21, true);
        return ok((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
      }
      if (chunk === 'VP8X') return ok((b[24]! | (b[25]! << 8) | (b[26]! << 16)) + 1, (b[27]! | (b[28]! << 8) | (b[29]! << 16)) + 1);
      return null;
    }
    case 'image/jpeg': {
      // Walk the segments to the first start-of-frame (SOF0..SOF15 but DHT C4, JPG C8, DAC CC).
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) return null;
        const marker = b[i + 1]!;
        if (marker === 0xff) {
          i++;
          continue;
        }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return ok(v.getUint16(i + 7), v.getUint16(i + 5));
        if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
          i += 2;
          continue;
        }
        i += 2 + v.getUint16(i + 2);
      }
      return null;
    }
    default:
      return null;
  }
}

export type ContentVerdict = { ok: true; type: AttachmentType; width?: number; height?: number } | { ok: false; reason: 'type_not_allowed' | 'empty'; message: string };

/** Decides a file's type from its chunks, in order: push() each, then verdict(). */
export class ContentCheck {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private size = 0;
  private type: AttachmentType | null = null;
  /** Text only: a fatal decoder in stream mode (a character split across chunks is fine), and whether it failed. */
  private decoder: TextDecoder | null = null;
  private failure: string | null = null;

  constructor(private readonly allowed: readonly AttachmentType[]) {}

  /** Feeds the next chunk. Returns a refusal as soon as the file cannot be accepted (the caller stops reading), else null. */
  push(chunk: Uint8Array): ContentVerdict | null {
    this.size += chunk.length;
    let kept = 0;
    if (this.headBytes < HEAD_BYTES) {
      kept = Math.min(chunk.length, HEAD_BYTES - this.headBytes);
      this.head.push(chunk.subarray(0, kept));
      this.headBytes += kept;
    }
    if (this.type === null) {
      if (this.headBytes < MAGIC_PROBE) return null;
      // decide() checks the head as text; the rest of this chunk (past the head) is next.
      const refused = this.decide(this.joinedHead());
      if (refused || this.type !== 'text/plain' || kept === chunk.length) return refused;
      return this.text(chunk.subarray(kept));
    }
    if (this.type === 'text/plain') return this.text(chunk);
    return null;
  }

  /** At the end of the file: its type (and pixel size), or why it is refused. */
  verdict(): ContentVerdict {
    if (this.size === 0) return { ok: false, reason: 'empty', message: 'the file is empty' };
    if (this.type === null) {
      const refused = this.decide(this.joinedHead());
      if (refused) return refused;
    }
    if (this.type === 'text/plain') {
      try {
        this.decoder!.decode();
      } catch {
        this.failure = 'the text ends inside a character';
      }
      if (this.failure) return this.notAllowed(`not a file type we accept (${this.failure})`);
    }
    const type = this.type!;
    const size = imageSize(type, this.joinedHead());
    return { ok: true, type, ...(size ?? {}) };
  }

  private decide(head: Uint8Array): ContentVerdict | null {
    const magic = magicType(head);
    this.type = magic ?? 'text/plain';
    if (!this.allowed.includes(this.type)) return this.notAllowed(`files of type ${this.type} are not accepted here`);
    if (this.type === 'text/plain') {
      this.decoder = new TextDecoder('utf-8', { fatal: true });
      // Everything so far was the head: check it as the first text.
      for (const part of this.head) {
        const refused = this.text(part);
        if (refused) return refused;
      }
    }
    return null;
  }

  private text(chunk: Uint8Array): ContentVerdict | null {
    if (chunk.includes(0)) this.failure = 'it holds NUL bytes';
    else {
      try {
        this.decoder!.decode(chunk, { stream: true });
      } catch {
        this.failure = 'it is not valid UTF-8 text';
      }
    }
    return this.failure ? this.notAllowed(`not a file type we accept (${this.failure})`) : null;
  }

  private notAllowed(message: string): ContentVerdict {
    return { ok: false, reason: 'type_not_allowed', message };
  }

  private joinedHead(): Uint8Array {
    if (this.head.length > 1) this.head = [Buffer.concat(this.head)];
    return this.head[0] ?? new Uint8Array(0);
  }
}
