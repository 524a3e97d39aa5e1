/**
 * The page's one active widget, shared by every copy of our code on the page
 * (core.js next to a page builder's ESM build): a global slot keyed by
 * `Symbol.for`, plus an event on `window` each time an element takes the slot.
 *
 * The element announces itself when it starts booting; the shim follows
 * whichever element is active. So `window.TWTChatWidget` reaches a widget that
 * was placed after core.js ran (a page builder, a CMS writing `innerHTML`), one a
 * framework created, or one inside a shadow root, which no `querySelector` finds.
 */

/** Global slot holding the page's active `<twt-chat-widget>`. */
export const ACTIVE_WIDGET = Symbol.for('twt-chat-widget.active');
/** Fired on `window` when an element takes the slot; `detail` is the element. */
export const WIDGET_ACTIVATED_EVENT = 'twt-chat-widget-activated';

type Slot = Record<symbol, unknown>;

/** The active widget element, if any (an element of any copy of our code). */
export function activeWidget<T extends Element>(): T | undefined {
  return (window as unknown as Slot)[ACTIVE_WIDGET] as T | undefined;
}

/** Puts `el` in the slot and tells whoever follows the active widget. */
export function announceActive(el: Element): void {
  (window as unknown as Slot)[ACTIVE_WIDGET] = el;
  window.dispatchEvent(new CustomEvent(WIDGET_ACTIVATED_EVENT, { detail: el }));
}

/** Empties the slot if `el` still holds it. */
export function retireActive(el: Element): void {
  const w = window as unknown as Slot;
  if (w[ACTIVE_WIDGET] === el) delete w[ACTIVE_WIDGET];
}
