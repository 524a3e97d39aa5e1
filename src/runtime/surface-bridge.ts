/**
 * The surface end of the host bridge (see src/shared/bridge-protocol.ts for the
 * handshake). A surface reads its nonce and the host origin from its URL
 * fragment, registers its command handlers, posts a hello to exactly that
 * origin, and accepts one connect message: from `window.parent`, from the host
 * origin, with the same nonce, carrying a MessagePort. After that it speaks
 * only over the port.
 */

import {
  BRIDGE_TAG,
  BRIDGE_VERSION,
  decodeSurfaceFragment,
  isObject,
  parseConnect,
  parseCommand,
  type CommandMessage,
  type HelloMessage,
  type HostCommandName,
  type HostCommands,
  type ResultMessage,
  type SurfaceBoot,
  type SurfaceEventName,
  type SurfaceEvents,
  type SurfaceFragment,
} from '../shared/bridge-protocol.js';
import { Refusal } from './refusal.js';

/** A handler receives the raw, unvalidated payload: checking it is the handler's job. */
export type CommandHandler = (payload: unknown) => unknown | Promise<unknown>;
export type CommandHandlers = Map<HostCommandName, CommandHandler>;

export interface SurfaceBridge {
  readonly fragment: SurfaceFragment;
  readonly boot: SurfaceBoot;
  emit<K extends SurfaceEventName>(name: K, payload: SurfaceEvents[K]): void;
  close(): void;
}

export interface ConnectSurfaceOptions {
  handlers: CommandHandlers;
  /** Injected for tests; defaults to the real window. */
  win?: Window;
  /** Give up waiting for the host after this long (ms); the promise rejects. */
  timeoutMs?: number;
}

/** Reads the fragment of this surface's own URL; null when it is missing or malformed. */
export function readFragment(win: Window = window): SurfaceFragment | null {
  return decodeSurfaceFragment(win.location.hash);
}

/**
 * Performs the handshake. Resolves once the host's connect arrived with a
 * port; rejects when the fragment is invalid, there is no parent, or the host
 * never answers within `timeoutMs`.
 */
export function connectSurface({ handlers, win = window, timeoutMs = 30_000 }: ConnectSurfaceOptions): Promise<SurfaceBridge> {
  const fragment = readFragment(win);
  if (!fragment) return Promise.reject(new Error('twt surface: missing or malformed URL fragment'));
  if (win.parent === win) return Promise.reject(new Error('twt surface: not framed by a host page'));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      win.removeEventListener('message', onMessage);
      reject(new Error('twt surface: the host never connected'));
    }, timeoutMs);

    function onMessage(event: MessageEvent) {
      // Only the parent, only from the host origin, only with our nonce and a port.
      if (event.source !== win.parent || event.origin !== fragment!.host) return;
      const connect = parseConnect(event.data);
      if (!connect || connect.nonce !== fragment!.nonce) return;
      const port = event.ports[0];
      if (!port || connect.boot.hostOrigin !== fragment!.host) return;
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      resolve(openPort(port, fragment!, connect.boot, handlers));
    }

    win.addEventListener('message', onMessage);
    const hello: HelloMessage = { tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'hello', nonce: fragment.nonce, surface: fragment.surface };
    win.parent.postMessage(hello, fragment.host);
  });
}

function openPort(port: MessagePort, fragment: SurfaceFragment, boot: SurfaceBoot, handlers: CommandHandlers): SurfaceBridge {
  const reply = (r: Omit<ResultMessage, 'tag' | 'v' | 'type'>) => port.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'result', ...r });

  port.onmessage = (event: MessageEvent) => {
    const msg = parseCommand(event.data);
    if (!msg) return;
    void runCommand(msg, handlers).then(reply);
  };
  port.start();

  return {
    fragment,
    boot,
    emit(name, payload) {
      // Not checked here: the host reads every event with its validator (eventPayload) and drops a malformed one,
      // and the payload types hold at compile time. A second check on this side cost every surface's first load
      // the whole event table (about 1 KB gzip) for a console message (issue 13: bytes before interaction).
      port.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'event', name, payload });
    },
    close() {
      port.onmessage = null;
      port.close();
    },
  };
}

/** Runs one command through its handler; every outcome becomes a result, never a throw. */
export async function runCommand(msg: CommandMessage, handlers: CommandHandlers): Promise<Omit<ResultMessage, 'tag' | 'v' | 'type'>> {
  const handler = handlers.get(msg.name);
  if (!handler) return { id: msg.id, ok: false, reason: 'unsupported_command', message: `this surface does not handle ${msg.name}` };
  try {
    const value = await handler(msg.payload);
    return value === undefined ? { id: msg.id, ok: true } : { id: msg.id, ok: true, value };
  } catch (err) {
    if (err instanceof Refusal) return { id: msg.id, ok: false, reason: err.reason, message: err.message };
    return { id: msg.id, ok: false, reason: 'internal', message: err instanceof Error ? err.message : String(err) };
  }
}

/** Helpers for handlers: payload shape checks that refuse with `invalid_payload`. */
export function payloadObject<K extends HostCommandName>(name: K, payload: unknown): Partial<Record<keyof HostCommands[K], unknown>> {
  if (!isObject(payload)) {
    throw new Refusal('invalid_payload', `${name}: payload must be an object`);
  }
  return payload as Partial<Record<keyof HostCommands[K], unknown>>;
}
