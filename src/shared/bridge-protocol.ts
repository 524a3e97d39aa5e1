/**
 * The host bridge protocol: messages between the host page (core.js, the
 * `<twt-chat-widget>` element) and the runtime surfaces in the iframes.
 * Declared once here and imported by both ends (src/host/bridge.ts and
 * src/runtime/surface-bridge.ts).
 *
 * Handshake (see DESIGN.md, "The host bridge"):
 * 1. The host creates `W/widget/<surface>.html?appid=<appid>` with a fragment
 *    `#<encodeSurfaceFragment(...)>` carrying a per-instance nonce and the
 *    host origin. Fragments are never sent to a server or in a Referer.
 * 2. The surface posts a {@link HelloMessage} to `window.parent` with the exact
 *    host origin from its fragment as target origin.
 * 3. The host accepts it only if `event.origin === W`,
 *    `event.source === iframe.contentWindow` and the nonce matches, then posts a
 *    {@link ConnectMessage} to the iframe (target origin W) transferring one
 *    MessagePort. Every later message goes over that port as a {@link PortMessage}.
 */

import type { IdentityClue, LoginTriple, VisitorProfile } from './wire-protocol.js';
import type { PageView } from './visitor-context.js';

/** Protocol version carried by every bridge message. */
export const BRIDGE_VERSION = 1;

/** Marker property, so our messages are told apart from other postMessage traffic. */
export const BRIDGE_TAG = 'twt-bridge';

export type SurfaceName = 'launcher' | 'panel' | 'card';
export const SURFACES: readonly SurfaceName[] = ['launcher', 'panel', 'card'];

/**
 * A surface's page in dist/widget/. The launcher's page paints its closed button before any script runs
 * (src/runtime/launcher-look.ts), in the colours of one theme: the host asks for the page of the theme in effect,
 * so a dark site's launcher is not first painted in the light theme's accent. The build writes both.
 */
export function surfacePage(surface: SurfaceName, theme: 'light' | 'dark'): string {
  return surface === 'launcher' && theme === 'dark' ? 'launcher-dark.html' : `${surface}.html`;
}

export type Visibility = 'maximized' | 'minimized' | 'hidden';
export type ThemeSetting = 'light' | 'dark' | 'system';
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** What the host puts in the iframe URL fragment. */
export interface SurfaceFragment {
  nonce: string;
  /** The host page origin; the surface posts its hello only to this origin. */
  host: string;
  surface: SurfaceName;
  /** Initial locale and resolved theme, so the first paint is already right. */
  locale: string;
  theme: 'light' | 'dark';
}

export function encodeSurfaceFragment(f: SurfaceFragment): string {
  return String(new URLSearchParams({ n: f.nonce, h: f.host, s: f.surface, l: f.locale, t: f.theme }));
}

/** Parses a fragment (with or without the leading '#'); null when anything is missing or malformed. */
export function decodeSurfaceFragment(hash: string): SurfaceFragment | null {
  const p = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const nonce = p.get('n');
  const host = p.get('h');
  const surface = p.get('s');
  const locale = p.get('l') ?? 'en';
  const theme = p.get('t') === 'dark' ? 'dark' : 'light';
  if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return null;
  if (!host || !isHttpOrigin(host)) return null;
  if (!surface || !(SURFACES as readonly string[]).includes(surface)) return null;
  return { nonce, host, surface: surface as SurfaceName, locale, theme };
}

/**
 * An image the launcher may show (config `icon`): an http(s) URL, or a base64 `data:image/` URL of a
 * raster or SVG image (an <img> never runs an SVG's scripts). Checked by the host and again by the launcher.
 */
export function isIconUrl(value: unknown): value is string {
  return typeof value === 'string' && (DATA_IMAGE_URL.test(value) || /^https?:\/\/[^/]/i.test(value));
}
const DATA_IMAGE_URL = /^data:image\/(png|gif|jpeg|webp|svg\+xml);base64,[a-z0-9+/=]+$/i;

/** The origin of an http(s) URL, or '' when it is not one. */
export function httpOrigin(value: string): string {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : '';
  } catch {
    return '';
  }
}

/** True for a serialised http(s) origin such as `https://shop.example.com:8443` (no path, no trailing slash). */
export const isHttpOrigin = (value: string): boolean => !!value && httpOrigin(value) === value;

// ---------------------------------------------------------------------------
// Handshake messages (window.postMessage)

/** Surface -> host, the first and only message a surface sends through window.postMessage. */
export interface HelloMessage {
  tag: typeof BRIDGE_TAG;
  v: typeof BRIDGE_VERSION;
  type: 'hello';
  nonce: string;
  surface: SurfaceName;
}

/** Host -> surface, answers a valid hello; transfers `ports[0]`. */
export interface ConnectMessage {
  tag: typeof BRIDGE_TAG;
  v: typeof BRIDGE_VERSION;
  type: 'connect';
  nonce: string;
  boot: SurfaceBoot;
}

/** Everything a surface needs to start, handed over the bridge (never in a URL). */
export interface SurfaceBoot {
  appid: string;
  /** The host page origin (the surface already knows it from its fragment; both must agree). */
  hostOrigin: string;
  /** Normalised runtime locale. */
  locale: string;
  theme: ThemeSetting;
  visibility: Visibility;
  /** Panel only: it covers the whole viewport (see {@link ViewState.fullScreen}). */
  fullScreen?: boolean;
  /** Host SDK package version and the snippet's script tag version. */
  sdkVersion: string;
  scriptTagVersion: string;
  /** Panel only: the visitor's profile fields from config. */
  profile?: VisitorProfile;
  /** Panel only: the business-user login triple from config, when all three are present. */
  login?: LoginTriple;
  /** Panel only: the identity clue the host stored first-party at a previous visit. */
  clue?: IdentityClue;
  /** Launcher only: the site's own launcher image (config `icon`), an http(s) or base64 data:image URL. */
  icon?: string;
  /** App display info the host got from its bootstrap request. */
  app?: { name: string; greeting: string };
}

// ---------------------------------------------------------------------------
// Port messages (MessagePort, after the handshake)

/** Commands the host sends to surfaces. The answer is a {@link ResultMessage} with the same id. */
export interface HostCommands {
  /** Panel: reload the session as a new business user. Refused (`login_failed`) without sbs, sbs_mm, ranstr. */
  login: LoginTriple & Partial<VisitorProfile>;
  /** Any surface: switch locale; the value is already normalised by the host. Refused (`unsupported_locale`) otherwise. */
  set_language: { locale: string };
  /** Any surface: switch theme. The surface resolves `system` itself with matchMedia. */
  set_theme: { theme: ThemeSetting };
  /** Any surface: what the host shows now, so the launcher, card and panel render the same state. */
  set_view: ViewState;
  /**
   * Panel: the visitor is on this page now (the initial page, then every navigation, single-page ones too; config
   * `trackPages`). The host has already dropped the query and fragment unless `trackPageQuery`. The panel checks it
   * (checkPageView: http(s), caps; refused `invalid_payload`) and forwards it to the server.
   */
  page_view: PageView;
}
export type HostCommandName = keyof HostCommands;
export const HOST_COMMANDS: readonly HostCommandName[] = ['login', 'set_language', 'set_theme', 'set_view', 'page_view'];

export interface ViewState {
  visibility: Visibility;
  unreadCount: number;
  /**
   * Panel only: the host shows it full screen (narrow viewports), covering the page, so Tab cycles
   * inside it. Otherwise the page stays usable beside it and Tab leaves it. Only the host knows: the
   * panel's own viewport is always narrow.
   */
  fullScreen?: boolean;
  /** Panel only: play a tone for an agent message while the panel is not maximized (config `sound`). */
  sound?: boolean;
  /** Card only: what the marketing card shows (greeting or newest unread agent message); null hides it. */
  card?: CardContent | null;
}


// ---------------------------------------------------------------------------
// Payload validators. Each returns a clean copy of what it accepts (the declared fields only, own properties
// only) and throws on anything else; its return type is the payload's type. The host reads every event it
// receives with them (eventPayload); a surface's events are typed from them (SurfaceEvents) and not checked again
// before sending, which keeps the table out of the surfaces' first load.

/** A validator: the clean value, or a throw. */
export type Check<T> = (v: unknown) => T;
const bad = (): never => {
  throw 'malformed'; // caught by eventPayload: never reaches a page
};
/** A string of at most 4,000 characters. */
export const text: Check<string> = (v) => (typeof v === 'string' && v.length <= 4000 ? v : bad());
/** A non-negative integer. */
export const count: Check<number> = (v) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : bad());
export const flag: Check<boolean> = (v) => (typeof v === 'boolean' ? v : bad());
export const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v) =>
    values.includes(v as T) ? (v as T) : bad();
/** Absent (undefined) or valid. */
export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v) =>
    v === undefined ? v : check(v);
export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v) =>
    v === null ? v : check(v);
type Shape = Record<string, Check<unknown>>;
type Required<S extends Shape> = { [K in keyof S as undefined extends ReturnType<S[K]> ? never : K]: ReturnType<S[K]> };
type Optional<S extends Shape> = { [K in keyof S as undefined extends ReturnType<S[K]> ? K : never]?: Exclude<ReturnType<S[K]>, undefined> };
/** A plain object with these fields (a field whose check accepts undefined is optional); other fields are dropped. */
export const object =
  <S extends Shape>(shape: S): Check<Required<S> & Optional<S>> =>
  (v) => {
    if (!isPlainObject(v)) bad();
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(shape)) {
      const x = shape[k](own(v as object, k) ? (v as Record<string, unknown>)[k] : undefined);
      if (x !== undefined) out[k] = x;
    }
    return out as Required<S> & Optional<S>;
  };

const CONNECTION_STATUSES: readonly ConnectionStatus[] = ['disconnected', 'connecting', 'connected', 'reconnecting'];
const STATUS = object({ status: oneOf(CONNECTION_STATUSES) });
const optionalText = optional(text);
/** What the marketing card shows (greeting or newest unread agent message). */
export const CARD = object({ kind: oneOf(['greeting', 'message'] as const), text, author: optionalText });
export type CardContent = ReturnType<typeof CARD>;
const PANEL = ['panel'] as const;

/** One row of {@link EVENT_TABLE}. */
interface EventSpec {
  /** A public event (`TWTChatWidget.on()` and the element's DOM event), in the API docs' lifecycle or state table. */
  readonly _page?: 'lifecycle' | 'state';
  /** A late subscriber still gets it once (readiness that already happened). */
  readonly _replayed?: true;
  /** The surfaces that may send it over the bridge; none: the host emits it itself. */
  readonly _from?: readonly SurfaceName[];
  /** Its payload; none: it carries none. */
  readonly _payload?: Check<object>;
}

/**
 * Every event, once: the public ones (`on()` names, the element's `twt-…` DOM events, see {@link domEventName})
 * in the spec's order, then those only surfaces and the host exchange. Names are the spec's where it has one.
 * The shim, the element, both bridge ends and the API docs (scripts/api-docs.mjs) read this table.
 */
export const EVENT_TABLE = {
  /** init() completed: bootstrap accepted, surfaces created. */
  initialized: { _page: 'lifecycle', _replayed: true },
  /** A surface iframe loaded; detail `{surface}`. */
  iframe_loaded: { _page: 'lifecycle', _payload: object({ surface: oneOf(SURFACES) }) },
  /** The panel runtime accepts commands. */
  bridge_ready: { _page: 'lifecycle', _replayed: true },
  /** The panel runtime mounted. */
  runtime_mounted: { _page: 'lifecycle', _replayed: true, _from: PANEL },
  /** Visitor identity resolved; detail per spec. */
  visitor_auth_ready: {
    _page: 'lifecycle',
    _from: PANEL,
    _payload: object({ bs: text, bs_mm: text, fk_id: optionalText, fkid: optionalText, visitorUid: optionalText, hasToken: optional(flag), source: optional(oneOf(['initial', 'resolved'] as const)) }),
  },
  /** Initial conversation list resolved. */
  runtime_activated: { _page: 'lifecycle', _replayed: true, _from: PANEL },
  /** The widget was destroyed. */
  destroyed: { _page: 'lifecycle' },
  /** detail `{visibility}`. */
  visibility_changed: { _page: 'state', _payload: object({ visibility: oneOf(['maximized', 'minimized', 'hidden'] as const) }) },
  /** detail `{status}`. */
  connection_state_changed: { _page: 'state', _from: PANEL, _payload: STATUS },
  /** detail `{status: 'connected'}`. */
  session_connected: { _page: 'state', _from: PANEL, _payload: object({ status: oneOf(['connected'] as const) }) },
  /** detail `{status}`. */
  session_disconnected: { _page: 'state', _from: PANEL, _payload: STATUS },
  /** The server closed visitor auth; the widget is hidden. */
  auth_closed: {
    _page: 'state',
    _from: PANEL,
    _payload: object({ reason: text, message: optionalText, source: optionalText, closeAuthType: optionalText, terminal: optionalText, clearToken: optional(flag), closeCode: optional(count) }),
  },
  /** Embedded boot failed; the widget is hidden and cleaned up. */
  bootstrap_failed: { _page: 'state', _from: PANEL, _payload: object({ reason: text, message: optionalText, source: optionalText, mode: optional(oneOf(['embedded'] as const)) }) },
  /** detail `{count}`. */
  unread_count_changed: { _page: 'state', _from: PANEL, _payload: object({ count }) },
  /** Panel: what the marketing card should show now (newest unread agent message, or null). */
  card_content: { _from: PANEL, _payload: object({ card: nullable(CARD) }) },
  /** Launcher clicked: toggle maximized <-> minimized. */
  request_toggle: { _from: ['launcher'] },
  /** Card clicked or panel wants to open: maximize. */
  request_maximize: { _from: ['panel', 'card'] },
  /** Panel close button or Escape: minimize. */
  request_minimize: { _from: PANEL },
  /** Card close button: dismiss the card until new content arrives. */
  request_dismiss_card: { _from: ['card'] },
  /**
   * Launcher: the pointer entered (`over: true`) or left the launcher surface. The host relays it as
   * mouse boundary events on the launcher iframe where the browser fires none there itself
   * (out-of-process frames; see elements/launcher-hover-relay.ts).
   */
  pointer_hover: { _from: ['launcher'], _payload: object({ over: flag }) },
  /**
   * Launcher: its live element has drawn the button of the boot data (theme, locale, the site's own icon) over
   * its page's first paint. A launcher with the site's own icon is shown only from then on.
   */
  launcher_drawn: { _from: ['launcher'] },
} as const satisfies Record<string, EventSpec>;

type Table = typeof EVENT_TABLE;
export type EventName = keyof Table;
/** The public events (`TWTChatWidget.on()`, the element's DOM events). */
export type WidgetEventName = { [K in EventName]: Table[K] extends { _page: string } ? K : never }[EventName];
/** The events a late subscriber still gets once. */
export type ReplayedEventName = { [K in EventName]: Table[K] extends { _replayed: true } ? K : never }[EventName];
/** The events surfaces send to the host. */
export type SurfaceEventName = { [K in EventName]: Table[K] extends { _from: readonly string[] } ? K : never }[EventName];
/** The payload of an event, as its validator returns it (undefined: it carries none). */
export type EventPayload<K extends EventName> = Table[K] extends { _payload: Check<infer T> } ? T : undefined;
/** What a surface sends with each event (`{}` for events without a payload). */
export type SurfaceEvents = { [K in SurfaceEventName]: Table[K] extends { _payload: Check<infer T> } ? T : Record<string, never> };
export type VisitorAuthReadyPayload = EventPayload<'visitor_auth_ready'>;

const eventNames = <K extends EventName>(f: (spec: EventSpec) => unknown) => (Object.keys(EVENT_TABLE) as K[]).filter((k) => f(EVENT_TABLE[k]));
export const WIDGET_EVENTS = /* @__PURE__ */ eventNames<WidgetEventName>((e) => e._page);
export const REPLAYED_EVENTS = /* @__PURE__ */ eventNames<ReplayedEventName>((e) => e._replayed);
export const SURFACE_EVENTS = /* @__PURE__ */ eventNames<SurfaceEventName>((e) => e._from);

type Dashed<S extends string> = S extends `${infer A}_${infer B}` ? `${A}-${Dashed<B>}` : S;
/** The element's DOM event of an event: `visibility_changed` -> `twt-visibility-changed`. */
export type DomEventName<K extends string> = `twt-${Dashed<K>}`;
export const domEventName = <K extends string>(name: K) => `twt-${name.replace(/_/g, '-')}` as DomEventName<K>;

/**
 * A clean copy of an event payload (its validator's result), null when it is malformed (not a plain
 * object, a required field missing, a field of the wrong type) or, with `from`, when that surface may not
 * send that event (or it is no event); undefined for events without a payload.
 */
export function eventPayload(name: string, raw: unknown = {}, from?: SurfaceName): object | undefined | null {
  const spec: EventSpec = own(EVENT_TABLE, name) ? EVENT_TABLE[name as EventName] : {};
  try {
    return (from && !spec._from?.includes(from)) || !isPlainObject(raw) ? null : spec._payload?.(raw);
  } catch {
    return null;
  }
}

export interface CommandMessage<K extends HostCommandName = HostCommandName> {
  tag: typeof BRIDGE_TAG;
  v: typeof BRIDGE_VERSION;
  type: 'command';
  id: number;
  name: K;
  payload: HostCommands[K];
}

export interface ResultMessage {
  tag: typeof BRIDGE_TAG;
  v: typeof BRIDGE_VERSION;
  type: 'result';
  id: number;
  ok: boolean;
  /** On refusal: a machine-readable reason (`login_failed`, `unsupported_locale`, `invalid_payload`, …). */
  reason?: string;
  message?: string;
  value?: unknown;
}

export interface EventMessage<K extends SurfaceEventName = SurfaceEventName> {
  tag: typeof BRIDGE_TAG;
  v: typeof BRIDGE_VERSION;
  type: 'event';
  name: K;
  payload: SurfaceEvents[K];
}

export type PortMessage = CommandMessage | ResultMessage | EventMessage;

// ---------------------------------------------------------------------------
// Validation shared by both ends. Every incoming message goes through one of
// these; anything else is dropped without throwing.

/** Own property: a polluted Object.prototype never supplies a field. */
export const own = (o: object, k: PropertyKey) => Object.prototype.hasOwnProperty.call(o, k);

/** An object that is not an array: what a page's config or a command's payload may be (any prototype). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A plain object (`{}` or null-prototype): an {@link isObject} that is not a Blob, a Date or another class instance (what arrives over the bridge). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A plain object with our tag and version. */
export function isEnvelope(d: unknown): d is Record<string, unknown> {
  return isPlainObject(d) && own(d, 'tag') && d.tag === BRIDGE_TAG && own(d, 'v') && d.v === BRIDGE_VERSION && own(d, 'type') && typeof d.type === 'string';
}

export function parseHello(data: unknown): HelloMessage | null {
  if (!isEnvelope(data) || data.type !== 'hello') return null;
  if (typeof data.nonce !== 'string' || typeof data.surface !== 'string') return null;
  if (!(SURFACES as readonly string[]).includes(data.surface)) return null;
  return data as unknown as HelloMessage;
}

export function parseConnect(data: unknown): ConnectMessage | null {
  if (!isEnvelope(data) || data.type !== 'connect') return null;
  if (typeof data.nonce !== 'string' || typeof data.boot !== 'object' || data.boot === null) return null;
  const boot = data.boot as Record<string, unknown>;
  if (typeof boot.appid !== 'string' || typeof boot.hostOrigin !== 'string' || typeof boot.locale !== 'string') return null;
  return data as unknown as ConnectMessage;
}

/**
 * A command's envelope and name (what a surface accepts on its port); payload checks belong to the handler of that
 * name. Apart from parsePortMessage, so a surface's bundle does not carry the event table.
 */
export function parseCommand(data: unknown): CommandMessage | null {
  return isEnvelope(data) && data.type === 'command' && Number.isInteger(data.id) && typeof data.name === 'string' && (HOST_COMMANDS as readonly string[]).includes(data.name)
    ? (data as unknown as CommandMessage)
    : null;
}

/** Validates a port message's envelope and name; payload checks belong to the handler of that name. */
export function parsePortMessage(data: unknown): PortMessage | null {
  if (!isEnvelope(data)) return null;
  switch (data.type) {
    case 'command':
      return parseCommand(data);
    case 'result':
      return Number.isInteger(data.id) && typeof data.ok === 'boolean' ? (data as unknown as ResultMessage) : null;
    case 'event':
      return typeof data.name === 'string' && (SURFACE_EVENTS as readonly string[]).includes(data.name)
        ? (data as unknown as EventMessage)
        : null;
    default:
      return null;
  }
}
