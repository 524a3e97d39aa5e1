/**
 * Attachments: files a visitor or an agent sends with a message. The types the server can recognise (by content,
 * never by name or declared type), an app's limits by default, and the shape both ends see. Routes:
 *   POST /v1/visitor/conversations/:id/attachments?name=<file name>   (visitor token, raw body)
 *   POST /v1/agent/conversations/:id/attachments?name=<file name>     (agent key or console session, raw body)
 *     -> { ok: true, attachment: AttachmentView }   (not yet on a message: name its id in the next send)
 *   GET  <AttachmentView.url>   the file, from the widget origin, under the conversation's capability token
 * Refusals: `too_large` (413), `type_not_allowed` (415), `empty` (400), `rate_limited` (429), `not_found` (404).
 */

/** Every type the server recognises by its content, in the order an admin sees them. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** What an app allows when its admins did not say otherwise: 10 MB, every recognised type. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The most an admin may allow per file (the store keeps files in the database). */
export const ATTACHMENT_MAX_BYTES_CEILING = 100 * 1024 * 1024;
/** Attachments on one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Characters kept of a file's name. */
export const ATTACHMENT_NAME_MAX = 200;

/** Types shown inline (as an <img>); every other type is a download link. */
export const isImageType = (type: string): boolean => type.startsWith('image/');

/** An attachment as both ends see it (MessageView.attachments, and the upload's answer). */
export interface AttachmentView {
  id: string;
  /** The file's name as uploaded (cleaned: no path, no control characters). */
  name: string;
  /** Recognised from the content: one of ATTACHMENT_TYPES. */
  type: AttachmentType;
  /** Bytes. */
  size: number;
  /** Images: their size in pixels, so a view can reserve the space before the image loads. */
  width?: number;
  height?: number;
  /** Where the file is served, a path on the widget origin holding the conversation's capability token. */
  url: string;
}

/** An app's attachment limits (AdminApp, the admin screen). */
export interface AttachmentPolicy {
  maxBytes: number;
  types: AttachmentType[];
}

/** Why an admin's attachment settings are refused, or null. */
export function attachmentPolicyProblem(maxBytes: unknown, types: unknown): string | null {
  if (maxBytes !== undefined && (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1 || maxBytes > ATTACHMENT_MAX_BYTES_CEILING)) {
    return `attachmentMaxBytes must be an integer from 1 to ${ATTACHMENT_MAX_BYTES_CEILING}`;
  }
  if (types !== undefined && (!Array.isArray(types) || types.some((t) => !(ATTACHMENT_TYPES as readonly unknown[]).includes(t)))) {
    return `attachmentTypes must be a list of ${ATTACHMENT_TYPES.join(', ')} (empty: no attachments)`;
  }
  return null;
}
