import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';

/**
 * Follows a media query (the system colour scheme, a narrow viewport) while the host is in the
 * document: `hostConnected` listens, `hostDisconnected` stops listening (a removed widget keeps
 * no listener; a moved one takes it up again).
 */
export class MediaQueryController implements ReactiveController {
  private _list?: MediaQueryList;

  constructor(
    host: ReactiveControllerHost,
    private readonly _query: string,
    private readonly _onChange: () => void,
  ) {
    host.addController(this);
  }

  /** Whether the query matches now. */
  get matches(): boolean {
    return matchMedia(this._query).matches;
  }

  hostConnected(): void {
    this._list = matchMedia(this._query);
    this._list.addEventListener('change', this._onChange);
  }

  hostDisconnected(): void {
    this._list?.removeEventListener('change', this._onChange);
  }
}
