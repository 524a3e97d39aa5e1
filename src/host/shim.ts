/**
 * `window.TWTChatWidget`: the spec's public API, as a thin mapping onto a
 * `<twt-chat-widget>` element. All state and behaviour live in the element;
 * the shim reaches it only through its public methods and its DOM events
 * (`twt-visibility-changed` <-> `on('visibility_changed')`).
 */
import type { TwtChatWidget } from '../../elements/twt-chat-widget.js';
import { WidgetError } from './bridge.js';
import { domEventName, own, REPLAYED_EVENTS, WIDGET_EVENTS, type WidgetEventName } from '../shared/bridge-protocol.js';
import { invalidValue, oneOfText } from './config.js';
import { activeWidget, WIDGET_ACTIVATED_EVENT } from './active-widget.js';

/** The events `on()` accepts (from the one event table, src/shared/bridge-protocol.ts). */
export const EVENTS: readonly WidgetEventName[] = WIDGET_EVENTS;
export type { WidgetEventName };
/** Lifecycle events a late subscriber still receives once. */
const REPLAYED: readonly string[] = REPLAYED_EVENTS;

export type Handler = (payload?: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
export type MethodName = 'maximize' | 'minimize' | 'hide' | 'show' | 'toggle' | 'destroy' | 'login' | 'logout' | 'set_language' | 'set_theme';
export type GetterName = 'state' | 'sdk_info' | 'unread_count' | 'theme';

/** The public API (spec: 核心函数). */
export interface TWTChatWidgetApi {
  on(event: WidgetEventName, handler: Handler): void;
  once(event: WidgetEventName, handler: Handler): void;
  /** Without a handler: removes every handler of that event. */
  off(event: WidgetEventName, handler?: Handler): void;
  /** Never throws; rejects with an Error carrying `reason` on refusal. */
  call(method: MethodName, payload?: unknown): Promise<unknown>;
  /** Synchronous; throws before init() has completed. */
  get(getter: 'state'): { visibility: 'maximized' | 'minimized' | 'hidden' };
  get(getter: 'sdk_info'): { version: string; scriptTagVersion: string; compatibilityMode: 'off'; transport: 'mixed' };
  get(getter: 'unread_count'): number;
  get(getter: 'theme'): 'light' | 'dark' | 'system';
  get(getter: GetterName): unknown;
  init(): void;
  login(sbs: string, sbs_mm: string, ranstr: string, name?: string, nickname?: string, email?: string, phone?: string): Promise<unknown>;
  /** Our extension to the spec: the widget restarts as a new anonymous visitor (see the element's logout()). */
  logout(): Promise<unknown>;
  setLanguage(locale: string): Promise<unknown>;
  scriptTagVersion(): string;
}

export interface ShimDeps {
  /** Finds or creates the page's widget element (connected, options set). `created` says whether the shim owns it. */
  element(): { el: TwtChatWidget; created: boolean };
  scriptTagVersion: string;
}

/** Marks a real API object, so a second core.js leaves it alone. */
export const SHIM_MARK = Symbol.for('twt-chat-widget.shim');

const METHODS = new Map<string, (el: TwtChatWidget, payload: unknown) => Promise<unknown>>([
  ...(['maximize', 'minimize', 'hide', 'show', 'toggle'] as const).map((m) => [m, (el: TwtChatWidget) => el[m]()] as const),
  ['login', (el, p) => el.login(p)],
  ['logout', (el) => el.logout()], // our extension to the spec
  ['set_language', (el, p) => el.setLanguage(unwrap(p, 'locale'))],
  ['set_theme', (el, p) => el.setTheme(unwrap(p, 'theme'))],
]);

/** The getters (spec: Getters), read from the element. */
const GETTERS = new Map<string, (el: TwtChatWidget) => unknown>([
  ['state', (el) => ({ visibility: el.visibility })],
  ['sdk_info', (el) => el.sdkInfo],
  ['unread_count', (el) => el.unreadCount],
  ['theme', (el) => el.themeSetting],
]);

/** Calls a page's handler; one that throws is reported and does not stop the others. */
function notify(event: string, handler: Handler, payload: unknown): void {
  try {
    handler(payload);
  } catch (e) {
    console.error(`[twt-chat-widget] a "${event}" handler threw:`, e);
  }
}

/** `call('set_theme', 'dark')` is the spec's form; `{theme: 'dark'}` is accepted too. */
function unwrap(p: unknown, key: string): unknown {
  return typeof p === 'object' && p !== null && own(p, key) ? (p as Record<string, unknown>)[key] : p;
}

export function createShim(deps: ShimDeps): TWTChatWidgetApi {
  const handlers = new Map<string, Array<{ h: Handler; once: boolean }>>();
  let el: TwtChatWidget | undefined;
  /** The element the shim created (core.js's own), removed again on destroy. */
  let created: TwtChatWidget | undefined;
  let destroyed = false;
  let early: Array<(el: TwtChatWidget) => void> = [];
  const listeners: Array<[string, EventListener]> = [];

  const deliver = (event: string, payload: unknown) => {
    for (const entry of [...(handlers.get(event) ?? [])]) {
      if (entry.once) remove(event, entry.h, true);
      notify(event, entry.h, payload);
    }
  };
  const remove = (event: string, h: Handler | undefined, onceOnly = false) => {
    const list = handlers.get(event);
    if (!list) return;
    const i = list.findIndex((e) => e.h === h && (!onceOnly || e.once));
    if (h === undefined) handlers.delete(event);
    else if (i >= 0) list.splice(i, 1);
  };
  const unbind = () => {
    for (const [type, l] of listeners) el?.removeEventListener(type, l);
    listeners.length = 0;
    el = undefined;
  };
  const detach = () => {
    if (created && created === el) {
      created.remove();
      created = undefined;
    }
    unbind();
  };
  /** Follows `target`: its DOM events reach on() handlers, and calls queued before any widget existed run on it. */
  const attach = (target: TwtChatWidget) => {
    if (target === el) return;
    unbind();
    el = target;
    destroyed = false;
    for (const name of EVENTS) {
      const l = (e: Event) => {
        const payload = (e as CustomEvent).detail ?? undefined;
        if (name === 'destroyed') {
          destroyed = true;
          detach();
        }
        deliver(name, payload);
      };
      const type = domEventName(name);
      target.addEventListener(type, l);
      listeners.push([type, l]);
    }
    const q = early;
    early = [];
    for (const f of q) f(target);
  };
  // Whichever element becomes the page's active widget (placed later, by a framework, in a shadow root) is followed.
  addEventListener(WIDGET_ACTIVATED_EVENT, (e) => attach((e as CustomEvent).detail as TwtChatWidget));
  const current = activeWidget<TwtChatWidget>();
  if (current) attach(current);

  const subscribe = (event: unknown, handler: unknown, once: boolean) => {
    if (typeof event !== 'string' || !(EVENTS as readonly string[]).includes(event)) return console.warn(`[twt-chat-widget] ${invalidValue('event', oneOfText(EVENTS), event)}`);
    if (typeof handler !== 'function') return console.warn(`[twt-chat-widget] on("${event}") needs a function`);
    const list = handlers.get(event) ?? [];
    handlers.set(event, list);
    const entry = { h: handler as Handler, once };
    list.push(entry);
    // Readiness that already happened reaches a late subscriber once, asynchronously.
    if (REPLAYED.includes(event) && el?.lifecycle.has(event)) {
      queueMicrotask(() => {
        if (!list.includes(entry)) return;
        if (once) list.splice(list.indexOf(entry), 1);
        notify(event, entry.h, undefined);
      });
    }
  };

  const api: TWTChatWidgetApi & { [SHIM_MARK]: true } = {
    [SHIM_MARK]: true,
    on: (event, handler) => subscribe(event, handler, false),
    once: (event, handler) => subscribe(event, handler, true),
    off: (event, handler) => remove(event, handler),
    call(method, payload) {
      try {
        if (method === 'destroy') {
          early = [];
          el?.destroy();
          detach();
          return Promise.resolve();
        }
        const run = typeof method === 'string' ? METHODS.get(method) : undefined;
        if (!run) return Promise.reject(new WidgetError('unknown_method', invalidValue('method', oneOfText([...METHODS.keys(), 'destroy']), method)));
        if (el) return run(el, payload);
        if (destroyed) return Promise.reject(new WidgetError('destroyed', `destroyed: call TWTChatWidget.init() before call("${method}")`));
        // Before any widget exists: queued, delivered in order to the element that boots (init(), or one placed later).
        return new Promise((resolve, reject) => early.push((target) => run(target, payload).then(resolve, reject)));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    get(getter: GetterName): never {
      const read = typeof getter === 'string' ? GETTERS.get(getter) : undefined;
      if (!read) throw new Error(`TWTChatWidget.get(): ${invalidValue('getter', oneOfText([...GETTERS.keys()]), getter)}`);
      if (!el?.initialized) throw new Error(`TWTChatWidget.get("${getter}") is only available after init() has completed`);
      return read(el) as never;
    },
    init() {
      if (!el) {
        const found = deps.element();
        if (found.created) created = found.el;
        attach(found.el);
      }
      el!.init();
    },
    login: (sbs, sbs_mm, ranstr, name, nickname, email, phone) => api.call('login', { sbs, sbs_mm, ranstr, name, nickname, email, phone }),
    logout: () => api.call('logout'),
    setLanguage: (locale) => api.call('set_language', locale),
    scriptTagVersion: () => deps.scriptTagVersion,
  };
  return api;
}

/**
 * Replays the snippet stub's queue (`_q` of `[name, args]`, in order: `on`, and
 * `once`/`off`/`call` if a richer stub queued them) onto the real API.
 */
export function replayStubQueue(stub: unknown, api: TWTChatWidgetApi): void {
  const q = typeof stub === 'object' && stub !== null && own(stub, '_q') ? (stub as { _q: unknown })._q : undefined;
  if (!Array.isArray(q)) return;
  for (const item of q) {
    if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
    const [name, args] = item as [unknown, unknown[]];
    if (name === 'on' || name === 'once' || name === 'off') (api[name] as (...a: unknown[]) => void)(...args);
    else if (name === 'call') (api.call as (...a: unknown[]) => Promise<unknown>)(...args).catch((e: Error) => console.warn(`[twt-chat-widget] queued call failed: ${e.message}`));
  }
}
