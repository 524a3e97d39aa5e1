/** Test-page side of the host double: the widget origin W and helpers to steer fake surfaces. */
import type { TwtChatWidget } from '../../../elements/twt-chat-widget.js';
import { domEventName, type SurfaceBoot, type SurfaceName } from '../../../src/shared/bridge-protocol.js';
import { sleep, until } from '../wait.js';

export { sleep, until };

/** The double's widget origin: the same wtr server, through another host name (so another origin). */
export const W = `http://127.0.0.1:${location.port}`;

export const frame = (s: SurfaceName) => document.querySelector<HTMLIFrameElement>(`iframe[data-twt-widget-surface="${s}"]`);

export function control(s: SurfaceName | HTMLIFrameElement, msg: Record<string, unknown>): void {
  const f = typeof s === 'string' ? frame(s) : s;
  if (!f?.contentWindow) throw new Error(`no ${String(s)} iframe`);
  f.contentWindow.postMessage(msg, W);
}

export interface Report {
  surface: SurfaceName;
  commands: Array<{ name: string; payload: any }>;
  boot?: SurfaceBoot;
  connects: number;
}

let lastReportId = 0;

/**
 * The fake surface's state, as it answers this very request (its id comes back): an answer to an earlier
 * request still on its way (one waitConnected gave up on) is not taken for it, being older than what it asks.
 */
export function report(s: SurfaceName | HTMLIFrameElement): Promise<Report> {
  const f = typeof s === 'string' ? frame(s) : s;
  if (!f) return Promise.reject(new Error(`no ${s} iframe`));
  const id = ++lastReportId;
  return new Promise((resolve) => {
    const on = (e: MessageEvent) => {
      if (e.source !== f.contentWindow || e.data?.double !== 'report' || e.data.id !== id) return;
      removeEventListener('message', on);
      resolve(e.data as Report);
    };
    addEventListener('message', on);
    control(f, { double: 'report', id });
  });
}

/** Resolves once the fake surface has its bridge port (polls its report). */
export function waitConnected(s: SurfaceName, ms = 8000): Promise<Report> {
  return until(
    async () => {
      const r = frame(s) ? await Promise.race([report(s), sleep(200).then(() => null)]) : null;
      return r && r.connects > 0 && r.commands.length > 0 ? r : null;
    },
    `the ${s} surface to connect`,
    { timeout: ms, every: 50 },
  ) as Promise<Report>;
}

/** The next DOM event `twt-<name>` from `target` (rejects after `ms`). */
export function next<T = any>(target: EventTarget, name: string, ms = 8000): Promise<T> {
  const type = domEventName(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    target.addEventListener(type, (e) => (clearTimeout(timer), resolve((e as CustomEvent).detail)), { once: true });
  });
}

/** Creates a widget pointed at the double, appends it, and resolves once its panel bridge is ready. */
/** A widget element for the double's origin, not yet in the document (it boots when appended). */
export function widgetElement(appid = 'demo'): TwtChatWidget {
  const el = document.createElement('twt-chat-widget');
  el.setAttribute('server', W);
  el.setAttribute('appid', appid);
  return el;
}

export async function bootWidget(attrs: Record<string, string> = {}, { until = 'runtime_activated' } = {}): Promise<TwtChatWidget> {
  const el = widgetElement();
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const ready = until ? next(el, until) : Promise.resolve();
  document.body.append(el);
  await ready;
  if (until === 'runtime_activated') for (const s of ['launcher', 'card'] as const) if (frame(s)) await waitConnected(s);
  return el;
}

/** Removes every widget, launcher and stray iframe a test left behind. */
export function cleanPage(): void {
  for (const el of document.querySelectorAll('twt-chat-widget')) (el.destroy(), el.remove());
  for (const el of document.querySelectorAll('twt-launcher, iframe')) el.remove();
}

/** Loads the built dist/install/core.js the way the snippet does (async script tag; run `npm run build` first). */
export function loadCore(): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.async = true;
    s.src = '/dist/install/core.js?version=v1.2';
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('dist/install/core.js is missing: run `npm run build` first'));
    document.head.append(s);
  });
}
