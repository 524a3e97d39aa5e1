/**
 * Test-only HOST end of the bridge: creates a surface iframe on the widget
 * origin and plays the host's part of the handshake (bridge.ts), then
 * records events and sends commands over the port.
 */
import {
  BRIDGE_TAG,
  BRIDGE_VERSION,
  encodeSurfaceFragment,
  parseHello,
  parsePortMessage,
  type HostCommandName,
  type HostCommands,
  type ResultMessage,
  type SurfaceBoot,
  type SurfaceEventName,
  type SurfaceName,
} from '../../../src/shared/bridge-protocol.js';
// @ts-expect-error served by the wtr plugin (test/helpers/wtr/server-plugin.mjs)
import serverEnv from '/__twt_env.js';
import { until } from '../wait.js';

export { sleep, until } from '../wait.js';

/** The real server of this browser test run (test/helpers/wtr/server-plugin.mjs): its URL, agent key and demo app secret. */
export const env: { server: string; agentKey: string; appSecret: string } = serverEnv;

const live = new Set<TestHost>();

/** Destroys every TestHost the test made: the `afterEach` of the files that use them. */
export function destroyHosts(): void {
  for (const host of [...live]) host.destroy();
}

export interface RecordedEvent {
  name: SurfaceEventName;
  payload: any;
}

export class TestHost {
  iframe!: HTMLIFrameElement;
  port: MessagePort | null = null;
  readonly events: RecordedEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (r: ResultMessage) => void>();
  private waiters: Array<() => void> = [];
  private onWindowMessage: ((e: MessageEvent) => void) | null = null;

  constructor(
    readonly surface: SurfaceName,
    readonly boot: Partial<SurfaceBoot> = {},
    readonly server: string = env.server,
  ) {
    live.add(this);
  }

  /** Creates the iframe and resolves once the port is connected. */
  mount(opts: { appid?: string; locale?: string; theme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<void> {
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    const appid = opts.appid ?? 'demo';
    const fragment = encodeSurfaceFragment({ nonce, host: location.origin, surface: this.surface, locale: opts.locale ?? 'en', theme: opts.theme ?? 'light' });
    const iframe = document.createElement('iframe');
    iframe.style.width = `${opts.width ?? 380}px`;
    iframe.style.height = `${opts.height ?? 560}px`;
    iframe.title = this.surface;
    iframe.src = `${this.server}/widget/${this.surface}.html?appid=${encodeURIComponent(appid)}#${fragment}`;
    this.iframe = iframe;
    return new Promise((resolve) => {
      this.onWindowMessage = (e: MessageEvent) => {
        if (e.origin !== this.server || e.source !== iframe.contentWindow) return;
        const hello = parseHello(e.data);
        if (!hello || hello.nonce !== nonce) return;
        const channel = new MessageChannel();
        this.port = channel.port1;
        this.port.onmessage = (ev) => this.onPortMessage(ev.data);
        const boot: SurfaceBoot = {
          appid,
          hostOrigin: location.origin,
          locale: opts.locale ?? 'en',
          theme: opts.theme ?? 'light',
          visibility: 'minimized',
          sdkVersion: 'test',
          scriptTagVersion: 'v1.2',
          ...this.boot,
        };
        iframe.contentWindow!.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'connect', nonce, boot }, this.server, [channel.port2]);
        resolve();
      };
      window.addEventListener('message', this.onWindowMessage);
      document.body.appendChild(iframe);
    });
  }

  command<K extends HostCommandName>(name: K, payload: HostCommands[K] | unknown): Promise<ResultMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port!.postMessage({ tag: BRIDGE_TAG, v: BRIDGE_VERSION, type: 'command', id, name, payload });
    });
  }

  names(): SurfaceEventName[] {
    return this.events.map((e) => e.name);
  }

  last(name: SurfaceEventName): any {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].name === name) return this.events[i].payload;
    return undefined;
  }

  /** Resolves when `pred` holds over the recorded events (checked on each new event). */
  async waitFor(pred: (events: RecordedEvent[]) => boolean, timeoutMs = 10_000, label = 'condition'): Promise<void> {
    const started = Date.now();
    while (!pred(this.events)) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${label}; events: ${this.names().join(', ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  waitForEvent(name: SurfaceEventName, pred: (payload: any) => boolean = () => true, timeoutMs = 10_000): Promise<void> {
    return this.waitFor((evs) => evs.some((e) => e.name === name && pred(e.payload)), timeoutMs, name);
  }

  destroy(): void {
    live.delete(this);
    if (this.onWindowMessage) window.removeEventListener('message', this.onWindowMessage);
    this.port?.close();
    this.iframe?.remove();
  }

  private onPortMessage(data: unknown): void {
    const msg = parsePortMessage(data);
    if (!msg) return;
    if (msg.type === 'result') {
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    } else if (msg.type === 'event') {
      this.events.push({ name: msg.name, payload: msg.payload });
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    }
  }
}

/** Agent side through the REST API (the run's server, its agent key). */
export async function agentApi(path: string, body?: unknown): Promise<any> {
  const res = await fetch(env.server + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${env.agentKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** The id of a visitor's conversation, as the agents see it (retried: a new visitor's row appears once connected). */
export async function conversationOf(visitorUid: string): Promise<string> {
  const list = async () => (await agentApi('/v1/agent/conversations')).conversations as any[] | undefined;
  const c = await until(async () => (await list())?.find((x) => x.visitor.visitorUid === visitorUid), `a conversation for ${visitorUid}`, { every: 200 });
  return c.id;
}
