import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A listener on the surface's window or document: target, event type, handler. */
export type PageListener = readonly [target: EventTarget, type: string, handler: (event: never) => void];

/**
 * The surface element's listeners on its window and document, added while the
 * element is connected and removed when it disconnects, so an element taken
 * out of the page leaves nothing listening behind it.
 */
export class PageListeners implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly listeners: readonly PageListener[],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [target, type, handler] of this.listeners) target.addEventListener(type, handler as EventListener);
  }

  hostDisconnected(): void {
    for (const [target, type, handler] of this.listeners) target.removeEventListener(type, handler as EventListener);
  }
}
