import { ReactiveElement, type PropertyDeclaration, type PropertyDeclarations } from '@lit/reactive-element';
import { LOGIN_NEEDS, invalidValue, oneOfText, resolveConfig, type ConfigResult, type WidgetConfig } from '../src/host/config.js';
import { CONFIG_FIELDS, CONFIG_KEYS, attributeOf, parseNumber, propertyOf, type ConfigField, type ConfigKey, type ConfigValue } from '../src/shared/config-fields.js';
import { HostBridge, WidgetError, requestBootstrap, BOOTSTRAP_TIMEOUT_MS } from '../src/host/bridge.js';
import { MediaQueryController } from './controllers/media-query.js';
import { IdentityStorageController } from './controllers/identity-storage.js';
import { LOCALES, normalizeLocale } from '../src/shared/locales.js';
import { SDK_VERSION } from '../src/host/version.js';
import { activeWidget, announceActive, retireActive } from '../src/host/active-widget.js';
import { domEventName, own, REPLAYED_EVENTS, type CardContent, type HostCommands, type SurfaceBoot, type SurfaceEventName, type SurfaceName, type ThemeSetting, type Visibility } from '../src/shared/bridge-protocol.js';
import type { AppInfo, BootstrapFailedPayload, IdentityClue } from '../src/shared/wire-protocol.js';
import { TwtLauncher } from './twt-launcher.js';
import { trackPages } from '../src/host/page-tracker.js';
import type { PageView } from '../src/shared/visitor-context.js';
import { LauncherHoverRelay } from './launcher-hover-relay.js';
import { applyStyles, surfaceStyles, DEFAULT_Z_INDEX, NARROW_QUERY } from './twt-chat-widget.styles.js';

/** Lifecycle events a late subscriber still gets (see the shim's `on`); from the one event table, src/shared/bridge-protocol.ts. */
export const LIFECYCLE_EVENTS = REPLAYED_EVENTS;

export interface SdkInfo {
  version: string;
  scriptTagVersion: string;
  compatibilityMode: 'off';
  transport: 'mixed';
}

/** How long a disconnected element waits to be put back (a move) before it tears itself down. */
const REMOVAL_GRACE_MS = 1000;
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** A number attribute becomes a number; anything else stays the raw string, so config validation can name it. */
const numberConverter = (v: string | null) => {
  const n = parseNumber(v);
  return v === null ? undefined : Number.isFinite(n) ? n : v;
};

/** lit property declarations for every config field. */
function configProperties(): PropertyDeclarations {
  const out: Record<string, PropertyDeclaration> = {};
  for (const key of CONFIG_KEYS) {
    const f: ConfigField = CONFIG_FIELDS[key];
    // A boolean that is on by default keeps its attribute's text: `track-pages="false"` turns it off (config.ts reads it).
    out[propertyOf(key)] = { attribute: attributeOf(key), ...(f.type === 'boolean' && !f.on ? { type: Boolean } : f.type === 'number' ? { converter: numberConverter } : {}) };
  }
  return out;
}

type Fields = typeof CONFIG_FIELDS;
type PropertyName<K extends ConfigKey> = Fields[K] extends { property: infer P extends string } ? P : K;
/** As in a config object; a number property may also hold its attribute's raw text (numberConverter). */
type FieldValue<F> = F extends { type: 'number' } ? number | string : ConfigValue<F>;
/** The config fields as element properties (`zIndex`, `offsetRight`, `sourceTitle`, …), typed from the table. */
export type WidgetConfigProperties = { -readonly [K in ConfigKey as PropertyName<K>]?: FieldValue<Fields[K]> };

const TITLES: Record<SurfaceName, string> = { launcher: 'Open chat', panel: 'Chat', card: 'Message preview' };
/** Where the widget is in its life (a number: core.js stays small; not readable across copies, see init()). */
const enum Phase {
  Idle,
  Booting,
  Ready,
  Failed,
}
/**
 * The calls waiting for something (the widget to be ready, the panel to connect), each the settling function of
 * its promise: called without an error when that thing comes (synchronously, in order), with one on teardown.
 */
type Waiting = Array<(e?: Error) => void>;
/** Settles every waiting call (see {@link Waiting}); calls that start waiting meanwhile wait for the next time. */
const settle = (waiting: Waiting, e?: Error) => {
  for (const w of waiting.splice(0))
    try {
      w(e);
    } catch (x) {
      w(x as Error); // a throwing call rejects like a rejected promise
    }
};

/**
 * The visitor chat widget. Owns the widget state (visibility, unread count,
 * theme, language, lifecycle) and its surfaces: the panel and marketing-card
 * iframes and, unless `launcher` is `custom`, a `<twt-launcher>` holding the
 * launcher iframe. Iframes live in the light DOM and carry
 * `data-twt-widget-surface`.
 *
 * It boots by itself when connected (unless `async-init`): bootstrap request to
 * the widget origin, then the surfaces and the host bridge. One widget per page:
 * a second element stays inert with a console warning.
 *
 * @summary Embeddable visitor chat widget.
 * @tag twt-chat-widget
 *
 * Its attributes (one per option) and its `twt-…` events are documented from the option and event tables
 * (src/shared/config-fields.ts, src/shared/bridge-protocol.ts EVENT_TABLE): see custom-elements-manifest.config.mjs.
 */
export class TwtChatWidget extends ReactiveElement {
  /** Every config field as a reactive property with its attribute (from the one table, src/shared/config-fields.ts). */
  static override properties = configProperties();

  /** Widget origin used when neither `server` nor `options.server` is set (core.js sets its own origin). */
  static defaultServer = '';
  /** The snippet's script tag version (core.js sets it from its URL's `version` query). */
  static scriptTagVersion = '';
  static bootstrapTimeoutMs = BOOTSTRAP_TIMEOUT_MS;

  /** Config object (the shape of `window.__twt`); attributes and properties win over it. */
  options?: Record<string, unknown>;

  private _phase = Phase.Idle;
  private _cfg?: WidgetConfig;
  private _app?: AppInfo;
  private _bridge?: HostBridge;
  private _abort?: AbortController;
  private readonly _frames = new Map<SurfaceName, HTMLIFrameElement>();
  private _launcherHost?: TwtLauncher;
  /** Mouse boundary events on the launcher iframe where the browser fires none (out-of-process frames). */
  private _launcherHover?: LauncherHoverRelay;
  /**
   * The launcher's page paints the default button before its script runs (launcher-look.ts). With the site's own
   * icon that first paint would be the wrong picture: such a launcher stays hidden until its live element has
   * drawn (`launcher_drawn`), as it did before the page painted anything.
   */
  private _launcherDrawn = false;
  private readonly _happened = new Set<string>();
  private _vis: Visibility = 'minimized';
  private _unread = 0;
  private _card: CardContent | null = null;
  /** Waiting for `initialized` (see _whenReady). */
  private readonly _booting: Waiting = [];
  /** Waiting for the panel runtime to accept commands (see _afterBridge). */
  private readonly _panelWaits: Waiting = [];
  private _returnFocus: Element | null = null;
  private _removal?: ReturnType<typeof setTimeout>;
  /** Stops the page tracker (config `trackPages`). */
  private _untrack?: () => void;
  /** The page the visitor is on, as last reported; sent to every panel that connects. */
  private _page?: PageView;
  private readonly _narrowViewport = new MediaQueryController(this, NARROW_QUERY, () => (this._layout(), this._sendView('panel')));
  // theme `system` follows the OS live
  private readonly _systemDark = new MediaQueryController(this, DARK_QUERY, () => this._layout());
  private readonly _identity = new IdentityStorageController();
  /** The signature of the login logout() dropped. */
  private _out?: string;

  override connectedCallback() {
    super.connectedCallback();
    clearTimeout(this._removal);
    applyStyles(this, { display: 'contents' });
    // Surfaces in an element that runs none are copies: cloneNode(true) of a running widget (Turbo clones the page
    // for its snapshot cache, and the permanent element when it swaps <body>). Never loaded, shown or counted twice.
    if (!this._bridge) for (const n of this.querySelectorAll(':scope>[data-twt-widget-surface],:scope>[data-twt-owned]')) n.remove();
    queueMicrotask(() => {
      if (this.isConnected && this._phase === Phase.Idle && !this._resolve().config.asyncInit) this.init();
    });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    // A page moves the element in steps that may span tasks and frames (Turbo's permanent elements, a portal,
    // a drag-and-drop editor, React StrictMode's unmount/remount): only an element still out of the document
    // after the grace period was really removed, and is torn down. A `moveBefore()` lands here too (then
    // connectedCallback at once); it keeps the iframes loaded, so nothing reconnects.
    clearTimeout(this._removal);
    if (this._phase === Phase.Idle) return; // nothing to tear down (and no timer keeping a removed element alive)
    this._removal = setTimeout(() => this.isConnected || this.destroy(), REMOVAL_GRACE_MS);
  }

  /** No shadow root: the iframes must be reachable by document.querySelector, and the host renders no template. */
  protected override createRenderRoot() {
    return this;
  }

  /** A property or attribute changed (a page builder's settings panel, React state): applied live, also while booting. */
  protected override updated() {
    if (this._phase === Phase.Booting || this._phase === Phase.Ready) this._applyLive();
  }

  // ---------------------------------------------------------------- state

  /** True once init() has completed (bootstrap accepted, surfaces created), until destroy(). */
  get initialized(): boolean {
    return this._happened.has('initialized');
  }
  /** Lifecycle events that already happened in this instance. */
  get lifecycle(): ReadonlySet<string> {
    return this._happened;
  }
  get visibility(): Visibility {
    return this._vis;
  }
  get unreadCount(): number {
    return this._unread;
  }
  /** The theme setting in effect (`light` | `dark` | `system`). */
  get themeSetting(): ThemeSetting {
    return this._cfg?.theme ?? 'light';
  }
  get sdkInfo(): SdkInfo {
    return { version: SDK_VERSION, scriptTagVersion: TwtChatWidget.scriptTagVersion, compatibilityMode: 'off', transport: 'mixed' };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Boots the widget. Idempotent: a booting or running widget is left alone. */
  init(): void {
    if (this._phase === Phase.Booting || this._phase === Phase.Ready) return;
    const { config, warnings, error } = this._resolve();
    for (const w of warnings) console.warn(`[twt-chat-widget] ${w}`);
    const server = config.server || TwtChatWidget.defaultServer;
    const problem = error ?? (server ? '' : 'no widget server: set the server option or attribute.');
    if (problem) {
      console.error(`[twt-chat-widget] ${problem}`);
      return this._fail({ reason: 'invalid_bootstrap', source: 'config', mode: 'embedded', message: problem });
    }
    const active = activeWidget<TwtChatWidget>();
    // The slot holds a widget only while it boots or runs (teardown empties it); of any copy of our code, so only its public side is read.
    if (active && active !== this && active.isConnected) {
      console.warn('[twt-chat-widget] a widget is already running; this one stays inert.');
      return;
    }
    this._phase = Phase.Booting;
    this._cfg = config;
    this._vis = 'minimized';
    announceActive(this);
    const abort = (this._abort = new AbortController());
    // The bridge exists from now: the launcher iframe loads while /v1/bootstrap is in flight. Its page is
    // framed only by the app's trusted origins (its own frame-ancestors), as the bootstrap would check; and it
    // connects (its boot data holds the app's name) only once initialized, since its load is reported then.
    this._bridge = new HostBridge({
      origin: server,
      appid: config.appid,
      boot: (s) => this._bootFor(s),
      onConnect: (s) => this._later(() => this._onConnect(s)),
      onEvent: (_s, n, p) => this._later(() => this._onSurfaceEvent(n, p)),
    });
    this.addController(this._bridge);
    requestBootstrap(server, config.appid, abort.signal, TwtChatWidget.bootstrapTimeoutMs).then(
      (r) => {
        if (abort.signal.aborted) return;
        if ('failed' in r) this._fail(r.failed);
        else this._mount(r.app);
      },
      () => {},
    );
    // In a task of its own: creating a browsing context is the costly part of booting; never block the page with it.
    setTimeout(() => abort.signal.aborted || this._frames.has('launcher') || this._cfg!.launcher === 'custom' || this._addFrame('launcher'));
  }

  /** Removes every iframe, listener, observer, timer and port, then fires `destroyed`. Host-side: no runtime confirmation. */
  destroy(): void {
    if (this._phase === Phase.Idle) return;
    this._teardown(new WidgetError('destroyed', 'the widget was destroyed'));
    this._phase = Phase.Idle;
    this._happened.clear();
    this._vis = 'minimized';
    this._unread = 0;
    this._reflectState();
    this._emit('destroyed');
  }

  // ---------------------------------------------------------------- methods (spec: call(...))

  maximize(): Promise<void> {
    return this._whenReady(() => this._setVisibility('maximized'));
  }
  minimize(): Promise<void> {
    return this._whenReady(() => this._setVisibility('minimized'));
  }
  /** Hides everything; the iframes stay mounted. */
  hide(): Promise<void> {
    return this._whenReady(() => this._setVisibility('hidden'));
  }
  /** From hidden back to minimized. */
  show(): Promise<void> {
    return this._whenReady(() => {
      if (this._vis === 'hidden') this._setVisibility('minimized');
    });
  }
  /** maximized <-> minimized. */
  toggle(): Promise<void> {
    return this._whenReady(() => this._setVisibility(this._vis === 'maximized' ? 'minimized' : 'maximized'));
  }

  /** Switches the runtime language; `locale` is normalised first (rejects `unsupported_locale`). Same as setting `language`. */
  setLanguage(locale: unknown): Promise<unknown> {
    const n = normalizeLocale(locale);
    if (!n) return Promise.reject(new WidgetError('unsupported_locale', invalidValue('language', oneOfText(LOCALES), locale)));
    // The property follows (a later property change re-reads it); the config already has it, so it is sent once.
    if (this._cfg) this._cfg.language = n;
    this.language = n;
    return this._switch('set_language', { locale: n });
  }

  /** Switches the theme (`light` | `dark` | `system`). Same as setting `theme`. */
  setTheme(theme: unknown): Promise<unknown> {
    const themes: readonly unknown[] = CONFIG_FIELDS.theme.values;
    if (!themes.includes(theme)) return Promise.reject(new WidgetError('invalid_payload', invalidValue('theme', oneOfText(CONFIG_FIELDS.theme.values), theme)));
    if (this._cfg) this._cfg.theme = theme as ThemeSetting;
    this.theme = theme as ThemeSetting;
    return this._switch('set_theme', { theme: theme as ThemeSetting });
  }

  /** Reloads the session as a business user. Needs sbs, sbs_mm and ranstr (rejects `login_failed` otherwise). */
  login(payload: unknown): Promise<unknown> {
    // Read by the config rules (own properties, strings, the same caps): one set of rules for the triple and profile.
    // The page's referer and source title stay those of the boot.
    const { login, profile: { referer, source_title, ...profile } } = resolveConfig([payload], { href: '', title: '' }).config;
    if (!login) return Promise.reject(new WidgetError('login_failed', LOGIN_NEEDS));
    return this._afterBridge(async () => {
      const answer = await this._bridge!.command('panel', 'login', { ...login, ...profile });
      // A reloaded panel (element moved) boots as this user too.
      this._cfg!.login = login;
      Object.assign(this._cfg!.profile, profile);
      return answer;
    });
  }

  /**
   * Our extension to the spec: forgets the business user and the identity clue, and boots again as a new anonymous
   * visitor (a shared computer: nothing of the previous person's conversations stays, in the iframes or the page).
   * The lifecycle events fire again (no `destroyed`); a login the page's options or attributes still hold stays dropped.
   */
  logout(): Promise<void> {
    this._out = this._cfg?.login?.sbs_mm;
    // Not idle: a running, booting, or failed widget (a refused login included) boots again, anonymous.
    if (this._phase) {
      this._teardown(new WidgetError('destroyed', 'the widget was destroyed'));
      // An empty clue overwrites the stored one wherever it is kept, and reads as none (parseClue): cheaper in core.js than a removal.
      this._identity.write({ bs: '', bs_mm: '' });
      this._phase = Phase.Idle;
      this._happened.clear(); // a new lifecycle: initialized, bridge_ready… fire again
      this.init();
    }
    return this._whenReady(() => {});
  }

  // ---------------------------------------------------------------- internals

  /** The config: `options` (the shape of window.__twt, own property only) below the element's properties. */
  private _resolve(): ConfigResult {
    const props: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
      const v = (this as unknown as Record<string, unknown>)[propertyOf(key)];
      // false is an unset Boolean attribute, except for an option that is on by default (then it turns it off).
      if (v != null && v !== '' && (v !== false || (CONFIG_FIELDS[key] as ConfigField).on)) props[key] = v;
    }
    const r = resolveConfig([own(this, 'options') ? this.options : undefined, props]);
    // The login logout() dropped stays dropped, though the page's options or attributes still hold it.
    if (r.config.login?.sbs_mm === this._out) r.config.login = undefined;
    return r;
  }

  /** Applies what changed in the config to the running (or booting) widget. */
  private _applyLive() {
    const prev = this._cfg!;
    const next = this._resolve().config;
    // Another app or server (or no valid appid any more): that config boots instead, or fails as it would at boot.
    if (next.appid !== prev.appid || next.server !== prev.server) return this.destroy(), this.init();
    next.login ??= prev.login; // a login() made through the API holds until the page sets another one
    this._cfg = next;
    if (next.theme !== prev.theme) this._switch('set_theme', { theme: next.theme }).catch(() => {});
    if (next.language !== prev.language) this._switch('set_language', { locale: next.language }).catch(() => {});
    this._identity.use(next.appid, next.storage);
    if (next.trackPages !== prev.trackPages || next.trackPageQuery !== prev.trackPageQuery) this._track(next.trackPages);
    if (next.sound !== prev.sound) this._sendView('panel');
    // The launcher comes or goes with the mode; a new icon is in its boot data, so it gets a fresh launcher.
    if ((next.launcher !== prev.launcher || next.icon !== prev.icon) && this._bridge) {
      this._removeLauncher();
      if (next.launcher === 'default') this._addFrame('launcher');
    }
    this._layout();
  }

  private async _mount(app: AppInfo) {
    const cfg = this._cfg!;
    const signal = this._abort!.signal;
    this._app = app;
    this._identity.use(cfg.appid, cfg.storage);
    this._track(cfg.trackPages);
    // The launcher is there already (init). The card iframe is created only once there is a card to show (see setCard).
    this._addFrame('panel');
    await new Promise((r) => setTimeout(r));
    if (signal.aborted) return;
    this._phase = Phase.Ready;
    this._reflectState();
    this._emit('initialized');
    settle(this._booting);
  }

  private _addFrame(s: SurfaceName) {
    const bridge = this._bridge!;
    const f = document.createElement('iframe');
    f.dataset.twtWidgetSurface = s;
    f.title = TITLES[s];
    // The panel's tone (config `sound`): with this permission, Chromium lets the panel's AudioContext start once the
    // visitor has interacted with the host page (sticky user activation of an ancestor frame), not only with the panel.
    // Set before src: a frame's permissions are fixed when it navigates.
    if (s === 'panel') f.allow = 'autoplay';
    f.src = bridge.attach(s, f, this._cfg!.language, this._resolvedTheme());
    f.addEventListener('load', () =>
      this._later(() => {
        this._emit('iframe_loaded', { surface: s });
        bridge.loaded(s);
      }),
    );
    this._frames.set(s, f);
    if (s === 'launcher') this._launcherDrawn = false;
    this._layout();
    // The panel before the launcher in DOM (and tab) order, though created after it.
    if (s !== 'launcher') return s === 'panel' ? this.prepend(f) : this.append(f);
    // A <twt-launcher> placed by the page author hosts it inline; otherwise our own one.
    let host = [...document.querySelectorAll<TwtLauncher>('twt-launcher')].find((l) => l.inline && !l.frame && typeof l.mount === 'function');
    (this._launcherHover = new LauncherHoverRelay(f)).hostConnected();
    if (!host) {
      host = document.createElement('twt-launcher') as TwtLauncher;
      host.setAttribute('data-twt-owned', '');
      this.append(host);
    }
    this._launcherHost = host;
    host.mount(f);
    this._layout();
  }

  /** Bridge traffic that arrives before init() completes is handled right after `initialized`, in order (dropped on teardown). */
  private _later(f: () => void) {
    this._whenReady(f).catch(() => {});
  }

  private _bootFor(surface: SurfaceName): SurfaceBoot {
    const cfg = this._cfg!;
    const boot: SurfaceBoot = {
      appid: cfg.appid,
      hostOrigin: self.origin,
      locale: cfg.language,
      theme: cfg.theme,
      visibility: this._vis,
      sdkVersion: SDK_VERSION,
      scriptTagVersion: TwtChatWidget.scriptTagVersion,
      app: { name: this._app!.name, greeting: this._app!.greeting }, // set before any surface exists
    };
    if (surface === 'launcher' && cfg.icon) boot.icon = cfg.icon;
    if (surface === 'panel') {
      boot.fullScreen = this._narrowViewport.matches;
      boot.profile = { ...cfg.profile };
      if (cfg.login) boot.login = { ...cfg.login };
      const clue = this._identity.read();
      if (clue) boot.clue = clue;
    }
    return boot;
  }

  private _onConnect(surface: SurfaceName) {
    this._sendView(surface);
    if (surface !== 'panel') return;
    this._sendPage();
    if (!this._happened.has('bridge_ready')) this._emit('bridge_ready');
    settle(this._panelWaits);
  }

  private _onSurfaceEvent(name: SurfaceEventName, p: Record<string, unknown> | undefined) {
    switch (name) {
      case 'request_toggle':
        return void this.toggle();
      case 'request_maximize':
        return void this.maximize();
      case 'request_minimize':
        return void this.minimize();
      case 'request_dismiss_card':
        return this._setCard(null);
      case 'pointer_hover':
        return this._launcherHover?.report(p!.over as boolean);
      case 'launcher_drawn':
        this._launcherDrawn = true;
        return this._layout();
      case 'card_content':
        return this._setCard(p!.card as CardContent | null);
      case 'unread_count_changed':
        this._unread = p!.count as number;
        this._reflectState();
        this._sendView();
        break;
      case 'visitor_auth_ready':
        // sanitized: bs and bs_mm are strings; writeIdentity keeps only bs, bs_mm and fk_id
        if (p!.bs && p!.bs_mm) this._identity.write(p as unknown as IdentityClue);
        break;
      case 'auth_closed':
        this._setVisibility('hidden');
        break;
      case 'bootstrap_failed':
        return this._fail(p as unknown as BootstrapFailedPayload);
    }
    this._emit(name, p);
  }

  /** Stops the page tracker, and with `on` starts a fresh one (it reports the current page again). */
  private _track(on?: boolean) {
    this._untrack?.();
    this._untrack = this._page = undefined;
    if (on) this._untrack = trackPages((p) => ((this._page = p), this._sendPage()), this._cfg!.trackPageQuery);
  }

  private _sendPage() {
    if (this._page && this._bridge?.isConnected('panel')) this._bridge.command('panel', 'page_view', this._page).catch(() => {});
  }

  private _removeLauncher() {
    this._launcherHover?.hostDisconnected();
    this._launcherHover = undefined;
    if (this._frames.has('launcher')) this._bridge?.detach('launcher');
    this._frames.get('launcher')?.remove();
    this._frames.delete('launcher');
    if (this._launcherHost?.inline) this._launcherHost.unmount();
    else this._launcherHost?.remove();
    this._launcherHost = undefined;
  }

  private _setCard(card: CardContent | null) {
    this._card = card;
    // The card surface (about 12 KB, a browsing context) is created only once there is something to show.
    if (card && !this._frames.has('card')) this._addFrame('card');
    this._layout();
    this._sendView('card');
  }

  private _setVisibility(v: Visibility) {
    if (v === this._vis || this._phase !== Phase.Ready) return;
    const panel = this._frames.get('panel');
    const had = document.activeElement;
    if (v === 'maximized' && had !== panel) this._returnFocus = had;
    this._vis = v;
    this._reflectState();
    this._layout();
    this._sendView();
    this._emit('visibility_changed', { visibility: v });
    // Focus moves into the panel once its document is there: focused while still loading, Chromium can hand
    // the focus to the cross-site document that replaces about:blank without routing keys to it.
    // Only if it is still open, and focus is still where it was then (the visitor has not moved it meanwhile).
    if (v === 'maximized') this._afterBridge(async () => this._vis === 'maximized' && document.activeElement === had && panel!.focus()).catch(() => {});
    else if (had === panel) {
      // A click into the cross-process launcher may not have moved the host's focus yet (it reads
      // <body>): then the launcher, which opened the panel, gets focus back.
      const back = this._returnFocus as HTMLElement | null;
      const target = back && back !== document.body && back.isConnected && typeof back.focus === 'function' ? back : this._frames.get('launcher');
      if (target) target.focus();
      else panel?.blur();
    }
  }

  /** A theme or language switch for every connected surface; settles with the panel's answer (waiting for the panel). */
  private _switch<K extends 'set_theme' | 'set_language'>(name: K, payload: HostCommands[K]): Promise<unknown> {
    return this._afterBridge(() => {
      for (const s of this._frames.keys()) if (s !== 'panel' && this._bridge!.isConnected(s)) this._bridge!.command(s, name, payload).catch(() => {});
      return this._bridge!.command('panel', name, payload);
    });
  }

  /** `visibility` and `unread-count` attributes, for page CSS and page builders; only while the widget runs. */
  private _reflectState() {
    const running = this._phase === Phase.Ready;
    for (const [name, value] of [['visibility', this._vis], ['unread-count', String(this._unread)]]) {
      if (running) this.setAttribute(name, value);
      else this.removeAttribute(name);
    }
  }

  private _resolvedTheme(): 'light' | 'dark' {
    const t = this._cfg?.theme;
    return t === 'dark' || (t === 'system' && this._systemDark.matches) ? 'dark' : 'light';
  }

  private _layout() {
    const cfg = this._cfg;
    if (!cfg) return;
    const v = this._vis;
    const narrow = this._narrowViewport.matches;
    for (const [s, f] of this._frames) {
      const shown = v !== 'hidden' && (s === 'panel' ? v === 'maximized' : s === 'card' ? v === 'minimized' && !!this._card : !(v === 'maximized' && narrow) && (this._launcherDrawn || !cfg.icon));
      applyStyles(
        f,
        surfaceStyles({
          surface: s,
          shown,
          zIndex: cfg.zIndex ?? DEFAULT_Z_INDEX,
          right: cfg.position.right,
          bottom: cfg.position.bottom,
          narrow,
          colorScheme: this._resolvedTheme(),
          inline: s === 'launcher' && this._launcherHost?.inline,
        }),
      );
      f.setAttribute('aria-hidden', String(!shown));
      if (!shown && s === 'launcher') this._launcherHover?.end(); // a hidden launcher reports no leave
    }
  }

  private _sendView(only?: SurfaceName) {
    for (const s of this._frames.keys()) {
      if ((only && s !== only) || !this._bridge?.isConnected(s)) continue;
      this._bridge.command(s, 'set_view', { visibility: this._vis, unreadCount: this._unread, ...(s === 'card' ? { card: this._card } : s === 'panel' ? { fullScreen: this._narrowViewport.matches, sound: this._cfg!.sound } : {}) }).catch(() => {});
    }
  }

  /**
   * The promise of f's result. Ready: f runs now, synchronously. Before: it waits for `initialized` and runs
   * right after its listeners, in call order (see settle), or rejects with the teardown error. Failed: rejects.
   */
  private _whenReady<T>(f: () => T | Promise<T>): Promise<Awaited<T>> {
    if (this._phase === Phase.Failed) return Promise.reject(new WidgetError('bootstrap_failed', 'the widget failed to boot'));
    return new Promise<Awaited<T>>((resolve, reject) => {
      // A throwing f rejects like a rejected promise (now: thrown in this executor; later: see settle).
      const run = (e?: Error) => (e ? reject(e) : resolve(f() as Awaited<T>));
      if (this._phase === Phase.Ready) run();
      else this._booting.push(run);
    });
  }

  /**
   * Like whenReady, and also waits until the panel runtime accepts commands: run synchronously, in order, when it
   * connects, before anything that comes after the connection (rejected on teardown). A command cut off because the
   * panel iframe reloaded (the page moved the element) is sent once more, to the reconnected panel.
   */
  private _afterBridge<T>(f: () => Promise<T>, retry = true): Promise<T> {
    const run = this._whenReady(() =>
      this._bridge!.isConnected('panel') ? f() : new Promise<T>((resolve, reject) => this._panelWaits.push((e) => (e ? reject(e) : resolve(f())))),
    ) as Promise<T>;
    return retry ? run.catch((e: WidgetError) => (e.reason === 'bridge_reset' ? this._afterBridge(f, false) : Promise.reject(e))) : run;
  }

  /** bootstrap_failed: hide, clean up, forward the payload. */
  private _fail(payload: BootstrapFailedPayload) {
    if (this._phase === Phase.Ready) this._setVisibility('hidden');
    this._teardown(new WidgetError(payload.reason, payload.message ?? payload.reason));
    this._phase = Phase.Failed;
    this._reflectState();
    this._emit('bootstrap_failed', payload);
  }

  private _teardown(reason: Error) {
    this._abort?.abort();
    this._track();
    if (this._bridge) this.removeController(this._bridge), this._bridge.dispose();
    this._bridge = undefined;
    for (const f of this._frames.values()) f.remove();
    this._frames.clear();
    this._removeLauncher();
    this._card = null;
    settle(this._booting, reason);
    settle(this._panelWaits, reason);
    retireActive(this);
  }

  private _emit(name: string, detail?: unknown) {
    if ((LIFECYCLE_EVENTS as readonly string[]).includes(name)) this._happened.add(name);
    this.dispatchEvent(new CustomEvent(domEventName(name), { detail, bubbles: true, composed: true }));
  }
}

// The config properties lit declares from the table (configProperties()), typed from the same table.
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-unsafe-declaration-merging
export interface TwtChatWidget extends WidgetConfigProperties {}
