/**
 * <twt-visitor-context>: the side panel of a conversation in the agent console. Who the visitor is (name,
 * nickname, email, the follow-up email left on this conversation, phone, the business user's id marked verified, locale, browser and OS, local time, first
 * seen, referer) and, live, the page the visitor is on now with the pages of this visit.
 *
 * Self-contained: give it the visitor (`visitorUid`) and something that loads the context (`api`: an AgentApi,
 * or any `{ visitorContext(uid) }`); it loads over REST when the visitor changes. The console that owns the
 * agent socket passes every frame to `handleFrame()`, and calls `refresh()` after the socket reconnects (pages
 * may have changed while it was away).
 *
 * @summary The visitor context beside a conversation.
 * @tag twt-visitor-context
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { AgentServerFrame } from '../../shared/wire-protocol.js';
import { isPageUrl, type PageVisit, type VisitorContext } from '../../shared/visitor-context.js';

/** What the element loads the context with (AgentApi has it). */
export interface VisitorContextSource {
  visitorContext(visitorUid: string): Promise<VisitorContext>;
}

/** The visitor's local time is redrawn this often. */
const CLOCK_MS = 30_000;

export class TwtVisitorContext extends LitElement {
  static override properties = {
    visitorUid: { attribute: 'visitor-uid' },
    followUpEmail: { attribute: false },
    api: { attribute: false },
    context: { state: true },
    error: { state: true },
    now: { state: true },
  };

  /** The visitor shown. */
  visitorUid = '';
  /**
   * The email the visitor left on the conversation beside which this panel shows, for the team to follow up (the
   * inbox passes it, live as the conversation's summary changes); null when none.
   */
  followUpEmail: string | null = null;
  api: VisitorContextSource | null = null;
  context: VisitorContext | null = null;
  error = '';
  /** Injectable for tests: the time the visitor's local time is computed from. */
  clock: () => Date = () => new Date();
  now = new Date();
  private timer?: ReturnType<typeof setInterval>;
  /** Answers for an earlier visitor are dropped. */
  private loading = 0;

  static override styles = css`
    /*
     * Colours: a page that themes us (the inbox sets --fg, --muted, --line,
     * --link, --ok, --danger for its light / dark / system choice) wins; alone, we follow
     * the system's scheme.
     */
    :host {
      --vc-fg: var(--fg, #1b1f24);
      --vc-muted: var(--muted, #57606a);
      --vc-line: var(--line, #d0d7de);
      --vc-link: var(--link, #0969da);
      --vc-ok: var(--ok, #1a7f37);
      --vc-danger: var(--danger, #cf222e);
      display: block;
      box-sizing: border-box;
      padding: 12px;
      font: 14px/1.4 system-ui, sans-serif;
      color: var(--vc-fg);
      min-width: 0;
      overflow-wrap: anywhere;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --vc-fg: var(--fg, #e6edf3);
        --vc-muted: var(--muted, #9198a1);
        --vc-line: var(--line, #3d444d);
        --vc-link: var(--link, #4493f8);
        --vc-ok: var(--ok, #3fb950);
        --vc-danger: var(--danger, #ff7b72);
      }
    }
    h2 { font-size: 15px; margin: 0 0 8px; }
    h3 { font-size: 13px; margin: 16px 0 6px; color: var(--vc-muted); text-transform: uppercase; letter-spacing: 0.03em; }
    dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; margin: 0; }
    dt { color: var(--vc-muted); }
    dd { margin: 0; min-width: 0; }
    a { color: var(--vc-link); }
    .verified { color: var(--vc-ok); font-weight: 600; white-space: nowrap; }
    .url { display: block; color: var(--vc-muted); font-size: 12px; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    li { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 8px; }
    time { color: var(--vc-muted); font-variant-numeric: tabular-nums; }
    .error { color: var(--vc-danger); }
    @media (max-width: 400px) {
      dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
      dd { margin-bottom: 6px; }
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => (this.now = this.clock()), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('visitorUid') || changed.has('api')) void this.refresh();
  }

  /** Loads the context of the current visitor again. */
  async refresh(): Promise<void> {
    const uid = this.visitorUid;
    const load = ++this.loading;
    this.now = this.clock();
    if (!uid || !this.api) return void (this.context = null);
    try {
      const context = await this.api.visitorContext(uid);
      if (load !== this.loading) return;
      this.context = context;
      this.error = '';
    } catch (err) {
      if (load !== this.loading) return;
      this.context = null;
      this.error = (err as Error).message;
    }
  }

  /** An agent socket frame: a `visitor_page` of this visitor moves its current page (others are ignored). */
  handleFrame(f: AgentServerFrame): void {
    const c = this.context;
    if (f.type !== 'visitor_page' || !c || f.visitorUid !== c.visitorUid) return;
    const pages = [...c.visitPages];
    // The same page with a new title replaces it; a page older than the current one is stale (frames may cross a refresh).
    const last = pages.at(-1);
    if (last && f.page.at < last.at) return;
    if (last && last.url === f.page.url && last.at === f.page.at) pages[pages.length - 1] = f.page;
    else pages.push(f.page);
    this.context = { ...c, currentPage: f.page, visitPages: pages, lastSeen: f.page.at > (c.lastSeen ?? '') ? f.page.at : c.lastSeen };
  }

  override render() {
    const c = this.context;
    if (!c) return html`<h2>Visitor</h2>${this.error ? html`<p class="error" role="alert">${this.error}</p>` : html`<p>${this.visitorUid ? 'Loading…' : 'No visitor selected.'}</p>`}`;
    const row = (label: string, value: unknown) => (value ? html`<dt>${label}</dt><dd>${value}</dd>` : nothing);
    return html`
      <h2>Visitor</h2>
      <dl>
        ${row('Name', c.name)} ${row('Nickname', c.nickname)} ${row('Email', c.email ? html`<a href="mailto:${c.email}">${c.email}</a>` : '')}
        ${row('Follow-up email', this.followUpEmail ? html`<a href="mailto:${encodeURIComponent(this.followUpEmail)}">${this.followUpEmail}</a>` : '')}
        ${row('Phone', c.phone)}
        ${row('Business user', c.businessUser ? html`${c.businessUser.id} <span class="verified" title="Signed login triple verified by the server">✓ verified</span>` : '')}
        ${row('Visitor id', c.visitorUid)} ${row('Status', c.online ? 'Online' : 'Offline')} ${row('Locale', c.locale)}
        ${row('Browser', c.browser)} ${row('OS', c.os)} ${row('Screen', c.screen)}
        ${row('Local time', c.timeZone ? localTime(this.now, c.timeZone) : '')}
        ${row('First seen', when(c.firstSeen))} ${row('Last seen', c.lastSeen ? when(c.lastSeen) : '')}
        ${row('Referer', c.referer ? pageLink({ url: c.referer, title: '' }) : '')}
      </dl>
      <h3 id="now">Now on</h3>
      <p aria-labelledby="now" aria-live="polite" data-current-page>${c.currentPage ? pageLink(c.currentPage) : 'No page reported.'}</p>
      <h3 id="visit">This visit</h3>
      ${c.visitPages.length
        ? html`<ol aria-labelledby="visit">
            ${[...c.visitPages].reverse().map((p) => html`<li><time datetime=${p.at}>${clock(p.at)}</time><span>${pageLink(p)}</span></li>`)}
          </ol>`
        : html`<p>No pages yet.</p>`}
    `;
  }
}

/** A link that opens the page in a new tab without telling it who opened it; a URL that is not http(s) stays text. */
function pageLink(p: Pick<PageVisit, 'url' | 'title'>) {
  if (!isPageUrl(p.url)) return p.url;
  return html`<a href=${p.url} target="_blank" rel="noopener noreferrer">${p.title || p.url}</a>${p.title ? html`<span class="url">${p.url}</span>` : nothing}`;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** `14:05 (Europe/Paris)`; the zone alone if the browser does not know it. */
function localTime(now: Date, timeZone: string): string {
  try {
    return `${now.toLocaleTimeString(undefined, { timeZone, hour: '2-digit', minute: '2-digit' })} (${timeZone})`;
  } catch {
    return timeZone;
  }
}
