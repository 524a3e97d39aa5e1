/**
 * <twt-inbox>: the agent's workspace once signed in. Views (open, mine,
 * unassigned, resolved) with their counts, a conversation list that updates
 * live across agents, full-text search with highlighted excerpts, the
 * conversation with assignment, resolve / reopen, who else is viewing or
 * typing, a composer with `/shortcut` canned replies, and the visitor's details.
 * Keyboard-first (shortcuts.ts), light and dark themes (theme.ts), stacked
 * list / detail below 720 px, notifications (notifier.ts).
 *
 * It talks to the server only through AgentApi (agent-api.ts), so how the
 * agent signed in is not its business. Fires `twt-sign-out` when the agent
 * asks to sign out, or the server refuses the agent; `twt-open-admin` when an
 * admin asks for the admin screens.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { AgentConversation, AgentServerFrame, CannedReplyView, InboxView, MessageView, SearchResult, TeammateView, ViewCounts } from '../../shared/wire-protocol.js';
import { AGENT_VIEWING_RENEW_MS, INBOX_VIEWS, LIMITS, inInboxView, isAgentActivityFrame, isAgentConversation } from '../../shared/wire-protocol.js';
import { canEditCannedReplies, type ConsoleAgent } from '../../shared/agent-accounts.js';
import type { AgentApi, LiveConnection } from '../agent-api.js';
import type { TwtVisitorContext } from '../visitor-context/twt-visitor-context.js';
import { cannedMatches, cannedQueryAt, insertCanned, type CannedQuery } from './canned.js';
import { formatWait, ratingLabel, ratingWords, visitorLabel } from './format.js';
import { Notifier, type DesktopState } from './notifier.js';
import { handedTo, newsTitle, titleCount, visitorNews, type VisitorNews } from './attention.js';
import { SHORTCUTS, isTextField, shortcutFor, type ShortcutAction } from './shortcuts.js';
import { ConsoleThemeController, THEME_CHOICES, consolePalette, setConsoleTheme } from '../theme.js';
import { ReplyFiles, fileStyles, renderFiles } from './attachments.js';
import { messageLine } from '../../shared/message-line.js';
import { MessageRows } from './message-rows.js';

const VIEW_LABELS: Record<InboxView, string> = { open: 'Open', mine: 'Mine', unassigned: 'Unassigned', resolved: 'Resolved' };
/** Conversations a view loads per page (the server's default page); "Load more" asks for the next. */
const VIEW_PAGE = 200;
/** How often waiting times are redrawn. */
const TICK_MS = 15_000;
/** Pushes within this long refresh the view counts once. */
const COUNTS_DEBOUNCE_MS = 200;
/** Typing in the search box waits this long before searching. */
const SEARCH_DEBOUNCE_MS = 250;
/** Below this width the list and the conversation are stacked (one shown at a time). */
const NARROW_QUERY = '(max-width: 719px)';

/** Another agent in a conversation: since when (ms, our clock) each activity expires. */
interface Presence {
  name: string;
  viewing?: number;
  typing?: number;
}

export class TwtInbox extends LitElement {
  static override properties = {
    api: { attribute: false },
    me: { attribute: false },
    now: { attribute: false },
    view: { state: true },
    all: { state: true },
    counts: { state: true },
    selected: { state: true },
    messages: { state: true },
    status: { state: true },
    error: { state: true },
    visitorTyping: { state: true },
    activity: { state: true },
    query: { state: true },
    results: { state: true },
    teammates: { state: true },
    canned: { state: true },
    cannedQuery: { state: true },
    cannedActive: { state: true },
    narrow: { state: true },
    soundOn: { state: true },
    desktop: { state: true },
    tick: { state: true },
    announcement: { state: true },
    waiting: { state: true },
    next: { state: true },
    loadingMore: { state: true },
  };

  api: AgentApi | null = null;
  /** Files attached to the next reply (attachments.ts). */
  private readonly replyFiles = new ReplyFiles(this, () => this.api);
  /** The signed-in agent (from the console's shell); an admin gets the header's admin screens (`twt-open-admin`) and the canned-reply editor. */
  me: ConsoleAgent | null = null;
  /**
   * The server's clock (ms): waiting times are measured against it. Set from
   * each list's `serverTime` plus the time since; a test may inject its own.
   */
  now: () => number = () => Date.now() + this.clockOffset;

  view: InboxView = 'open';
  /** Every conversation this console knows, by id (views are filters on it, kept fresh by pushes). */
  all = new Map<string, AgentConversation>();
  counts: ViewCounts = { open: 0, mine: 0, unassigned: 0, resolved: 0 };
  selected: string | null = null;
  messages: MessageView[] = [];
  status = 'offline';
  error = '';
  visitorTyping: Record<string, boolean> = {};
  /** Other agents per conversation: viewing or typing, until it expires. */
  activity = new Map<string, Map<number, Presence>>();
  query = '';
  results: SearchResult[] | null = null;
  teammates: TeammateView[] = [];
  canned: CannedReplyView[] = [];
  cannedQuery: CannedQuery | null = null;
  cannedActive = 0;
  /** The console's theme choice (one for every screen; data-theme on this element). */
  private readonly theme = new ConsoleThemeController(this);
  narrow = false;
  soundOn = false;
  desktop: DesktopState = 'off';
  tick = 0;
  /** The latest polite announcement (aria-live) for screen readers. */
  announcement = '';
  /** The cursor of the current view's next page (the server's `next`), or null when every page is here. */
  next: string | null = null;
  loadingMore = false;
  /** Conversations handed to this agent by someone else, not opened since (they count in the tab title). */
  waiting: ReadonlySet<string> = new Set();
  /** Conversations this console is assigning now. */
  private assigning = new Set<string>();
  /** Conversations heard deleted (dropDeleted): never shown again. */
  private readonly deleted = new Set<string>();
  /** Rows moved by `message` frames (the server sends no summary after an ordinary message). */
  private readonly messageRows = new MessageRows({
    row: (id) => this.all.get(id),
    put: (c) => {
      if (!this.deleted.has(c.id)) this.upsert(c);
    },
    fetch: (id) => this.api!.conversation(id),
  });

  private clockOffset = 0;
  private live: LiveConnection | null = null;
  private notifier = new Notifier();
  private typingTimer?: ReturnType<typeof setTimeout>;
  private countsTimer?: ReturnType<typeof setTimeout>;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private ticker?: ReturnType<typeof setInterval>;
  private viewingTimer?: ReturnType<typeof setInterval>;
  private expiryTimers = new Set<ReturnType<typeof setTimeout>>();
  private media: MediaQueryList | null = null;
  private readonly onMedia = () => {
    this.narrow = !!this.media?.matches;
  };
  private readonly onKey = (e: KeyboardEvent) => this.handleShortcut(e);

  static override styles = [
    consolePalette,
    fileStyles,
    css`
    :host {
      display: grid;
      grid-template-rows: auto 1fr;
      height: 100vh;
      height: 100dvh;
      background: var(--bg);
      color: var(--fg);
      font: 14px/1.4 system-ui, sans-serif;
    }
    button, select, input, textarea { font: inherit; color: inherit; }
    button, select { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
    button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
    button[aria-pressed='true'] { background: var(--current); }
    :focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
    .top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 6px 12px; border-bottom: 1px solid var(--line); }
    .top h1 { font-size: 16px; margin: 0 auto 0 0; }
    .state { color: var(--muted); }
    .state.online { color: var(--ok); }
    .body { display: grid; grid-template-columns: minmax(260px, 360px) 1fr; min-height: 0; }
    .pane { display: grid; grid-template-rows: auto auto 1fr; min-height: 0; border-right: 1px solid var(--line); }
    nav { display: flex; gap: 4px; padding: 8px 12px 0; flex-wrap: wrap; }
    nav button { border-radius: 999px; padding: 2px 7px; font-size: 13px; }
    nav button[aria-current='page'] { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
    .count { margin-left: 4px; font-variant-numeric: tabular-nums; }
    form.search { padding: 8px 12px; }
    form.search input { width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
    ul.rows { list-style: none; margin: 0; padding: 0; overflow: auto; min-height: 0; }
    ul.rows > li > button { width: 100%; text-align: left; padding: 8px 12px; border: 0; border-bottom: 1px solid var(--line-soft); border-radius: 0; background: none; display: grid; gap: 2px; }
    ul.rows > li > button[aria-current='true'] { background: var(--current); }
    .name { font-weight: 600; display: flex; align-items: center; gap: 6px; min-width: 0; }
    .name .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .dot { flex: none; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
    .dot.on { background: var(--ok); }
    .badge { margin-left: auto; background: var(--danger); color: var(--badge-fg); border-radius: 10px; padding: 0 7px; font-size: 12px; }
    .preview { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .facts { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; color: var(--muted); }
    .facts .waiting { color: var(--danger); }
    mark { background: var(--mark); color: inherit; border-radius: 2px; }
    .empty { padding: 24px; color: var(--muted); }
    main { display: grid; grid-template-columns: 1fr auto; min-height: 0; min-width: 0; }
    .conversation { display: grid; grid-template-rows: auto auto 1fr auto auto auto; min-height: 0; min-width: 0; }
    .conv-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 8px 12px; border-bottom: 1px solid var(--line); }
    .conv-head h2 { font-size: 15px; margin: 0 auto 0 0; overflow-wrap: anywhere; }
    .others { padding: 4px 12px; font-size: 12px; color: var(--muted); min-height: 1.4em; }
    ol.messages { list-style: none; margin: 0; padding: 12px; overflow: auto; display: flex; flex-direction: column; gap: 6px; min-height: 0; }
    ol.messages li { max-width: 75%; padding: 6px 10px; border-radius: 10px; background: var(--bg-soft); white-space: pre-wrap; overflow-wrap: anywhere; }
    ol.messages li.agent { align-self: flex-end; background: var(--accent); color: var(--accent-fg); }
    .meta { font-size: 11px; }
    .typing { padding: 0 12px; color: var(--muted); min-height: 1.4em; }
    button.more { display: block; margin: 8px auto 12px; }
    form.reply { position: relative; display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid var(--line); }
    form.reply textarea { flex: 1; resize: vertical; min-height: 2.5em; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
    ul.canned { position: absolute; bottom: 100%; left: 12px; right: 12px; margin: 0; padding: 4px 0; list-style: none; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 4px 12px rgb(0 0 0 / 0.15); max-height: 40vh; overflow: auto; }
    ul.canned li { padding: 4px 10px; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    ul.canned li[aria-selected='true'] { background: var(--current); }
    .error { color: var(--danger); padding: 0 12px; }
    .visitor { width: 240px; border-left: 1px solid var(--line); padding: 8px 12px; overflow: auto; }
    .visitor h3 { font-size: 13px; margin: 4px 0 8px; }
    .visitor dl { margin: 0; display: grid; gap: 2px; }
    .visitor dt { font-size: 12px; color: var(--muted); }
    .visitor dd { margin: 0 0 6px; overflow-wrap: anywhere; }
    .back { display: none; }
    p.follow-up { margin: 4px 12px; overflow-wrap: anywhere; }
    p.rating { margin: 4px 12px; padding: 4px 8px; border-left: 3px solid var(--line); overflow-wrap: anywhere; white-space: pre-wrap; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    dialog { background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 8px; max-width: min(520px, 92vw); }
    dialog table { border-collapse: collapse; }
    dialog th, dialog td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line-soft); }
    kbd { border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; background: var(--bg-soft); font: 12px ui-monospace, monospace; }
    .editor form { display: grid; gap: 6px; margin-top: 8px; }
    .editor input, .editor textarea, .editor select { padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
    /* Narrow (phones, 360 px): one pane at a time; the list, or the open conversation with a way back. */
    :host([narrow]) .body { grid-template-columns: 1fr; }
    :host([narrow]) .pane { border-right: 0; }
    :host([narrow][has-selection]) .pane { display: none; }
    :host([narrow]:not([has-selection])) main { display: none; }
    :host([narrow]) main { grid-template-columns: 1fr; grid-template-rows: 1fr auto; }
    :host([narrow]) .visitor { width: auto; border-left: 0; border-top: 1px solid var(--line); max-height: 30vh; }
    :host([narrow]) .back { display: inline-block; }
    :host([narrow]) ol.messages li { max-width: 90%; }
  `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.media = matchMedia(NARROW_QUERY);
    this.media.addEventListener('change', this.onMedia);
    this.onMedia();
    this.soundOn = this.notifier.soundOn;
    this.desktop = this.notifier.desktop;
    window.addEventListener('keydown', this.onKey);
    this.ticker = setInterval(() => this.tick++, TICK_MS);
    if (this.api) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.media?.removeEventListener('change', this.onMedia);
    window.removeEventListener('keydown', this.onKey);
    clearInterval(this.ticker);
    clearInterval(this.viewingTimer);
    for (const t of [this.typingTimer, this.countsTimer, this.searchTimer]) clearTimeout(t);
    for (const t of this.expiryTimers) clearTimeout(t);
    this.expiryTimers.clear();
    this.live?.stop();
    this.live = null;
    this.notifier.restoreTitle();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('narrow')) this.toggleAttribute('narrow', this.narrow);
    if (changed.has('selected')) this.toggleAttribute('has-selection', this.selected !== null);
    if (changed.has('all') || changed.has('waiting')) this.notifier.setUnread(titleCount(this.all.values(), this.waiting, this.me?.id));
  }

  // --- data -----------------------------------------------------------------
  private async start(): Promise<void> {
    const api = this.api!;
    await this.loadView(this.view);
    void api.teammates().then((t) => (this.teammates = t), () => {});
    void this.loadCanned();
    this.live = api.live(
      (f) => this.onFrame(f),
      (s) => {
        this.status = s;
        if (s === 'online') void this.resync(), void this.visitorContext?.refresh();
        if (s === 'refused') this.dispatchEvent(new CustomEvent('twt-sign-out', { bubbles: true, composed: true, detail: { refused: true } }));
      },
    );
  }

  private async loadCanned(): Promise<void> {
    this.canned = await this.api!.cannedReplies().catch(() => this.canned);
  }

  /** Loads a view's list and every count; the conversations join what the console knows. */
  private async loadView(view: InboxView): Promise<void> {
    const r = await this.api!.view(view, VIEW_PAGE).catch((err: Error) => {
      this.error = err.message;
      return null;
    });
    if (!r) return;
    this.applyCounts(r);
    if (view === this.view) this.next = r.next ?? null;
    const all = new Map(this.all);
    for (const c of r.conversations) if (!this.deleted.has(c.id)) all.set(c.id, this.messageRows.summary(c));
    // A last page that is also the first is the whole view: what it no longer holds has left it (a push missed while offline).
    if (this.me && !r.next) {
      const listed = new Set(r.conversations.map((c) => c.id));
      for (const [id, c] of all) if (!listed.has(id) && inInboxView(c, view, this.me.id)) all.delete(id);
    }
    this.all = all;
  }

  /** The view's next page (keyset: after the last row of the previous one), joined to what the console knows. */
  private async loadMore(): Promise<void> {
    const { view, next } = this;
    if (!next || this.loadingMore) return;
    this.loadingMore = true;
    const r = await this.api!.view(view, VIEW_PAGE, next).catch((err: Error) => {
      this.error = err.message;
      return null;
    });
    this.loadingMore = false;
    if (!r || view !== this.view) return;
    this.next = r.next ?? null;
    const all = new Map(this.all);
    for (const c of r.conversations) if (!this.deleted.has(c.id)) all.set(c.id, this.messageRows.summary(c));
    this.all = all;
    this.announcement = `${r.conversations.length} more conversations`;
  }

  private applyCounts(r: { counts?: ViewCounts; serverTime?: string }): void {
    if (r.counts) this.counts = r.counts;
    if (r.serverTime) this.clockOffset = Date.parse(r.serverTime) - Date.now();
  }

  private scheduleCounts(): void {
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => {
      void this.api
        ?.view(this.view, 1)
        .then((r) => this.applyCounts(r))
        .catch(() => {});
    }, COUNTS_DEBOUNCE_MS);
  }

  /** After (re)connecting: the view again, and the open conversation's messages missed meanwhile. */
  private async resync(): Promise<void> {
    await this.loadView(this.view);
    if (this.selected) {
      await this.loadMessages();
      this.live?.viewing(this.selected);
    }
  }

  private upsert(c: AgentConversation): void {
    const all = new Map(this.all);
    all.set(c.id, c);
    this.all = all;
  }

  private onFrame(f: AgentServerFrame): void {
    this.visitorContext?.handleFrame(f);
    switch (f.type) {
      case 'conversation':
        if (!isAgentConversation(f.conversation) || this.deleted.has(f.conversation.id)) return;
        if (handedTo(this.me?.id, this.all.get(f.conversation.id), f.conversation, this.assigning.has(f.conversation.id))) this.handedOver(f.conversation);
        this.upsert(this.messageRows.summary(f.conversation));
        this.scheduleCounts();
        return;
      case 'message': {
        if (f.conversationId === this.selected) {
          this.addMessages([f.message]);
          if (f.message.author === 'visitor') void this.api?.markRead(f.conversationId, f.message.seq).catch(() => {});
        }
        if (f.message.author === 'visitor') this.newVisitorMessage(f.conversationId, f.message);
        if (!this.deleted.has(f.conversationId)) this.messageRows.message(f.conversationId, f.message);
        return;
      }
      case 'typing':
        this.visitorTyping = { ...this.visitorTyping, [f.conversationId]: f.typing };
        return;
      case 'activity':
        if (isAgentActivityFrame(f)) this.onActivity(f);
        return;
      case 'conversation_deleted':
        if (typeof f.conversationId === 'string') this.dropDeleted(f.conversationId);
        return;
      default:
        return;
    }
  }

  /**
   * An admin deleted a conversation: its row goes (and it closes if open). Remembered, so a summary loaded before
   * the delete and pushed after it does not bring the row back.
   */
  private dropDeleted(id: string): void {
    this.deleted.add(id);
    if (this.all.has(id)) {
      const all = new Map(this.all);
      all.delete(id);
      this.all = all;
      this.scheduleCounts();
    }
    if (this.waiting.has(id)) this.waiting = new Set([...this.waiting].filter((w) => w !== id));
    if (this.results?.some((r) => r.conversation.id === id)) this.results = this.results.filter((r) => r.conversation.id !== id);
    if (this.selected === id) {
      this.selected = null;
      this.messages = [];
      this.replyFiles.clear();
      this.live?.viewing(null);
      clearInterval(this.viewingTimer);
      this.announcement = 'The open conversation was deleted';
    }
  }

  /** A visitor wrote: tell the agent if it is new work for them (unassigned, or theirs) and they are not looking at it. */
  private newVisitorMessage(conversationId: string, m: MessageView): void {
    const c = this.all.get(conversationId);
    const news = visitorNews(this.me?.id, c, m);
    if (!news) return;
    this.tell(news, c ? visitorLabel(c) : 'A visitor', conversationId, m.text.slice(0, 140));
  }

  /** Someone else assigned a conversation to this agent: news as a new message is, and it counts in the title until opened. */
  private handedOver(c: AgentConversation): void {
    this.waiting = new Set(this.waiting).add(c.id);
    this.tell('assigned', visitorLabel(c), c.id, c.lastMessage?.text.slice(0, 140) ?? '');
  }

  private tell(news: VisitorNews | 'assigned', label: string, conversationId: string, body: string): void {
    this.announcement = newsTitle(news, label);
    if (conversationId === this.selected && document.hasFocus() && document.visibilityState === 'visible') return;
    this.notifier.notify(newsTitle(news, label), body, conversationId, () => void this.open(conversationId));
  }

  private onActivity(f: Extract<AgentServerFrame, { type: 'activity' }>): void {
    if (f.agent.id === this.me?.id) return;
    const activity = new Map(this.activity);
    const perConv = new Map(activity.get(f.conversationId) ?? []);
    const p: Presence = { ...(perConv.get(f.agent.id) ?? { name: f.agent.name }), name: f.agent.name };
    const until = Date.now() + f.ttlMs;
    if (f.active) p[f.activity] = until;
    else delete p[f.activity];
    if (p.viewing === undefined && p.typing === undefined) perConv.delete(f.agent.id);
    else perConv.set(f.agent.id, p);
    if (perConv.size) activity.set(f.conversationId, perConv);
    else activity.delete(f.conversationId);
    this.activity = activity;
    if (f.active) {
      // Redraw when it expires unrenewed (a lost "stopped" never leaves it shown).
      const t = setTimeout(() => {
        this.expiryTimers.delete(t);
        this.tick++;
      }, f.ttlMs + 50);
      this.expiryTimers.add(t);
    }
  }

  /** Other agents viewing / typing in a conversation, now. */
  private othersIn(conversationId: string): { viewing: string[]; typing: string[] } {
    const out = { viewing: [] as string[], typing: [] as string[] };
    const now = Date.now();
    for (const p of this.activity.get(conversationId)?.values() ?? []) {
      if (p.typing !== undefined && p.typing > now) out.typing.push(p.name);
      else if (p.viewing !== undefined && p.viewing > now) out.viewing.push(p.name);
    }
    return out;
  }

  private addMessages(list: MessageView[]): void {
    const bySeq = new Map(this.messages.map((m) => [m.seq, m]));
    for (const m of list) bySeq.set(m.seq, m);
    this.messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    void this.updateComplete.then(() => {
      const ol = this.renderRoot.querySelector('ol.messages');
      if (ol) ol.scrollTop = ol.scrollHeight;
    });
  }

  private async open(id: string, options: { focus?: 'row' | 'heading' | 'none' } = {}): Promise<void> {
    if (this.waiting.has(id)) this.waiting = new Set([...this.waiting].filter((w) => w !== id));
    if (this.selected !== id) {
      this.selected = id;
      this.messages = [];
      this.replyFiles.clear();
      this.error = '';
      this.cannedQuery = null;
      this.live?.viewing(id);
      clearInterval(this.viewingTimer);
      this.viewingTimer = setInterval(() => this.live?.viewing(this.selected), AGENT_VIEWING_RENEW_MS);
    }
    const focus = options.focus ?? (this.narrow ? 'heading' : 'none');
    await this.updateComplete;
    if (focus === 'row') this.rowButton(id)?.focus();
    if (focus === 'heading') (this.renderRoot.querySelector('.conv-head h2') as HTMLElement | null)?.focus();
    await this.loadMessages();
  }

  private close(): void {
    const id = this.selected;
    this.selected = null;
    this.messages = [];
    this.live?.viewing(null);
    clearInterval(this.viewingTimer);
    if (id) void this.updateComplete.then(() => this.rowButton(id)?.focus());
  }

  private rowButton(id: string): HTMLButtonElement | null {
    return this.renderRoot.querySelector(`ul.rows button[data-id="${CSS.escape(id)}"]`);
  }

  private async loadMessages(): Promise<void> {
    const id = this.selected;
    if (!id || !this.api) return;
    const after = this.messages.at(-1)?.seq ?? 0;
    const list = await this.api.messages(id, after).catch(() => []);
    if (id !== this.selected) return;
    this.addMessages(list);
    const last = this.messages.at(-1);
    if (last) await this.api.markRead(id, last.seq).catch(() => {});
  }

  /** The rows the list shows now: search results, or the view's conversations, newest first. */
  private rows(): AgentConversation[] {
    if (this.results) return this.results.map((r) => this.all.get(r.conversation.id) ?? r.conversation);
    const meId = this.me?.id ?? -1;
    return [...this.all.values()].filter((c) => inInboxView(c, this.view, meId)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  // --- actions --------------------------------------------------------------
  private async act(fn: () => Promise<AgentConversation>): Promise<void> {
    this.error = '';
    try {
      this.upsert(this.messageRows.summary(await fn()));
      this.scheduleCounts();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async assign(id: string, agentId: number | null): Promise<void> {
    // Its push is no news to this agent (attention.ts handedTo).
    this.assigning.add(id);
    await this.act(() => this.api!.assign(id, agentId));
    this.assigning.delete(id);
  }

  private toggleResolved(c: AgentConversation): Promise<void> {
    const to = c.status === 'resolved' ? 'open' : 'resolved';
    this.announcement = to === 'resolved' ? 'Conversation resolved' : 'Conversation reopened';
    return this.act(() => this.api!.setStatus(c.id, to));
  }

  private async switchView(view: InboxView): Promise<void> {
    this.view = view;
    this.next = null;
    this.clearSearch();
    await this.loadView(view);
  }

  private onSearchInput(e: Event): void {
    this.query = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    if (!this.query.trim()) return this.clearSearch();
    this.searchTimer = setTimeout(() => void this.runSearch(), SEARCH_DEBOUNCE_MS);
  }

  private async runSearch(): Promise<void> {
    const q = this.query.trim();
    if (!q || !this.api) return;
    try {
      const results = await this.api.search(q);
      if (q !== this.query.trim()) return;
      this.results = results;
      this.announcement = `${results.length} ${results.length === 1 ? 'result' : 'results'} for ${q}`;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private clearSearch(): void {
    clearTimeout(this.searchTimer);
    this.query = '';
    this.results = null;
  }

  private async reply(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const area = form.querySelector('textarea')!;
    const text = area.value.trim();
    const files = this.replyFiles.ready();
    if ((!text && !files.ids.length) || !this.selected || !this.api) return;
    if (files.uploading) return void (this.error = 'Wait until the files are uploaded.');
    this.error = '';
    try {
      const m = await this.api.send(this.selected, text, crypto.randomUUID(), files.ids);
      area.value = '';
      this.replyFiles.clear();
      this.cannedQuery = null;
      this.addMessages([m]);
      clearTimeout(this.typingTimer);
      this.live?.typing(this.selected, false);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  // Files for the reply: the attach button's input, a drop onto the reply box, a paste into it.
  private readonly onPickFiles = (e: Event) => {
    const input = e.target as HTMLInputElement;
    if (input.files && this.selected) this.replyFiles.add(this.selected, input.files);
    input.value = '';
  };

  private readonly onDragFiles = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files') || !this.selected) return;
    e.preventDefault();
    if (e.type === 'drop') this.replyFiles.add(this.selected, e.dataTransfer.files);
  };

  private readonly onPasteFiles = (e: ClipboardEvent) => {
    const files = e.clipboardData?.files;
    if (!files?.length || !this.selected) return;
    e.preventDefault();
    this.replyFiles.add(this.selected, files);
  };

  private onInput(e: Event): void {
    if (!this.selected) return;
    const area = e.target as HTMLTextAreaElement;
    this.updateCannedQuery(area);
    this.live?.typing(this.selected, true);
    clearTimeout(this.typingTimer);
    const id = this.selected;
    this.typingTimer = setTimeout(() => this.live?.typing(id, false), 3000);
  }

  private updateCannedQuery(area: HTMLTextAreaElement): void {
    const q = cannedQueryAt(area.value, area.selectionStart ?? area.value.length);
    this.cannedQuery = q;
    this.cannedActive = 0;
  }

  private cannedOptions(): CannedReplyView[] {
    const c = this.selected ? this.all.get(this.selected) : undefined;
    return this.cannedQuery && c ? cannedMatches(this.canned, c.appid, this.cannedQuery.prefix) : [];
  }

  private pickCanned(reply: CannedReplyView): void {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('form.reply textarea');
    if (!area || !this.cannedQuery) return;
    const { text, caret } = insertCanned(area.value, this.cannedQuery, reply);
    area.value = text;
    area.focus();
    area.setSelectionRange(caret, caret);
    this.cannedQuery = null;
  }

  private onComposerKeydown(e: KeyboardEvent): void {
    const options = this.cannedOptions();
    if (options.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.cannedActive = (this.cannedActive + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        this.pickCanned(options[Math.min(this.cannedActive, options.length - 1)]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        this.cannedQuery = null;
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      (e.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private handleShortcut(e: KeyboardEvent): void {
    // A dialog (help, canned replies) has the keyboard: nothing behind it moves.
    if (e.defaultPrevented || this.renderRoot.querySelector('dialog[open]')) return;
    const focused = deepActiveElement();
    if (e.key === 'Escape' && this.narrow && this.selected && !isTextField(focused)) return this.close();
    const action = shortcutFor(e, isTextField(focused));
    if (!action) return;
    e.preventDefault();
    void this.perform(action);
  }

  private async perform(action: ShortcutAction): Promise<void> {
    switch (action) {
      case 'next':
      case 'previous': {
        const rows = this.rows();
        if (!rows.length) return;
        const at = rows.findIndex((c) => c.id === this.selected);
        const next = at === -1 ? 0 : Math.min(Math.max(at + (action === 'next' ? 1 : -1), 0), rows.length - 1);
        return this.open(rows[next]!.id, { focus: this.narrow ? 'heading' : 'row' });
      }
      case 'reply':
        return void this.renderRoot.querySelector<HTMLTextAreaElement>('form.reply textarea')?.focus();
      case 'resolve': {
        const c = this.selected ? this.all.get(this.selected) : undefined;
        if (c) return this.toggleResolved(c);
        return;
      }
      case 'search':
        if (this.narrow && this.selected) this.close();
        await this.updateComplete;
        return void this.renderRoot.querySelector<HTMLInputElement>('form.search input')?.focus();
      case 'help':
        return void this.renderRoot.querySelector<HTMLDialogElement>('dialog.help')?.showModal();
    }
  }

  private cycleTheme(): void {
    setConsoleTheme(THEME_CHOICES[(THEME_CHOICES.indexOf(this.theme.choice) + 1) % THEME_CHOICES.length]!);
  }

  private toggleSound(): void {
    this.soundOn = !this.soundOn;
    this.notifier.setSound(this.soundOn);
  }

  private async toggleDesktop(): Promise<void> {
    this.desktop = await this.notifier.setDesktop(this.desktop !== 'on');
  }

  private async addCanned(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
    try {
      await this.api!.createCannedReply({ appid: field('appid'), shortcut: field('shortcut'), text: field('text') });
      form.reset();
      this.error = '';
      await this.loadCanned();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async removeCanned(id: number): Promise<void> {
    await this.api!.deleteCannedReply(id).catch((err: Error) => (this.error = err.message));
    await this.loadCanned();
  }

  // --- rendering ------------------------------------------------------------
  override render() {
    const current = this.selected ? this.all.get(this.selected) : undefined;
    return html`
      <header class="top">
        <h1>Inbox</h1>
        <span role="status" class="state ${this.status}">${this.status}</span>
        <button type="button" @click=${this.cycleTheme} aria-label="Theme: ${this.theme.choice}" title="Theme">${this.theme.choice === 'dark' ? '☾' : this.theme.choice === 'light' ? '☀' : '◐'} ${this.theme.choice}</button>
        <button type="button" aria-pressed=${this.soundOn ? 'true' : 'false'} @click=${this.toggleSound}>Sound</button>
        ${this.renderDesktopControl()}
        ${this.me && canEditCannedReplies(this.me) ? html`<button type="button" @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('dialog.editor')?.showModal()}>Canned replies</button>` : nothing}
        <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this.perform('help')}>?</button>
        ${this.me?.role === 'admin' ? html`<button type="button" @click=${() => this.dispatchEvent(new CustomEvent('twt-open-admin', { bubbles: true, composed: true }))}>Admin</button>` : nothing}
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('twt-sign-out', { bubbles: true, composed: true }))}>Sign out</button>
      </header>
      <div class="body">
        <section class="pane" aria-label="Conversations">
          <nav aria-label="Views">
            ${INBOX_VIEWS.map(
              (v) => html`<button type="button" aria-current=${this.view === v && !this.results ? 'page' : 'false'} @click=${() => this.switchView(v)}>
                ${VIEW_LABELS[v]}<span class="count" role="img" aria-label="${this.counts[v]} conversations">${this.counts[v]}</span>
              </button>`,
            )}
          </nav>
          <form class="search" role="search" @submit=${(e: Event) => (e.preventDefault(), void this.runSearch())}>
            <input
              type="search"
              aria-label="Search conversations"
              placeholder="Search messages and visitors  (/)"
              maxlength="200"
              .value=${this.query}
              @input=${this.onSearchInput}
              @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.clearSearch(), (e.target as HTMLInputElement).blur())}
            />
          </form>
          ${this.renderRows()}
        </section>
        <main aria-label="Conversation">${current ? this.renderConversation(current) : html`<p class="empty">Select a conversation (j / k).</p>`}</main>
      </div>
      <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
      ${this.renderHelp()} ${this.me && canEditCannedReplies(this.me) ? this.renderCannedEditor() : nothing}
    `;
  }

  private renderDesktopControl() {
    switch (this.desktop) {
      case 'unsupported':
        return nothing;
      case 'blocked':
        return html`<button type="button" disabled title="Allow notifications for this site in the browser to turn them on">Notifications blocked</button>`;
      default:
        return html`<button type="button" aria-pressed=${this.desktop === 'on' ? 'true' : 'false'} @click=${this.toggleDesktop}>
          ${this.desktop === 'on' ? 'Desktop notifications on' : 'Enable desktop notifications'}
        </button>`;
    }
  }

  private renderRows() {
    const rows = this.rows();
    const snippets = new Map((this.results ?? []).map((r) => [r.conversation.id, r]));
    if (!rows.length) return html`<p class="empty">${this.results ? 'Nothing found.' : this.view === 'resolved' ? 'No resolved conversations.' : 'No conversations here.'}</p>`;
    void this.tick;
    const now = this.now();
    return html`<ul class="rows" aria-label=${this.results ? 'Search results' : `${VIEW_LABELS[this.view]} conversations`}>
      ${rows.map((c) => {
        const hit = snippets.get(c.id);
        const others = this.othersIn(c.id);
        const unread = c.unread && c.id !== this.selected ? c.unread : 0;
        return html`<li>
          <button type="button" data-id=${c.id} aria-current=${c.id === this.selected ? 'true' : 'false'} @click=${() => this.open(c.id)}>
            <span class="name"
              ><span class="dot ${c.online ? 'on' : ''}" role="img" aria-label=${c.online ? 'online' : 'offline'}></span><span class="label">${visitorLabel(c)}</span>
              ${unread ? html`<span class="badge" role="img" aria-label="${unread} unread">${unread}</span>` : nothing}</span
            >
            <span class="preview">${hit ? renderSnippet(hit) : c.lastMessage ? messageLine(c.lastMessage) : ''}</span>
            <span class="facts">
              ${c.status === 'resolved' ? html`<span>Resolved</span>` : c.waitingSince ? html`<span class="waiting">Waiting ${formatWait(now - Date.parse(c.waitingSince))}</span>` : nothing}
              <span>${c.assignee ? `Assigned to ${c.assignee.id === this.me?.id ? 'me' : c.assignee.name}` : 'Unassigned'}</span>
              ${c.followUpEmail ? html`<span class="follow-up">Email: ${c.followUpEmail}</span>` : nothing}
              ${c.rating ? html`<span class="rating" role="img" title=${ratingWords(c.rating)} aria-label=${ratingWords(c.rating)}>${c.rating.value === 'good' ? '👍' : '👎'}</span>` : nothing}
              ${others.typing.length ? html`<span>${others.typing.join(', ')} typing…</span>` : others.viewing.length ? html`<span>${others.viewing.join(', ')} viewing</span>` : nothing}
            </span>
          </button>
        </li>`;
      })}
    </ul>
    ${!this.results && this.next
      ? html`<button type="button" class="more" ?disabled=${this.loadingMore} @click=${() => this.loadMore()}>${this.loadingMore ? 'Loading…' : 'Load more'}</button>`
      : nothing}`;
  }

  private renderConversation(c: AgentConversation) {
    const others = this.othersIn(c.id);
    const serving = this.teammates.filter((t) => t.appid === null || t.appid === c.appid);
    const options = this.cannedOptions();
    return html`
      <div class="conversation">
        <div class="conv-head">
          <button type="button" class="back" @click=${() => this.close()}>← Back</button>
          <h2 tabindex="-1">${visitorLabel(c)}</h2>
          ${c.assignee?.id !== this.me?.id && this.me ? html`<button type="button" @click=${() => this.assign(c.id, this.me!.id)}>Take</button>` : nothing}
          <label class="visually-hidden" for="assignee">Assignee</label>
          <select id="assignee" @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            void this.assign(c.id, v === '' ? null : Number(v));
          }}>
            <option value="" ?selected=${!c.assignee}>Unassigned</option>
            ${serving.map((t) => html`<option value=${String(t.id)} ?selected=${c.assignee?.id === t.id}>${t.id === this.me?.id ? `${t.name} (me)` : t.name}</option>`)}
            ${c.assignee && !serving.some((t) => t.id === c.assignee!.id) ? html`<option value=${String(c.assignee.id)} selected>${c.assignee.name}</option>` : nothing}
          </select>
          <button type="button" class=${c.status === 'open' ? 'primary' : ''} @click=${() => this.toggleResolved(c)}>${c.status === 'open' ? 'Resolve' : 'Reopen'}</button>
        </div>
        ${c.followUpEmail
          ? html`<p class="follow-up">Left an email while you were away: <a href="mailto:${encodeURIComponent(c.followUpEmail)}">${c.followUpEmail}</a></p>`
          : nothing}
        ${c.rating ? html`<p class="rating" data-rating=${c.rating.value}><span aria-hidden="true">${ratingLabel(c.rating)}</span><span class="visually-hidden">${ratingWords(c.rating)}</span></p>` : nothing}
        <div class="others" aria-live="polite">
          ${others.typing.length ? `${others.typing.join(', ')} ${others.typing.length === 1 ? 'is' : 'are'} typing a reply…` : others.viewing.length ? `${others.viewing.join(', ')} ${others.viewing.length === 1 ? 'is' : 'are'} viewing this conversation` : ''}
        </div>
        <ol class="messages" aria-live="polite" aria-label="Messages" tabindex="0">
          ${this.messages.map((m) => html`<li class=${m.author}><div>${m.text}</div>${renderFiles(m.attachments)}<div class="meta">${m.authorName ?? m.author} · ${new Date(m.createdAt).toLocaleTimeString()}</div></li>`)}
        </ol>
        <div class="typing" aria-live="polite">${this.visitorTyping[c.id] ? 'Visitor is typing…' : ''}</div>
        <form class="reply" @submit=${this.reply} @dragover=${this.onDragFiles} @drop=${this.onDragFiles}>
          ${this.replyFiles.render()}
          ${options.length
            ? html`<ul class="canned" role="listbox" id="canned-list" aria-label="Canned replies">
                ${options.map(
                  (r, i) => html`<li role="option" id="canned-${r.id}" aria-selected=${i === this.cannedActive ? 'true' : 'false'} @mousedown=${(e: Event) => (e.preventDefault(), this.pickCanned(r))}>
                    /${r.shortcut} — ${r.text}
                  </li>`,
                )}
              </ul>`
            : nothing}
          <textarea
            aria-label="Reply"
            placeholder="Reply… (/ for canned replies, Enter to send)"
            maxlength=${LIMITS.messageText}
            aria-autocomplete="list"
            aria-controls=${options.length ? 'canned-list' : nothing}
            aria-activedescendant=${options.length ? `canned-${options[Math.min(this.cannedActive, options.length - 1)]!.id}` : nothing}
            @input=${this.onInput}
            @keydown=${this.onComposerKeydown}
            @click=${(e: Event) => this.updateCannedQuery(e.target as HTMLTextAreaElement)}
            @paste=${this.onPasteFiles}
          ></textarea>
          <input type="file" id="reply-files" multiple hidden @change=${this.onPickFiles} />
          <button type="button" aria-label="Attach files" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#reply-files')?.click()}>📎</button>
          <button type="submit" class="primary">Send</button>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </div>
      ${this.renderVisitorContext(c)}
    `;
  }

  /**
   * The visitor beside the conversation: <twt-visitor-context> loads who the
   * visitor is and the live page trail; onFrame() passes it the agent socket's
   * frames and a reconnect refreshes it (pages may have changed meanwhile).
   */
  private renderVisitorContext(c: AgentConversation) {
    return html`<aside class="visitor" aria-label="Visitor">
      <h3>Visitor · ${c.online ? 'online' : 'offline'}</h3>
      <twt-visitor-context .api=${this.api} visitor-uid=${c.visitor.visitorUid} .followUpEmail=${c.followUpEmail ?? null}></twt-visitor-context>
    </aside>`;
  }

  private get visitorContext(): TwtVisitorContext | null {
    return this.renderRoot.querySelector('twt-visitor-context');
  }

  private renderHelp() {
    return html`<dialog class="help" aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          ${SHORTCUTS.map((s) => html`<tr><td>${s.keys.map((k, i) => html`${i ? ' or ' : ''}<kbd>${k}</kbd>`)}</td><td>${s.label}</td></tr>`)}
          <tr><td><kbd>Esc</kbd></td><td>Close this, clear the search, or go back to the list (narrow screens)</td></tr>
        </tbody>
      </table>
      <form method="dialog"><button class="primary">Close</button></form>
    </dialog>`;
  }

  private renderCannedEditor() {
    const apps = [...new Set([...this.all.values()].map((c) => c.appid).concat(this.canned.map((r) => r.appid)))].sort();
    return html`<dialog class="editor" aria-labelledby="editor-title">
      <h2 id="editor-title">Canned replies</h2>
      ${this.canned.length
        ? html`<table>
            <tbody>
              ${this.canned.map((r) => html`<tr><td>${r.appid}</td><td>/${r.shortcut}</td><td>${r.text}</td><td><button type="button" aria-label="Delete /${r.shortcut} of ${r.appid}" @click=${() => this.removeCanned(r.id)}>Delete</button></td></tr>`)}
            </tbody>
          </table>`
        : html`<p>None yet.</p>`}
      <form @submit=${this.addCanned}>
        <label>App <select name="appid" required>${apps.map((a) => html`<option>${a}</option>`)}</select></label>
        <label>Shortcut <input name="shortcut" required pattern="[a-z0-9][a-z0-9_\\-]{0,31}" placeholder="thanks" /></label>
        <label>Text <textarea name="text" required maxlength=${LIMITS.messageText}></textarea></label>
        <button type="submit" class="primary">Add</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <form method="dialog"><button>Close</button></form>
    </dialog>`;
  }
}

/** A search hit's excerpt: text nodes, the matching words in <mark> (never HTML from the text). */
function renderSnippet(r: SearchResult) {
  return html`${r.snippet.map((s) => (s.hit ? html`<mark>${s.text}</mark>` : s.text))}`;
}

/** The focused element, through open shadow roots. */
function deepActiveElement(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}
