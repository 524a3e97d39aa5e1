/**
 * Mouse boundary events on the launcher iframe where the browser fires none.
 *
 * Pages bind `mouseenter`/`mouseleave` on `iframe[data-twt-widget-surface="launcher"]` (the spec's
 * hover popup example). Desktop Chrome runs a cross-site iframe in its own process and then never
 * fires them on the `<iframe>` element in the parent page; in-process frames and other browsers do.
 * The launcher surface reports when the pointer is over it (bridge event `pointer_hover`), and this
 * relay dispatches `mouseover` + `mouseenter` or `mouseout` + `mouseleave` on the iframe,
 * bubbling like the browser's own: never twice. Once the browser fires a (trusted) boundary event on
 * this iframe, it does so for every transition and the relay stays silent; an echo of a transition
 * the relay already dispatched is stopped before the page's listeners see it (ours is registered
 * first, in the capture phase).
 *
 * The leave: Chrome does not tell an out-of-process frame that the pointer left it either, but the
 * page gets its mouse events again. So a trusted `mousemove` on the page's document ends a relayed
 * hover, as do the launcher's own `over: false`, its iframe loading a new document, and removal.
 *
 * Shaped as a reactive controller (`hostConnected`/`hostDisconnected`) for the launcher iframe's
 * lifetime.
 */
const BOUNDARY_EVENTS = ['mouseover', 'mouseenter', 'mouseout', 'mouseleave'] as const;

export class LauncherHoverRelay {
  /** The browser fires boundary events on this iframe itself. */
  private _native = false;
  /** What the page was last told: the pointer is over the launcher. */
  private _over = false;
  /** `over` comes from the relay, and the browser has not fired that transition (yet). */
  private _relayed = false;

  constructor(private readonly _iframe: HTMLIFrameElement) {}

  hostConnected(): void {
    for (const type of BOUNDARY_EVENTS) this._iframe.addEventListener(type, this, true);
    this._iframe.addEventListener('load', this);
  }

  /** A removed launcher reports no leave: the page is told the pointer left. */
  hostDisconnected(): void {
    this.end();
    for (const type of BOUNDARY_EVENTS) this._iframe.removeEventListener(type, this, true);
    this._iframe.removeEventListener('load', this);
  }

  /** The launcher surface says the pointer entered (`true`) or left it. */
  report(over: boolean): void {
    if (this._native || over === this._over) return;
    this._over = over;
    this._relayed = true;
    // While the pointer is over an out-of-process launcher the page's document gets no mouse events.
    if (over) document.addEventListener('mousemove', this, true);
    else document.removeEventListener('mousemove', this, true);
    const [outer, inner] = over ? ['mouseover', 'mouseenter'] : ['mouseout', 'mouseleave'];
    // mouseover/mouseout bubble and can be cancelled, mouseenter/mouseleave do neither (UI Events).
    this._iframe.dispatchEvent(new MouseEvent(outer, { bubbles: true, cancelable: true, composed: true, view: window }));
    this._iframe.dispatchEvent(new MouseEvent(inner, { view: window }));
  }

  /** The launcher can no longer report a leave (hidden, reloaded, removed): end a relayed hover. */
  end(): void {
    this.report(false);
  }

  handleEvent(e: Event): void {
    // A new document in the iframe: the old one's leave will never come.
    if (e.type === 'load') return this.end();
    if (!e.isTrusted) return;
    // A move the page gets over anything but our iframe (in-process frames report moves on it too).
    if (e.type === 'mousemove') return void (e.target !== this._iframe && this.end());
    const over = e.type === 'mouseover' || e.type === 'mouseenter';
    if (this._relayed && over === this._over) e.stopImmediatePropagation();
    else this._relayed = false;
    this._native = true;
    this._over = over;
    document.removeEventListener('mousemove', this, true);
  }
}
