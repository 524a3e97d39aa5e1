/**
 * The host end of the bridge (see src/shared/bridge-protocol.ts and DESIGN.md):
 * the bootstrap request to the widget origin W, the origin-pinned handshake
 * with each surface iframe, then one MessageChannel port per surface carrying
 * commands (host -> surface, answered by a result) and events (surface -> host).
 *
 * Every incoming message is validated; anything unknown or malformed is
 * dropped without throwing. Target origins are always exactly W.
 */
import {
  BRIDGE_TAG,
  BRIDGE_VERSION,
  encodeSurfaceFragment,
  eventPayload,
  isEnvelope,
  surfacePage,
  type HostCommandName,
  type HostCommands,
  type SurfaceBoot,
  type SurfaceEventName,
  type SurfaceName,
} from '../shared/bridge-protocol.js';
import type { AppInfo, BootstrapFailedPayload } from '../shared/wire-protocol.js';
import type { ReactiveController } from '@lit/reactive-element';

/** A refusal from the runtime (or the host); `reason` is machine-readable. */
export class WidgetError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'WidgetError';
  }
}

export interface HostBridgeOptions {
  /** The widget origin W (exact, e.g. `https://widget.example.com`). */
  origin: string;
  appid: string;
  boot(surface: SurfaceName): SurfaceBoot;
  onConnect(surface: SurfaceName): void;
  /** Called with a validated, freshly copied payload. */
  onEvent(surface: SurfaceName, name: SurfaceEventName, payload: Record<string, unknown> | undefined): void;
}

interface Frame {
  _iframe: HTMLIFrameElement;
  nonce: string;
  _port?: MessagePort;
  /** The iframe's load event has been reported ({@link HostBridge.loaded}). */
  _loaded?: boolean;
  /** A valid hello that came before the load event: answered once loaded. */
  _early?: Window;
}

interface Pending {
  surface: SurfaceName;
  resolve(value: unknown): void;
  reject(error: Error): void;
  _timer: ReturnType<typeof setTimeout>;
}

const COMMAND_TIMEOUT_MS = 15000;

/**
 * A reactive controller of the element that owns the surfaces: it hears the surfaces' hellos while that
 * element is in the document (a surface iframe loads, and says hello, only while it is in the document too).
 * Ports and pending commands outlive a move; dispose() ends them (the element's teardown).
 */
export class HostBridge implements ReactiveController {
  private readonly _frames = new Map<SurfaceName, Frame>();
  private readonly _pending = new Map<number, Pending>();
  private _nextId = 1;

  constructor(private readonly _o: HostBridgeOptions) {}

  hostConnected(): void {
    addEventListener('message', this._onWindowMessage);
  }

  hostDisconnected(): void {
    removeEventListener('message', this._onWindowMessage);
  }

  /** Registers the iframe of a surface and returns the URL to load in it (nonce and host origin in the fragment). */
  attach(surface: SurfaceName, iframe: HTMLIFrameElement, locale: string, theme: 'light' | 'dark'): string {
    const nonce = randomNonce();
    this._frames.set(surface, { _iframe: iframe, nonce });
    // self.origin, not location.origin: the latter is "null" in about:srcdoc / about:blank documents that inherit an origin.
    const fragment = encodeSurfaceFragment({ nonce, host: self.origin, surface, locale, theme });
    return `${this._o.origin}/widget/${surfacePage(surface, theme)}?appid=${encodeURIComponent(this._o.appid)}#${fragment}`;
  }

  /**
   * Reports a surface iframe's load event. A hello that arrived earlier is
   * answered now, so the host's events keep the spec's order: `iframe_loaded`
   * before `bridge_ready` and everything the surface sends after it.
   */
  loaded(surface: SurfaceName): void {
    const frame = this._frames.get(surface);
    if (!frame) return; // none once disposed
    frame._loaded = true;
    const win = frame._early;
    frame._early = undefined;
    if (win && win === frame._iframe.contentWindow) this._connect(surface, frame, win);
  }

  /** Forgets a surface whose iframe is gone (the launcher of a widget switched to `custom`): closes its port. */
  detach(surface: SurfaceName): void {
    this._frames.get(surface)?._port?.close();
    this._frames.delete(surface);
    for (const [id, p] of this._pending) if (p.surface === surface) this._settle(id, new WidgetError('not_connected', `${surface} removed`));
  }

  isConnected(surface: SurfaceName): boolean {
    return !!this._frames.get(surface)?._port;
  }

  /** Sends a command; settles with the surface's answer, rejects with a {@link WidgetError} on refusal. */
  command<K extends HostCommandName>(surface: SurfaceName, name: K, payload: HostCommands[K]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const port = this._frames.get(surface)?._port; // none once disposed: dispose() forgets every frame
      if (!port) return reject(new WidgetError('not_connected', `${surface} not connected`));
      const id = this._nextId++;
      const timer = setTimeout(() => this._settle(id, new WidgetError('timeout', `${name}: no answer from ${surface}`)), COMMAND_TIMEOUT_MS);
      this._pending.set(id, { surface, resolve, reject, _timer: timer });
      try {
        port.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'command', id, name, payload });
      } catch (e) {
        this._settle(id, new WidgetError('invalid_payload', String(e)));
      }
    });
  }

  /** Closes every port, stops listening, rejects what is still pending. */
  dispose(): void {
    this.hostDisconnected();
    for (const f of this._frames.values()) f._port?.close();
    this._frames.clear();
    for (const id of this._pending.keys()) this._settle(id, new WidgetError('destroyed', 'the widget was destroyed'));
  }

  private _settle(id: number, error: Error | null, value?: unknown) {
    const p = this._pending.get(id);
    if (!p) return;
    this._pending.delete(id);
    clearTimeout(p._timer);
    if (error) p.reject(error);
    else p.resolve(value);
  }

  private readonly _onWindowMessage = (e: MessageEvent) => {
    try {
      // Exact comparisons only: origin, the very iframe's window, the nonce we put in its URL. (parseHello's
      // checks, less what these make redundant: only a known surface has a frame, only a string equals a nonce;
      // once disposed, no surface has one.)
      const hello = e.data;
      if (e.origin !== this._o.origin || !isEnvelope(hello) || hello.type !== 'hello') return;
      const surface = hello.surface as SurfaceName;
      const frame = this._frames.get(surface);
      const win = frame && frame._iframe.contentWindow;
      if (!win || e.source !== win || hello.nonce !== frame.nonce) return;
      if (frame._loaded) this._connect(surface, frame, win);
      else frame._early = win;
    } catch {
      /* dropped */
    }
  };

  private _connect(surface: SurfaceName, frame: Frame, win: Window) {
    // A reloaded iframe (e.g. the element moved in the DOM) says hello again: replace its port.
    if (frame._port) {
      frame._port.close();
      for (const [id, p] of this._pending) if (p.surface === surface) this._settle(id, new WidgetError('bridge_reset', `${surface} reloaded`));
    }
    const { port1, port2 } = new MessageChannel();
    frame._port = port1;
    // Only while the iframe still holds the document that connected. An iframe taken out of the document reloads
    // (Turbo's body swap moves a permanent element out and back): its old document, being unloaded, still posts
    // what its cut-off requests report (a `bootstrap_failed` that would tear the widget down), and is not heard.
    port1.onmessage = (m) => win === frame._iframe.contentWindow && this._onPortMessage(surface, m.data);
    win.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'connect', nonce: frame.nonce, boot: this._o.boot(surface) }, this._o.origin, [port2]);
    this._o.onConnect(surface);
  }

  /**
   * A surface sends results and events only (parsePortMessage's checks, less what the lookups below make
   * redundant: an id that is a pending one is an integer, an event this surface may send is a known one).
   */
  private _onPortMessage(surface: SurfaceName, m: unknown) {
    try {
      // Nothing arrives once disposed: the ports are closed, and a removed iframe's window is not the one that connected.
      if (!isEnvelope(m)) return;
      if (m.type === 'result') {
        const id = m.id as number;
        const p = this._pending.get(id);
        if (!p || p.surface !== surface || typeof m.ok !== 'boolean') return;
        if (m.ok) this._settle(id, null, m.value);
        else this._settle(id, new WidgetError(stringOr(m.reason, 'refused'), stringOr(m.message, `refused by ${surface}`)));
      } else if (m.type === 'event') {
        const name = m.name as SurfaceEventName;
        const payload = eventPayload(name, m.payload, surface); // null: not an event this surface sends, or malformed
        if (payload !== null) this._o.onEvent(surface, name, payload as Record<string, unknown> | undefined);
      }
    } catch {
      /* dropped */
    }
  }
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

export const BOOTSTRAP_TIMEOUT_MS = 15000;

/**
 * POST W/v1/bootstrap {appid}. text/plain, so the browser sends no CORS
 * preflight; no credentials. Resolves with the app info, or with the
 * `bootstrap_failed` payload on refusal, network error or timeout.
 */
/** v when it is a string (a field of a message from elsewhere), else the fallback. */
const stringOr = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

export async function requestBootstrap(origin: string, appid: string, signal: AbortSignal, timeoutMs = BOOTSTRAP_TIMEOUT_MS): Promise<{ app: AppInfo } | { failed: BootstrapFailedPayload }> {
  const fail = (reason: string, message: string) => ({ failed: { reason, source: 'bootstrap', mode: 'embedded' as const, message } });
  const timeout = new AbortController();
  const abort = () => timeout.abort();
  signal.addEventListener('abort', abort);
  const timer = setTimeout(abort, timeoutMs);
  try {
    const res = await fetch(`${origin}/v1/bootstrap`, {
      method: 'POST',
      // A string body is sent as text/plain;charset=UTF-8, a CORS-safelisted type: no preflight.
      body: JSON.stringify({ appid }),
      credentials: 'omit',
      signal: timeout.signal,
    });
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (timeout.signal.aborted && !signal.aborted) throw new Error('timeout'); // the body never finished
    const app = body && body.ok === true && typeof body.app === 'object' && body.app ? (body.app as Record<string, unknown>) : null;
    if (res.ok && app) {
      // Our own server's answer (it serves this script too): typed, not distrusted.
      return { app: { appid, name: stringOr(app.name, ''), greeting: stringOr(app.greeting, '') } };
    }
    return fail(stringOr(body?.reason, 'invalid_bootstrap'), stringOr(body?.message, `HTTP ${res.status}`));
  } catch (e) {
    if (signal.aborted) throw e;
    return timeout.signal.aborted ? fail('timeout', `no bootstrap answer in ${timeoutMs} ms`) : fail('invalid_bootstrap', `bootstrap failed: ${e}`);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}
