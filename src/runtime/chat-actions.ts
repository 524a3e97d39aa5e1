/**
 * What the visitor does in the chat UI: send (with files), retry, typing, rate a resolved conversation, read
 * past ones. Loaded with the chat UI (chat-view.ts imports it), never at boot: the panel's first load keeps only
 * what runs without the visitor (session, socket, outbox replay, unread counts, the host's events). Nothing can
 * call these before they load, since only the chat UI calls them; a message typed offline and kept in storage is
 * sent by the session itself at the next `ready`.
 */
import type { ConversationSummary, MessageView, MessagesResponse, RatingResponse, RatingValue, VisitorConversationsResponse } from '../shared/wire-protocol.js';
import type { AttachmentView } from '../shared/attachments.js';
import type { PanelSession } from './panel-session.js';
import { OutboxFullError, type OutboxEntry } from './outbox.js';
import { Refusal } from './refusal.js';

/** How long "typing" lasts after the last keystroke. */
const TYPING_MS = 3000;

export class ChatActions {
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly s: PanelSession) {}

  /** Queues and sends a visitor message (with uploaded files). Returns false (and flags the notice) when the outbox is full. */
  send(text: string, attachments?: AttachmentView[]): boolean {
    let entry: OutboxEntry;
    try {
      entry = this.s.outbox.add(text, attachments);
    } catch (err) {
      if (err instanceof OutboxFullError) this.s.update({ outboxFull: true });
      return false;
    }
    this.s.update({ outbox: this.s.outbox.list(), outboxFull: false });
    this.s.sendEntry(entry);
    return true;
  }

  /** Sends a failed message again; `attachments`: its files uploaded again (attachment-uploads.ts), instead of the ones it named. */
  retry(clientId: string, attachments?: AttachmentView[]): void {
    const entry = this.s.outbox.retry(clientId, attachments);
    this.s.update({ outbox: this.s.outbox.list() });
    if (entry) this.s.sendEntry(entry);
  }

  /** The visitor is typing (the view calls this on input); stops by itself after 3 s. */
  typing(): void {
    if (this.typingTimer === undefined) this.s.sendFrame({ type: 'typing', typing: true });
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      this.typingTimer = undefined;
      this.s.sendFrame({ type: 'typing', typing: false });
    }, TYPING_MS);
  }

  /** The visitor's conversations, newest first (the history list). */
  async pastConversations(): Promise<ConversationSummary[]> {
    const answer = await this.s.api.request<VisitorConversationsResponse>('/v1/visitor/conversations', { headers: this.authorized() }, (b) => Array.isArray(b.conversations));
    return answer.conversations;
  }

  /** A conversation's messages, to read (the history; the server answers only the visitor's own). */
  async readConversation(id: string): Promise<MessageView[]> {
    const q = new URLSearchParams({ conversation: id, after: '0', limit: '200' });
    const answer = await this.s.api.request<MessagesResponse>(`/v1/visitor/messages?${q}`, { headers: this.authorized() }, (b) => Array.isArray(b.messages));
    return answer.messages;
  }

  /**
   * Rates the resolved conversation (good / bad, an optional comment; re-rating replaces it). Rejects with the
   * server's Refusal (e.g. `not_resolved` when it was reopened meanwhile); the `status` frame that follows updates
   * every panel of the visitor.
   */
  async rate(value: RatingValue, comment: string): Promise<void> {
    const id = this.s.conversationId;
    if (!id) throw new Refusal('not_found', 'no conversation yet');
    const { rating } = await this.s.api.request<RatingResponse>(
      `/v1/visitor/conversations/${encodeURIComponent(id)}/rating`,
      { method: 'POST', headers: this.authorized(true), body: JSON.stringify({ rating: value, comment }) },
      (b) => typeof b.rating === 'object' && b.rating !== null,
    );
    this.s.update({ rating });
  }

  private authorized(json = false): Record<string, string> {
    return { authorization: `Bearer ${this.s.token}`, ...(json ? { 'content-type': 'application/json' } : {}) };
  }
}
