/**
 * A message in one line (the panel's history list and marketing card, the console's rows, screen-reader
 * announcements): its text, or its files' names when it has none. Its own module because the panel's boot needs it
 * (the card) and src/shared/attachments.ts is the lazy chat UI's.
 */
import type { AttachmentView } from './attachments.js';

export function messageLine(m: { text: string; attachments?: readonly AttachmentView[] | null }): string {
  return m.text || (m.attachments?.length ? `📎 ${m.attachments.map((a) => a.name).join(', ')}` : '');
}
