/**
 * The launcher surface: one button that asks the host to toggle the panel,
 * with an unread badge and a localized accessible label. A plain custom
 * element, without lit: the launcher's first load carries no UI library (lit
 * is loaded by the chat UI and the card only). Its page paints the closed
 * button before this runs (launcher-look.ts); this element takes it over.
 */
import { LOCALE_STATUS_EVENT } from '@lit/localize';
import type { ViewState } from '../shared/bridge-protocol.js';
import type { SurfaceBridge } from './surface-bridge.js';
import { BASE_CSS, sheet } from './tokens.js';
import { iconElement, ICONS } from './icon-shapes.js';
import { LAUNCHER_CSS, launcherLabel } from './launcher-look.js';

let styles: CSSStyleSheet | undefined;

export class TwtLauncherApp extends HTMLElement {
  private _view: ViewState = { visibility: 'minimized', unreadCount: 0 };
  private _bridge: SurfaceBridge | null = null;
  private _icon = '';
  /** The image did not load: our chat icon instead of a broken image. */
  private iconFailed = false;
  private readonly button: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  /** What the button shows now (`chat`, `close` or the image URL), and its node. */
  private drawn = '';
  private glyph: Element | null = null;

  constructor() {
    super();
    // On the launcher page this takes over the declarative shadow root of its first paint (launcher-look.ts), emptied.
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [(styles ??= sheet(BASE_CSS + LAUNCHER_CSS))];
    this.button = root.appendChild(document.createElement('button'));
    this.button.type = 'button';
    this.button.addEventListener('click', () => this._bridge?.emit('request_toggle', {}));
    this.badge = document.createElement('span');
    this.badge.className = 'badge';
    this.badge.setAttribute('aria-hidden', 'true');
    this.render();
  }

  get view(): ViewState {
    return this._view;
  }
  set view(v: ViewState) {
    this._view = v;
    this.render();
  }
  get bridge(): SurfaceBridge | null {
    return this._bridge;
  }
  set bridge(b: SurfaceBridge | null) {
    this._bridge = b;
    // The pointer may already rest on the launcher when the bridge connects (a reloaded iframe).
    if (b && document.documentElement.matches(':hover')) this.onPointerOver();
  }
  /** The site's launcher image (boot `icon`, already checked); '' = our chat icon. */
  get icon(): string {
    return this._icon;
  }
  set icon(url: string) {
    this._icon = url;
    this.render();
  }
  /** Rendering is synchronous; kept for callers written against lit elements. */
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }

  connectedCallback(): void {
    addEventListener('focus', this.onWindowFocus);
    addEventListener(LOCALE_STATUS_EVENT, this.onLocale);
    document.addEventListener('mousemove', this.onPointerOver);
    document.documentElement.addEventListener('mouseleave', this.onPointerLeave);
    this.render();
  }

  disconnectedCallback(): void {
    removeEventListener('focus', this.onWindowFocus);
    removeEventListener(LOCALE_STATUS_EVENT, this.onLocale);
    document.removeEventListener('mousemove', this.onPointerOver);
    document.documentElement.removeEventListener('mouseleave', this.onPointerLeave);
  }

  /** A new locale is loaded (@lit/localize's status event): the label follows. */
  private readonly onLocale = (e: Event) => (e as CustomEvent<{ status: string }>).detail.status === 'ready' && this.render();

  /**
   * The host page relays these as mouseenter/mouseleave on our iframe where the browser does not fire
   * them there (desktop Chrome, out-of-process frames). Every move reports `over`, not just the
   * mouseenter: Chrome never tells an out-of-process frame that the pointer left, so a return gives
   * this document no second mouseenter, only moves. The host drops repeats.
   */
  private readonly onPointerOver = () => this._bridge?.emit('pointer_hover', { over: true });
  private readonly onPointerLeave = () => this._bridge?.emit('pointer_hover', { over: false });

  /**
   * The host focuses this iframe when the panel closes (focus return). The
   * frame itself is not a control: hand focus to the button, so Enter or Space
   * works at once instead of focus resting on the document body.
   */
  private readonly onWindowFocus = () => {
    // Focus may have moved on (e.g. to the panel) before this event ran: never take it back.
    if (!document.hasFocus()) return;
    if (this.shadowRoot!.activeElement !== this.button) this.button.focus();
  };

  private render() {
    const open = this._view.visibility === 'maximized';
    const n = this._view.unreadCount;
    const custom = !open && !!this._icon && !this.iconFailed;
    const b = this.button;
    b.className = custom ? 'custom' : '';
    b.setAttribute('aria-label', this.label());
    b.setAttribute('aria-expanded', String(open));
    const show = custom ? this._icon : open ? 'close' : 'chat';
    if (show !== this.drawn) {
      const glyph = custom ? this.image() : iconElement(open ? ICONS.close : ICONS.chat);
      if (this.glyph) this.glyph.replaceWith(glyph);
      else b.prepend(glyph);
      [this.drawn, this.glyph] = [show, glyph];
    }
    this.badge.textContent = n > 99 ? '99+' : String(n);
    if (n > 0) b.append(this.badge);
    else this.badge.remove();
  }

  private image(): HTMLImageElement {
    const img = document.createElement('img');
    img.className = 'icon';
    img.alt = '';
    img.src = this._icon;
    img.addEventListener('error', () => {
      this.iconFailed = true;
      this.render();
    });
    return img;
  }

  label(): string {
    return launcherLabel(this._view);
  }
}
