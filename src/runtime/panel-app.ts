/**
 * The panel surface's shell: a plain custom element (no lit) that holds the
 * session from boot and, the first time the panel is maximized, imports the
 * chat UI (chat-view.ts, lit and all) and shows it. The panel's first load
 * carries no UI library: at boot it is hidden, and only connects.
 */
import { msg, LOCALE_STATUS_EVENT } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import type { SurfaceBridge } from './surface-bridge.js';
import type { PanelSession } from './panel-session.js';
import type { TwtChatView } from './chat-view.js';
import { BASE_CSS, sheet } from './tokens.js';

const PANEL_CSS = `:host{display:block;height:100vh;background:var(--twt-bg)}.loading{padding:16px;color:var(--twt-muted)}`;

export class TwtPanelApp extends HTMLElement {
  private _view: ViewState = { visibility: 'minimized', unreadCount: 0 };
  private _bridge: SurfaceBridge | null = null;
  private _session: PanelSession | null = null;
  private loading: Promise<unknown> | null = null;
  private chat: TwtChatView | null = null;
  private ready = false;
  private readonly root = this.attachShadow({ mode: 'open' });

  constructor() {
    super();
    this.root.adoptedStyleSheets = [sheet(BASE_CSS + PANEL_CSS)];
    this.render();
  }

  get view(): ViewState {
    return this._view;
  }
  set view(v: ViewState) {
    this._view = v;
    if (v.visibility === 'maximized') void this.loadChatUi();
    this.render();
  }
  get bridge(): SurfaceBridge | null {
    return this._bridge;
  }
  set bridge(b: SurfaceBridge | null) {
    this._bridge = b;
    this.render();
  }
  get session(): PanelSession | null {
    return this._session;
  }
  set session(s: PanelSession | null) {
    this._session = s;
    this.render();
  }
  /** The chat UI is loaded and defined (loadChatUi settled). */
  get uiLoaded(): boolean {
    return this.ready;
  }

  connectedCallback(): void {
    addEventListener(LOCALE_STATUS_EVENT, this.onLocale);
  }
  disconnectedCallback(): void {
    removeEventListener(LOCALE_STATUS_EVENT, this.onLocale);
  }
  private readonly onLocale = (e: Event) => (e as CustomEvent<{ status: string }>).detail.status === 'ready' && this.render();

  /** Imports and defines the chat UI once; resolves when it is ready. */
  loadChatUi(): Promise<unknown> {
    this.loading ??= import('./chat-view.js').then(({ TwtChatView }) => {
      if (!customElements.get('twt-chat-view')) customElements.define('twt-chat-view', TwtChatView);
      this.ready = true;
      this.render();
    });
    return this.loading;
  }

  private render() {
    if (!this.uiLoaded || !this._session) {
      const main = this.root.querySelector('main') ?? this.root.appendChild(document.createElement('main'));
      main.className = 'loading';
      main.setAttribute('role', 'status');
      main.textContent = msg('Loading…', { id: 'panel.loading' });
      return;
    }
    const chat = (this.chat ??= document.createElement('twt-chat-view') as TwtChatView);
    Object.assign(chat, { session: this._session, bridge: this._bridge, visibility: this._view.visibility, fullScreen: this._view.fullScreen === true });
    if (chat.parentNode !== this.root) this.root.replaceChildren(chat);
  }
}
