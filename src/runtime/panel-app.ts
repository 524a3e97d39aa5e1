/**
 * The panel surface's shell. The session logic runs from boot; the chat UI
 * (chat-view.ts) is imported the first time the panel is maximized, so the
 * panel's first load stays small.
 */
import { html, css, LitElement } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import type { SurfaceBridge } from './surface-bridge.js';
import type { PanelSession } from './panel-session.js';
import { baseStyles } from './styles.js';

export class TwtPanelApp extends LitElement {
  static override properties = {
    view: { attribute: false },
    bridge: { attribute: false },
    session: { attribute: false },
    uiLoaded: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        height: 100vh;
        background: var(--twt-bg);
      }
      .loading {
        padding: 16px;
        color: var(--twt-muted);
      }
    `,
  ];

  view: ViewState = { visibility: 'minimized', unreadCount: 0 };
  bridge: SurfaceBridge | null = null;
  session: PanelSession | null = null;
  uiLoaded = false;
  private loading: Promise<unknown> | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override willUpdate(): void {
    if (this.view.visibility === 'maximized') this.loadChatUi();
  }

  /** Imports and defines the chat UI once; resolves when it is ready. */
  loadChatUi(): Promise<unknown> {
    this.loading ??= import('./chat-view.js').then(({ TwtChatView }) => {
      if (!customElements.get('twt-chat-view')) customElements.define('twt-chat-view', TwtChatView);
      this.uiLoaded = true;
    });
    return this.loading;
  }

  override render() {
    if (!this.uiLoaded || !this.session) return html`<main class="loading" role="status">${msg('Loading…', { id: 'panel.loading' })}</main>`;
    return html`<twt-chat-view .session=${this.session} .bridge=${this.bridge} .visibility=${this.view.visibility} .fullScreen=${this.view.fullScreen === true}></twt-chat-view>`;
  }
}
