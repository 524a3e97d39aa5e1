/**
 * The marketing card surface: the app's greeting or the newest unread agent
 * message, shown next to the launcher while minimized. Clicking it asks the
 * host to maximize; the close button dismisses it. The host decides what the
 * card shows (set_view.card) and when the card iframe is visible.
 */
import { html, css, LitElement, nothing } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import type { SurfaceBridge } from './surface-bridge.js';
import { baseStyles } from './styles.js';
import { closeIcon } from './icons.js';

export class TwtCardApp extends LitElement {
  static override properties = { view: { attribute: false }, bridge: { attribute: false } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 8px;
        box-sizing: border-box;
      }
      .card {
        position: relative;
        background: var(--twt-bg);
        color: var(--twt-fg);
        border: 1px solid var(--twt-border);
        border-radius: 12px;
        box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
      }
      .open {
        display: block;
        width: 100%;
        padding: 12px 40px 12px 14px;
        border: 0;
        border-radius: 12px;
        background: transparent;
        color: inherit;
        text-align: start;
      }
      .author {
        display: block;
        font-weight: 600;
        margin-bottom: 2px;
      }
      .text {
        display: -webkit-box;
        -webkit-line-clamp: 3;
        -webkit-box-orient: vertical;
        overflow: hidden;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      .dismiss {
        position: absolute;
        top: 4px;
        right: 4px;
        width: 32px;
        height: 32px;
        border: 0;
        border-radius: 50%;
        background: transparent;
        color: var(--twt-muted);
        display: grid;
        place-items: center;
      }
    `,
  ];

  view: ViewState = { visibility: 'minimized', unreadCount: 0, card: null };
  bridge: SurfaceBridge | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const card = this.view.card;
    if (!card || this.view.visibility !== 'minimized') return nothing;
    const author = card.kind === 'message' ? card.author || msg('Support', { id: 'card.agent' }) : '';
    return html`<div class="card" role="complementary" aria-label=${msg('Chat message', { id: 'card.label' })}>
      <button type="button" class="open" @click=${this.onOpen}>
        ${author ? html`<span class="author">${author}</span>` : nothing}
        <span class="text">${card.text}</span>
        <span class="visually-hidden">${msg('Open chat', { id: 'launcher.open' })}</span>
      </button>
      <button type="button" class="dismiss" aria-label=${msg('Dismiss', { id: 'card.dismiss' })} @click=${this.onDismiss}>${closeIcon}</button>
    </div>`;
  }

  private onOpen() {
    this.bridge?.emit('request_maximize', {});
  }

  private onDismiss() {
    this.bridge?.emit('request_dismiss_card', {});
  }
}
