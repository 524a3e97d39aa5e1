/**
 * The chat UI of the panel, loaded on first maximize: header, message list
 * with day separators and delivery states, typing indicator, connection
 * banner, composer, error states, and a polite live region announcing new
 * agent messages. It renders a PanelSession's state; what the visitor does
 * goes through ChatActions (chat-actions.ts, loaded with this UI, never at
 * boot). All text goes through lit bindings (never as HTML).
 */
import { html, css, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { Visibility } from '../shared/bridge-protocol.js';
import type { ConversationSummary, MessageView, RatingValue } from '../shared/wire-protocol.js';
import { LIMITS } from '../shared/wire-protocol.js';
import { ratingProblem } from '../shared/rating.js';
import type { SurfaceBridge } from './surface-bridge.js';
import type { OutboxEntry } from './outbox.js';
import type { PanelSession, PanelState } from './panel-session.js';
import { linkify } from './linkify.js';
import { dayLabel, sameDay, timeLabel } from './format.js';
import { baseStyles } from './styles.js';
import { PageListeners } from './page-listeners.js';
import { minimizeIcon, sendIcon } from './icons.js';
import { startConversation } from './visitor-requests.js';
import { ChatActions } from './chat-actions.js';
import './away-notice.js';
import { AttachmentUploads } from './attachment-uploads.js';
import { attachIcon, attachmentStyles, messageLine, renderAttachments, renderTray } from './attachment-views.js';

export class TwtChatView extends LitElement {
  static override properties = {
    session: { attribute: false },
    bridge: { attribute: false },
    visibility: { attribute: false },
    fullScreen: { attribute: false },
    state: { state: true },
    announcement: { state: true },
    ratingPick: { state: true },
    history: { state: true },
    ratingFailed: { state: true },
    startFailed: { state: true },
    dropping: { state: true },
  };

  session: PanelSession | null = null;
  /** What the visitor does, on `session` (made with it; a test may set its own, which a new session keeps). */
  actions: Pick<ChatActions, 'send' | 'retry' | 'typing' | 'rate' | 'pastConversations' | 'readConversation'> | null = null;
  bridge: SurfaceBridge | null = null;
  visibility: Visibility = 'minimized';
  /** The host shows the panel full screen (narrow viewports): Tab cycles inside it. */
  fullScreen = false;
  state: PanelState | null = null;
  announcement = '';
  /** The rating the visitor picked and has not sent yet (the comment field shows meanwhile), or null. */
  ratingPick: RatingValue | null = null;
  ratingFailed = false;
  /** Starting a new conversation failed (the server did not answer): said where the button is. */
  startFailed = false;
  /**
   * The history instead of the live chat: the visitor's conversations (null while loading), or one of them to
   * read (read only; writing happens in the live chat). null: the live chat.
   */
  history: { list: ConversationSummary[] | null; failed: boolean; reading: { id: string; messages: MessageView[] } | null } | null = null;

  /** Files being attached to the next message (attachment-uploads.ts); `dropping`: files are dragged over the panel. */
  readonly uploads = new AttachmentUploads(this, () => this.session);
  dropping = false;
  private unsubscribe: (() => void) | null = null;
  private observer: IntersectionObserver | null = null;
  private readonly visibleSeqs = new Set<number>();
  private stickToBottom = true;
  private announcedSeq = Number.POSITIVE_INFINITY;
  /** The conversation the chat shows (the session's, as of the last state). */
  private shownId: string | null = null;
  private lastCount = 0;
  private wasUsable = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    new PageListeners(this, [
      [document, 'keydown', this.onKeyDown],
      [document, 'visibilitychange', this.onDocVisibility],
      [window, 'focus', this.onWindowFocus],
    ]);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.observer?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) {
      if (!this.actions || this.actions instanceof ChatActions) this.actions = this.session && new ChatActions(this.session);
      this.unsubscribe?.();
      this.unsubscribe = this.session?.subscribe((s) => this.onState(s)) ?? null;
    }
  }

  protected override firstUpdated(): void {
    const list = this.list;
    if (!list) return;
    this.observer = new IntersectionObserver((entries) => this.onIntersect(entries), { root: list, threshold: [0, 0.5, 1] });
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Observe every rendered message once (re-observing is a no-op).
    // Only the live chat's (a past conversation's seqs are not this conversation's read marks).
    this.list?.querySelectorAll<HTMLElement>('li[data-seq]').forEach((el) => this.observer?.observe(el));
    const count = this.state?.messages.length ?? 0;
    if (count !== this.lastCount || changed.has('state')) {
      if (this.stickToBottom && this.list) this.list.scrollTop = this.list.scrollHeight;
      this.lastCount = count;
    }
    if (changed.has('visibility')) {
      if (this.visibility === 'maximized') {
        this.textarea?.focus();
        if (this.list) this.list.scrollTop = this.list.scrollHeight;
      }
      this.markSeen();
    }
    // The composer is disabled until the session is active: a panel opened before that gets the focus now.
    const usable = this.state?.phase === 'active';
    if (usable && !this.wasUsable) this.focusComposer();
    this.wasUsable = usable;
  }

  /**
   * The open panel's keyboard focus belongs in the composer unless a control in it already has it, so a
   * visitor can type at once: when the composer becomes usable, and when the host focuses this frame.
   */
  private focusComposer(): void {
    if (this.visibility === 'maximized' && !(this.renderRoot as ShadowRoot).activeElement) this.textarea?.focus();
  }

  private readonly onWindowFocus = () => this.focusComposer();

  // ---------------------------------------------------------------------------
  // State and events

  private onState(s: PanelState): void {
    // The conversation shown is gone (deleted, or left for a new one): not even its last announcement or files stay.
    const id = this.session?.conversationId ?? null;
    if (this.shownId && id !== this.shownId) {
      this.announcement = '';
      this.announcedSeq = 0;
      this.uploads.conversationGone();
    }
    // Past conversations, if open, follow at once: the deleted one leaves the list, a new one joins it.
    if (this.history && id !== this.shownId) void this.loadHistory();
    this.shownId = id;
    if (this.actions) this.uploads.outboxChanged(this.actions, s.outbox);
    // Announce agent messages that arrive live, not the history delivered at (re)connect.
    if (this.announcedSeq === Number.POSITIVE_INFINITY) this.announcedSeq = lastSeqOf(s.messages);
    const fresh = s.messages.filter((m) => m.seq > this.announcedSeq && m.author === 'agent' && Date.now() - Date.parse(m.createdAt) < 120_000);
    if (s.messages.length) this.announcedSeq = Math.max(this.announcedSeq, lastSeqOf(s.messages));
    const newest = fresh[fresh.length - 1];
    if (newest) {
      const author = newest.authorName || msg('Agent', { id: 'panel.agent' });
      this.announcement = msg(str`New message from ${author}: ${messageLine(newest)}`, { id: 'panel.announce' });
    }
    this.state = s;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const seq = Number((e.target as HTMLElement).dataset.seq);
      if (e.isIntersecting) this.visibleSeqs.add(seq);
      else this.visibleSeqs.delete(seq);
    }
    this.markSeen();
  }

  /** Seen = panel maximized, document visible, message on screen. */
  private markSeen(): void {
    if (this.visibility !== 'maximized' || document.visibilityState !== 'visible' || !this.visibleSeqs.size) return;
    this.session?.markSeen(Math.max(...this.visibleSeqs));
  }

  private readonly onDocVisibility = () => this.markSeen();

  private readonly onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.visibility === 'maximized') {
      e.preventDefault();
      this.bridge?.emit('request_minimize', {});
      return;
    }
    if (e.key === 'Tab' && this.visibility === 'maximized' && this.fullScreen) this.trapFocus(e);
  };

  /**
   * Full screen, the panel covers the page: Tab cycles inside it. Beside the page (desktop), Tab
   * leaves it for the page, as from any other part of the page.
   */
  private trapFocus(e: KeyboardEvent): void {
    const focusables = [...this.renderRoot.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], textarea:not([disabled]), [tabindex="0"]')];
    if (!focusables.length) return;
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (e.shiftKey && (active === first || !active)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !active)) {
      e.preventDefault();
      first.focus();
    }
  }

  private onScroll(): void {
    const l = this.list;
    if (l) this.stickToBottom = l.scrollHeight - l.scrollTop - l.clientHeight < 48;
  }

  private onComposerKey(e: KeyboardEvent): void {
    // Enter sends; Shift+Enter is a new line; never send mid IME composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    }
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    this.submit();
  }

  private submit(): void {
    const ta = this.textarea;
    const files = this.uploads.ready();
    if (!ta || !this.session || (!ta.value.trim() && !files.length)) return;
    if (this.actions?.send(ta.value, files)) {
      ta.value = '';
      this.uploads.sent();
      this.stickToBottom = true;
    }
  }

  /** Files dragged onto the panel, or pasted into the composer, are attached like picked ones. */
  private readonly onDrag = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files') || this.state?.phase !== 'active') return;
    e.preventDefault();
    this.dropping = e.type === 'dragover';
    if (e.type === 'drop') this.uploads.add(e.dataTransfer.files);
  };

  private readonly onPaste = (e: ClipboardEvent) => {
    const files = e.clipboardData?.files;
    if (!files?.length) return;
    e.preventDefault();
    this.uploads.add(files);
  };

  private pickFiles(e: Event): void {
    const input = e.target as HTMLInputElement;
    if (input.files) this.uploads.add(input.files);
    input.value = '';
  }

  private get list(): HTMLElement | null {
    return this.renderRoot.querySelector('.list');
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('#composer');
  }

  // ---------------------------------------------------------------------------
  // Rendering

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const usable = s.phase === 'active';
    return html`<section class="panel ${this.dropping ? 'dropping' : ''}" aria-label=${s.appName || msg('Chat', { id: 'panel.title' })} @dragover=${this.onDrag} @dragleave=${this.onDrag} @drop=${this.onDrag}>
      ${this.renderHeader(s)} ${this.renderBanner(s)} 
      <div class="chat" ?hidden=${!!this.history}>${this.renderChat(s, usable)}</div>
      ${this.history ? html`<div class="chat">${this.renderHistory(this.history)}</div>` : nothing}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </section>`;
  }

  private renderChat(s: PanelState, usable: boolean) {
    return html`<ol class="list" tabindex="0" aria-label=${msg('Messages', { id: 'panel.messages' })} @scroll=${this.onScroll}>
        ${s.greeting ? html`<li class="msg agent greeting"><div class="bubble">${s.greeting}</div></li>` : nothing}
        ${this.renderMessages(s.messages)} ${s.outbox.map((e) => this.renderPending(e))}
      </ol>
      ${s.agentTyping !== null ? html`<p class="typing">${this.typingText(s.agentTyping)}</p>` : nothing}
      ${s.outboxFull
        ? html`<p class="notice" role="alert">${msg('Too many messages are waiting to be sent. Please wait until the connection is back.', { id: 'panel.outbox_full' })}</p>`
        : nothing}
      ${s.conversationStatus === 'resolved' && usable ? this.renderRating(s) : nothing} ${renderTray(this.uploads)}
      <twt-away-notice .session=${this.session} .state=${s}></twt-away-notice>
      <form class="composer" @submit=${this.onSubmit}>
        <input type="file" id="files" multiple hidden @change=${this.pickFiles} />
        <button type="button" class="attach" ?disabled=${!usable} aria-label=${msg('Attach files', { id: 'panel.attach' })} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#files')?.click()}>
          ${attachIcon}
        </button>
        <label class="visually-hidden" for="composer">${msg('Message', { id: 'panel.composer.label' })}</label>
        <textarea
          id="composer"
          rows="1"
          maxlength=${LIMITS.messageText}
          ?disabled=${!usable}
          placeholder=${usable ? msg('Write a message…', { id: 'panel.composer.placeholder' }) : msg('Connecting to chat…', { id: 'panel.composer.disabled' })}
          @keydown=${this.onComposerKey}
          @paste=${this.onPaste}
          @input=${() => this.actions?.typing()}
        ></textarea>
        <button type="submit" class="send" ?disabled=${!usable} aria-label=${msg('Send', { id: 'panel.send' })}>${sendIcon}</button>
      </form>`;
  }

  /** The visitor's past conversations, newest first; one opens read only. */
  private renderHistory(h: NonNullable<TwtChatView['history']>) {
    const back = (label: string, to: () => void) => html`<button type="button" class="back" @click=${to}>← ${label}</button>`;
    if (h.reading) {
      return html`<nav class="history-nav">${back(msg('Past conversations', { id: 'panel.history' }), () => (this.history = { ...h, reading: null }))}</nav>
        <ol class="list past" tabindex="0" aria-label=${msg('Messages', { id: 'panel.messages' })}>${this.renderMessages(h.reading.messages)}</ol>
        <p class="notice">${msg('A past conversation, to read. Write in the chat to talk to us.', { id: 'panel.history.readonly' })}</p>`;
    }
    const current = this.session?.conversationId ?? null;
    const now = new Date();
    return html`<nav class="history-nav">${back(msg('Back to the chat', { id: 'panel.history.back' }), () => (this.history = null))} ${this.renderStartNew()}</nav>
      ${h.failed
        ? html`<p class="notice" role="alert">${msg('The conversations could not be loaded.', { id: 'panel.history.failed' })}</p>`
        : !h.list
          ? nothing
          : html`<ul class="history" aria-label=${msg('Past conversations', { id: 'panel.history' })}>
              ${h.list
                .filter((c) => c.lastMessage)
                .map(
                  (c) => html`<li>
                    <button type="button" data-id=${c.id} @click=${() => this.readPast(c.id)}>
                      <span class="when">${dayLabel(new Date(c.updatedAt), now)}${c.id === current
                          ? html` · ${msg('Current', { id: 'panel.history.current' })}`
                          : c.status === 'resolved'
                            ? html` · ${msg('Resolved', { id: 'panel.history.resolved' })}`
                            : nothing}</span>
                      <span class="last">${messageLine(c.lastMessage!)}</span>
                    </button>
                  </li>`,
                )}
            </ul>`}`;
  }

  private async openHistory(): Promise<void> {
    this.history = { list: null, failed: false, reading: null };
    await this.loadHistory();
  }

  /** (Re)loads the open history's list; a conversation being read that is no longer listed (deleted) closes. */
  private async loadHistory(): Promise<void> {
    try {
      const list = (await this.actions?.pastConversations()) ?? [];
      const h = this.history;
      if (h) this.history = { ...h, list, reading: h.reading && list.some((c) => c.id === h.reading!.id) ? h.reading : null };
    } catch {
      if (this.history) this.history = { ...this.history, failed: true };
    }
  }

  /** The current conversation is the live chat; another one opens to read. */
  private async readPast(id: string): Promise<void> {
    if (!this.history || !this.session) return;
    if (id === this.session.conversationId) return void (this.history = null);
    try {
      const messages = (await this.actions?.readConversation(id)) ?? [];
      if (this.history) this.history = { ...this.history, reading: { id, messages } };
    } catch {
      if (this.history) this.history = { ...this.history, failed: true };
    }
  }

  /**
   * The rating an agent's resolve offers: good / bad, then an optional comment and send. Once rated it thanks the
   * visitor and shows the choice, which can be changed (re-rating replaces it); writing a message reopens the
   * conversation and this goes away.
   */
  private renderRating(s: PanelState) {
    const chosen = this.ratingPick ?? s.rating?.value ?? null;
    const choice = (value: RatingValue, icon: string, label: string) =>
      html`<button type="button" class="small-button rate ${value}" aria-pressed=${chosen === value ? 'true' : 'false'} @click=${() => ((this.ratingPick = value), (this.ratingFailed = false))}>
        <span aria-hidden="true">${icon}</span> ${label}
      </button>`;
    return html`<form class="rating" aria-labelledby="rating-title" @submit=${this.onRate}>
      <p id="rating-title">${s.rating && !this.ratingPick ? msg('Thanks for your feedback!', { id: 'panel.rating.thanks' }) : msg('This conversation was resolved. How did we do?', { id: 'panel.rating.ask' })}</p>
      <div class="choices">${choice('good', '👍', msg('Good', { id: 'panel.rating.good' }))} ${choice('bad', '👎', msg('Bad', { id: 'panel.rating.bad' }))}</div>
      ${this.ratingPick
        ? html`<label for="rating-comment">${msg('Comment (optional)', { id: 'panel.rating.comment' })}</label>
            <textarea id="rating-comment" rows="2" maxlength=${LIMITS.ratingComment}></textarea>
            <button type="submit" class="small-button primary">${msg('Send rating', { id: 'panel.rating.send' })}</button>`
        : nothing}
      ${this.ratingFailed ? html`<p class="notice" role="alert">${msg('Your rating could not be sent. Please try again.', { id: 'panel.rating.failed' })}</p>` : nothing}
      ${this.renderStartNew()}
    </form>`;
  }

  /** "Start a new conversation" (past conversations, and after a resolve): the server makes one, the live chat moves there. */
  private renderStartNew() {
    return html`<button type="button" class="small-button start-new" @click=${this.onStartNew}>${msg('Start a new conversation', { id: 'panel.start_new' })}</button>
      ${this.startFailed ? html`<p class="notice" role="alert">${msg('A new conversation could not be started. Please try again.', { id: 'panel.start_new.failed' })}</p>` : nothing}`;
  }

  private readonly onStartNew = async (): Promise<void> => {
    if (!this.session) return;
    try {
      await startConversation(this.session);
      this.history = null;
      this.ratingPick = null;
      this.startFailed = false;
      this.stickToBottom = true;
      await this.updateComplete;
      this.textarea?.focus();
    } catch {
      this.startFailed = true;
    }
  };

  private readonly onRate = async (e: Event): Promise<void> => {
    e.preventDefault();
    const value = this.ratingPick;
    const comment = this.renderRoot.querySelector<HTMLTextAreaElement>('#rating-comment')?.value ?? '';
    if (!value || !this.session) return;
    // The server's rule, checked first so a refused comment (control characters) keeps what was typed.
    if (ratingProblem(value, comment)) return void (this.ratingFailed = true);
    try {
      await this.actions?.rate(value, comment);
      this.ratingPick = null;
      this.ratingFailed = false;
    } catch {
      this.ratingFailed = true;
    }
  };

  private renderHeader(s: PanelState) {
    const online = s.agentsOnline > 0;
    return html`<header class="header">
      <div class="title">
        <h1>${s.appName || msg('Chat', { id: 'panel.title' })}</h1>
        <p class="presence">
          <span class="dot ${online ? 'on' : ''}" aria-hidden="true"></span>${online
            ? msg("We're online", { id: 'panel.online' })
            : msg("We'll reply as soon as we can", { id: 'panel.offline' })}
        </p>
        ${s.replyTime ? html`<p class="team">${this.teamText(s)}</p>` : nothing}
      </div>
      ${this.history
        ? nothing
        : html`<button type="button" class="past" @click=${() => this.openHistory()}>${msg('Past conversations', { id: 'panel.history' })}</button>`}
      <button type="button" class="icon" aria-label=${msg('Minimize chat', { id: 'panel.minimize' })} @click=${() => this.bridge?.emit('request_minimize', {})}>
        ${minimizeIcon}
      </button>
    </header>`;
  }

  private renderBanner(s: PanelState) {
    if (s.phase === 'auth_closed') {
      return html`<div class="error" role="alert">
        <strong>${msg('This chat session has ended.', { id: 'panel.auth_closed' })}</strong>
        <span>${msg('Reload the page to start a new conversation.', { id: 'panel.auth_closed.hint' })}</span>
      </div>`;
    }
    if (s.phase === 'failed') return html`<div class="error" role="alert"><strong>${msg('The chat could not be started.', { id: 'panel.failed' })}</strong></div>`;
    if (s.phase !== 'active' || s.status === 'connected') return nothing;
    const text =
      s.status === 'reconnecting'
        ? msg('Connection lost. Reconnecting…', { id: 'panel.reconnecting' })
        : s.status === 'connecting'
          ? msg('Connecting…', { id: 'panel.connecting' })
          : msg('You are offline. Messages will be sent when the connection is back.', { id: 'panel.disconnected' });
    return html`<div class="banner" role="status">${text}</div>`;
  }

  private renderMessages(messages: readonly MessageView[]) {
    const out: TemplateResult[] = [];
    let prev: Date | null = null;
    let last: MessageView | undefined;
    const now = new Date();
    for (const m of messages) {
      const at = new Date(m.createdAt);
      if (!prev || !sameDay(prev, at)) out.push(html`<li class="day"><span>${dayLabel(at, now)}</span></li>`);
      prev = at;
      // An agent's face and name head each run of messages from that agent.
      const runStart = !last || last.author !== m.author || last.authorAgentId !== m.authorAgentId || !sameDay(new Date(last.createdAt), at);
      out.push(this.renderMessage(m, at, runStart));
      last = m;
    }
    return out;
  }

  private renderMessage(m: MessageView, at: Date, runStart: boolean) {
    const mine = m.author === 'visitor';
    const who = mine ? msg('You', { id: 'panel.you' }) : m.authorName || msg('Agent', { id: 'panel.agent' });
    const face = runStart && m.author === 'agent' && (m.authorName || m.authorAgentId) ? this.renderFace(m) : nothing;
    return html`<li class="msg ${m.author}" data-seq=${m.seq}>
      <span class="visually-hidden">${who}:</span>${face}
      <div class="bubble">${this.renderText(m.text)}</div>${renderAttachments(m.attachments)}
      <div class="meta">
        <time datetime=${m.createdAt}>${timeLabel(at)}</time>${mine ? html` · ${msg('Sent', { id: 'panel.sent' })}` : nothing}
      </div>
    </li>`;
  }

  /** The agent's avatar (hidden when it has none: the route answers 404) and name; screen readers get the name once, above. */
  private renderFace(m: MessageView) {
    return html`<div class="from" aria-hidden="true">
      ${m.authorAgentId && this.session
        ? html`<img class="face" src=${this.session.avatarUrl(m.authorAgentId)} alt="" width="24" height="24" @error=${hide} />`
        : nothing}<span>${m.authorName}</span>
    </div>`;
  }

  private renderPending(e: OutboxEntry) {
    const failed = e.state === 'failed';
    return html`<li class="msg visitor pending ${failed ? 'failed' : ''}">
      <span class="visually-hidden">${msg('You', { id: 'panel.you' })}:</span>
      <div class="bubble">${this.renderText(e.text)}</div>${renderAttachments(e.attachments)}
      <div class="meta">
        ${failed
          ? html`<span class="failed-text">${msg('Not sent', { id: 'panel.failed_send' })}</span>
              <button type="button" class="retry" @click=${() => this.actions?.retry(e.clientId)}>${msg('Retry', { id: 'panel.retry' })}</button>`
          : msg('Sending…', { id: 'panel.sending' })}
      </div>
    </li>`;
  }

  private renderText(text: string) {
    return linkify(text).map((p) =>
      p.kind === 'link' ? html`<a href=${p.href} target="_blank" rel="noopener noreferrer">${p.text}</a>` : p.text,
    );
  }

  /** "Anna, usually replies in a few minutes": the last agent who answered, else the app's name. */
  private teamText(s: PanelState): string {
    const answered = s.messages.filter((m) => m.author === 'agent' && m.authorName);
    const name = answered[answered.length - 1]?.authorName || s.appName || msg('Chat', { id: 'panel.title' });
    switch (s.replyTime) {
      case 'minutes':
        return msg(str`${name}, usually replies in a few minutes`, { id: 'panel.reply_time.minutes' });
      case 'hours':
        return msg(str`${name}, usually replies in a few hours`, { id: 'panel.reply_time.hours' });
      default:
        return msg(str`${name}, usually replies within a day`, { id: 'panel.reply_time.day' });
    }
  }

  private typingText(name: string): string {
    return name ? msg(str`${name} is typing…`, { id: 'panel.typing.named' }) : msg('Agent is typing…', { id: 'panel.typing' });
  }

  static override styles = [
    baseStyles,
    attachmentStyles,
    css`
      :host {
        display: block;
        height: 100vh;
      }
      .panel {
        display: flex;
        flex-direction: column;
        height: 100%;
        background: var(--twt-bg);
        color: var(--twt-fg);
      }
      .header {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 12px 12px 12px 16px;
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
      }
      .title {
        flex: 1;
        min-width: 0;
      }
      h1 {
        margin: 0;
        font-size: 16px;
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .team {
        margin: 0;
        font-size: 12px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .presence {
        margin: 0;
        font-size: 12px;
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: currentColor;
        opacity: 0.5;
      }
      .dot.on {
        opacity: 1;
        background: #86efac;
      }
      .icon {
        width: 36px;
        height: 36px;
        border: 0;
        border-radius: 50%;
        background: transparent;
        color: inherit;
        display: grid;
        place-items: center;
      }
      .header .icon:focus-visible {
        outline-color: var(--twt-accent-fg);
      }
      .banner,
      .error,
      .notice {
        margin: 0;
        padding: 8px 16px;
        background: var(--twt-banner-bg);
        color: var(--twt-banner-fg);
        font-size: 13px;
      }
      .error {
        display: flex;
        flex-direction: column;
        gap: 2px;
      }
      .chat {
        display: flex;
        flex-direction: column;
        flex: 1;
        min-height: 0;
      }
      .chat[hidden] {
        display: none;
      }
      .list {
        flex: 1;
        overflow-y: auto;
        margin: 0;
        padding: 12px 16px;
        list-style: none;
        display: flex;
        flex-direction: column;
        gap: 8px;
      }
      .day {
        align-self: center;
        font-size: 12px;
        color: var(--twt-muted);
        padding: 4px 0;
      }
      .msg {
        display: flex;
        flex-direction: column;
        max-width: 85%;
        align-self: flex-start;
      }
      .msg.visitor {
        align-self: flex-end;
        align-items: flex-end;
      }
      .bubble {
        padding: 8px 12px;
        border-radius: 14px;
        background: var(--twt-surface);
        color: var(--twt-fg);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .bubble a {
        color: var(--twt-link);
      }
      .visitor .bubble {
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
      }
      .visitor .bubble a {
        color: var(--twt-accent-fg);
      }
      .pending .bubble {
        opacity: 0.85;
      }
      .failed .bubble {
        outline: 2px solid var(--twt-danger);
      }
      .meta {
        font-size: 11px;
        color: var(--twt-muted);
        margin-top: 2px;
        display: flex;
        gap: 6px;
        align-items: center;
      }
      .failed-text {
        color: var(--twt-danger);
      }
      .retry {
        border: 0;
        padding: 0;
        background: none;
        color: var(--twt-link);
        text-decoration: underline;
        font-size: 12px;
      }
      .from {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: 12px;
        color: var(--twt-muted);
        margin-bottom: 2px;
      }
      .face {
        border-radius: 50%;
        object-fit: cover;
      }
      .header .past {
        padding: 4px 8px;
        border: 1px solid var(--twt-accent-fg);
        border-radius: 6px;
        background: transparent;
        color: var(--twt-accent-fg);
        font-size: 12px;
      }
      .header .past:focus-visible {
        outline-color: var(--twt-accent-fg);
      }
      .history-nav {
        padding: 6px 12px;
        border-bottom: 1px solid var(--twt-border);
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 4px;
      }
      /* The panel's small secondary buttons: "Start a new conversation", the rating's choices and its send. */
      .small-button {
        justify-self: start;
        padding: 4px 10px;
        border: 1px solid var(--twt-border);
        border-radius: 6px;
        background: var(--twt-surface);
        color: var(--twt-fg);
      }
      .history-nav .notice {
        flex-basis: 100%;
      }
      .history-nav .back {
        background: transparent;
        color: var(--twt-link);
        padding: 4px;
      }
      .history {
        flex: 1;
        overflow: auto;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .history button {
        display: grid;
        width: 100%;
        gap: 2px;
        padding: 10px 16px;
        text-align: start;
        background: transparent;
        color: var(--twt-fg);
        border-bottom: 1px solid var(--twt-border);
      }
      .history .when {
        font-size: 12px;
        color: var(--twt-muted);
      }
      .history .last {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .rating {
        display: grid;
        gap: 6px;
        margin: 0;
        padding: 8px 16px;
        border-top: 1px solid var(--twt-border);
      }
      .small-button.primary {
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
      }
      .rating p {
        margin: 0;
      }
      .rating .choices {
        display: flex;
        gap: 8px;
      }
      .rating .rate[aria-pressed='true'] {
        font-weight: 600;
        outline: 2px solid currentColor;
      }
      .rating textarea {
        font: inherit;
        resize: vertical;
      }
      .typing {
        margin: 0;
        padding: 0 16px 4px;
        font-size: 12px;
        color: var(--twt-muted);
      }
      .composer {
        display: flex;
        gap: 8px;
        align-items: flex-end;
        padding: 8px 12px 12px;
        border-top: 1px solid var(--twt-border);
      }
      textarea {
        flex: 1;
        resize: none;
        max-height: 120px;
        min-height: 20px;
        padding: 8px 10px;
        border: 1px solid var(--twt-border);
        border-radius: 10px;
        background: var(--twt-bg);
        color: var(--twt-fg);
        font: inherit;
        field-sizing: content;
      }
      textarea::placeholder {
        color: var(--twt-muted);
        opacity: 1;
      }
      textarea:disabled {
        background: var(--twt-surface);
      }
      .send {
        width: 38px;
        height: 38px;
        border: 0;
        border-radius: 50%;
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
        display: grid;
        place-items: center;
      }
      .send:disabled {
        opacity: 0.6;
        cursor: not-allowed;
      }
    `,
  ];
}

/** An avatar that failed to load (none uploaded: 404) takes no room and shows no broken-image icon. */
function hide(e: Event): void {
  (e.target as HTMLElement).hidden = true;
}

function lastSeqOf(messages: readonly MessageView[]): number {
  return messages.length ? messages[messages.length - 1].seq : 0;
}
