/**
 * The launcher surface: one button that asks the host to toggle the panel,
 * with an unread badge and a localized accessible label.
 */
import { html, css, LitElement, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import type { SurfaceBridge } from './surface-bridge.js';
import { baseStyles } from './styles.js';
import { PageListeners } from './page-listeners.js';
import { chatIcon, closeIcon } from './icons.js';

export class TwtLauncherApp extends LitElement {
  static override properties = { view: { attribute: false }, bridge: { attribute: false }, icon: { attribute: false }, iconFailed: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        justify-content: center;
        width: 100%;
        height: 100vh;
      }
      button {
        position: relative;
        width: 56px;
        height: 56px;
        border: 0;
        border-radius: 50%;
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
        display: grid;
        place-items: center;
        box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
      }
      /* The site's own launcher image (config icon) is the whole round button. */
      button.custom {
        padding: 0;
        background: transparent;
      }
      .icon {
        width: 100%;
        height: 100%;
        border-radius: 50%;
        object-fit: cover;
      }
      .badge {
        position: absolute;
        top: -2px;
        right: -2px;
        min-width: 20px;
        height: 20px;
        padding: 0 5px;
        box-sizing: border-box;
        border-radius: 10px;
        background: var(--twt-badge-bg);
        color: var(--twt-badge-fg);
        font-size: 12px;
        font-weight: 700;
        line-height: 20px;
        text-align: center;
      }
    `,
  ];

  view: ViewState = { visibility: 'minimized', unreadCount: 0 };
  bridge: SurfaceBridge | null = null;
  /** The site's launcher image (boot `icon`, already checked); '' = our chat icon. */
  icon = '';
  /** The image did not load: our chat icon instead of a broken image. */
  private iconFailed = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    new PageListeners(this, [
      [window, 'focus', this.onWindowFocus],
      [document, 'mousemove', this.onPointerOver],
      [document.documentElement, 'mouseleave', this.onPointerLeave],
    ]);
  }

  /**
   * The host page relays these as mouseenter/mouseleave on our iframe where the browser does not fire
   * them there (desktop Chrome, out-of-process frames). Every move reports `over`, not just the
   * mouseenter: Chrome never tells an out-of-process frame that the pointer left, so a return gives
   * this document no second mouseenter, only moves. The host drops repeats.
   */
  private readonly onPointerOver = () => this.bridge?.emit('pointer_hover', { over: true });
  private readonly onPointerLeave = () => this.bridge?.emit('pointer_hover', { over: false });

  protected override updated(changed: PropertyValues<this>): void {
    // The pointer may already rest on the launcher when the bridge connects (a reloaded iframe).
    if (changed.has('bridge') && document.documentElement.matches(':hover')) this.onPointerOver();
  }

  /**
   * The host focuses this iframe when the panel closes (focus return). The
   * frame itself is not a control: hand focus to the button, so Enter or Space
   * works at once instead of focus resting on the document body.
   */
  private readonly onWindowFocus = () => {
    // Focus may have moved on (e.g. to the panel) before this event ran: never take it back.
    if (!document.hasFocus()) return;
    const button = this.renderRoot.querySelector('button');
    if (button && this.shadowRoot?.activeElement !== button) button.focus();
  };

  override render() {
    const open = this.view.visibility === 'maximized';
    const n = this.view.unreadCount;
    const custom = !open && !!this.icon && !this.iconFailed;
    return html`<button type="button" class=${custom ? 'custom' : ''} aria-label=${this.label()} aria-expanded=${open ? 'true' : 'false'} @click=${this.onClick}>
      ${custom ? html`<img class="icon" src=${this.icon} alt="" @error=${() => (this.iconFailed = true)} />` : open ? closeIcon : chatIcon}
      ${n > 0 ? html`<span class="badge" aria-hidden="true">${n > 99 ? '99+' : n}</span>` : ''}
    </button>`;
  }

  label(): string {
    const n = this.view.unreadCount;
    if (this.view.visibility === 'maximized') return msg('Close chat', { id: 'launcher.close' });
    if (n === 1) return msg('Open chat, 1 unread message', { id: 'launcher.unread.one' });
    if (n > 1) return msg(str`Open chat, ${n} unread messages`, { id: 'launcher.unread.other' });
    return msg('Open chat', { id: 'launcher.open' });
  }

  private onClick() {
    this.bridge?.emit('request_toggle', {});
  }
}
