import { resolveConfig, type WidgetConfig } from '../src/config/config.js';
import { HostBridge, WidgetError, requestBootstrap, BOOTSTRAP_TIMEOUT_MS } from '../src/bridge/host.js';
import { readIdentity, writeIdentity } from '../src/storage/identity.js';
import { normalizeLocale } from '../src/locale/locales.js';
import { SDK_VERSION } from '../src/shim/version.js';
import { activeWidget, announceActive, retireActive } from '../src/shim/active-widget.js';
import { own, type CardContent, type SurfaceBoot, type SurfaceEventName, type SurfaceName, type ThemeSetting, type Visibility } from '../src/protocol/bridge.js';
import type { AppInfo, BootstrapFailedPayload, LoginTriple, VisitorProfile } from '../src/protocol/wire.js';
import { TwtLauncher } from './twt-launcher.js';
import { LauncherHoverRelay } from './launcher-hover-relay.js';
import { applyStyles, surfaceStyles, DEFAULT_Z_INDEX, NARROW_QUERY } from './twt-chat-widget.styles.js';

/** Lifecycle events a late subscriber still gets (see the shim's `on`). */
export const LIFECYCLE_EVENTS = ['initialized', 'bridge_ready', 'runtime_mounted', 'runtime_activated'] as const;

export interface SdkInfo {
  version: string;
  scriptTagVersion: string;
  compatibilityMode: 'off';
  transport: 'mixed';
}

const TITLES: Record<SurfaceName, string> = { launcher: 'Open chat', panel: 'Chat', card: 'Chat message preview' };
type Phase = 'idle' | 'booting' | 'ready' | 'failed';
interface Queued {
  run(): void;
  fail(e: Error): void;
}

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
 * @attr {string} appid - Your project's appid (required).
 * @attr {string} language - Initial language: en, zh-cn, zh-tw, ja, ko, de, fr, pt, ru (case and region variants normalise). Default: the browser's.
 * @attr {'light'|'dark'|'system'} theme - Theme; `system` follows prefers-color-scheme. Default light.
 * @attr {'default'|'custom'} launcher - `custom` creates no launcher iframe. Default `default`.
 * @attr {number} z-index - Stacking level of the surfaces.
 * @attr {boolean} async-init - Do not boot on connect; call `init()`.
 * @attr {string} server - Widget origin, when it is not the origin core.js came from.
 * @attr {'local'|'cookie'|'none'} storage - Where the visitor identity clue is kept first-party. Default `local`.
 * @attr {string} name - Visitor name.
 * @attr {string} nickname - Visitor nickname.
 * @attr {string} email - Visitor email.
 * @attr {string} phone - Visitor phone.
 * @attr {string} referer - Source URL (default: the page URL).
 * @attr {string} source-title - Source title (default: the page title).
 * @attr {string} sbs - Business user id (login triple).
 * @attr {string} sbs-mm - Business user signature (login triple).
 * @attr {string} ranstr - Signature nonce (login triple).
 * @attr {number} offset-right - Distance from the right edge, px (default 20).
 * @attr {number} offset-bottom - Distance from the bottom edge, px (default 20).
 * @attr {string} icon - Launcher image instead of the chat icon: an http(s) URL or a base64 data:image URL.
 *
 * @fires twt-initialized - init() completed: bootstrap accepted, surfaces created.
 * @fires twt-iframe-loaded - A surface iframe loaded; detail `{surface}`.
 * @fires twt-bridge-ready - The panel runtime accepts commands.
 * @fires twt-runtime-mounted - The panel runtime mounted.
 * @fires twt-visitor-auth-ready - Visitor identity resolved; detail per spec.
 * @fires twt-runtime-activated - Initial conversation list resolved.
 * @fires twt-destroyed - The widget was destroyed.
 * @fires twt-visibility-changed - detail `{visibility}`.
 * @fires twt-connection-state-changed - detail `{status}`.
 * @fires twt-session-connected - detail `{status: 'connected'}`.
 * @fires twt-session-disconnected - detail `{status}`.
 * @fires twt-unread-count-changed - detail `{count}`.
 * @fires twt-auth-closed - The server closed visitor auth; the widget is hidden.
 * @fires twt-bootstrap-failed - Embedded boot failed; the widget is hidden and cleaned up.
 */
export class TwtChatWidget extends HTMLElement {
  static observedAttributes = ['theme', 'language'];

  /** Widget origin used when neither `server` nor `options.server` is set (core.js sets its own origin). */
  static defaultServer = '';
  /** The snippet's script tag version (core.js sets it from its URL's `version` query). */
  static scriptTagVersion = '';
  static bootstrapTimeoutMs = BOOTSTRAP_TIMEOUT_MS;
  /** How long a disconnected element waits to be put back (a move) before it tears itself down. */
  static removalGraceMs = 1000;

  /** Config object (the shape of `window.__twt`); attributes win over it. Read when init() runs. */
  options?: Record<string, unknown>;

  private phase: Phase = 'idle';
  private cfg?: WidgetConfig;
  private app?: AppInfo;
  private bridge?: HostBridge;
  private abort?: AbortController;
  private readonly frames = new Map<SurfaceName, HTMLIFrameElement>();
  private launcherHost?: TwtLauncher;
  /** Mouse boundary events on the launcher iframe where the browser fires none (out-of-process frames). */
  private launcherHover?: LauncherHoverRelay;
  private readonly happened = new Set<string>();
  private vis: Visibility = 'minimized';
  private unread = 0;
  private card: CardContent | null = null;
  private queue: Queued[] = [];
  private bridgeQueue: Queued[] = [];
  private cleanups: Array<() => void> = [];
  private returnFocus: Element | null = null;
  private narrow = false;
  private removal?: ReturnType<typeof setTimeout>;

  // No shadow root: the iframes must be reachable by document.querySelector.

  connectedCallback() {
    clearTimeout(this.removal);
    applyStyles(this, { display: 'contents' });
    queueMicrotask(() => {
      if (this.isConnected && this.phase === 'idle' && !this.hasAttribute('async-init') && this.options?.asyncInit !== true) this.init();
    });
  }

  disconnectedCallback() {
    // A page moves the element in steps that may span tasks and frames (Turbo's permanent elements, a portal,
    // a drag-and-drop editor, React StrictMode's unmount/remount): only an element still out of the document
    // after the grace period was really removed, and is torn down.
    clearTimeout(this.removal);
    if (this.phase === 'idle') return; // nothing to tear down (and no timer keeping a removed element alive)
    this.removal = setTimeout(() => {
      if (!this.isConnected && this.phase !== 'idle') this.destroy();
    }, TwtChatWidget.removalGraceMs);
  }

  /** `moveBefore()` keeps the element and its iframes alive (no reload, no reconnect): nothing to do. */
  connectedMoveCallback() {}

  /** A page builder changing `theme` or `language` on a running widget switches it live. */
  attributeChangedCallback(name: string, _old: string | null, value: string | null) {
    if (this.phase !== 'ready' || !value) return;
    const warn = (e: Error) => console.warn('[twt-chat-widget]', e.message);
    if (name === 'theme' && value !== this.cfg!.theme) this.setTheme(value).catch(warn);
    if (name === 'language' && normalizeLocale(value) !== this.cfg!.language) this.setLanguage(value).catch(warn);
  }

  // ---------------------------------------------------------------- state

  /** True once init() has completed (bootstrap accepted, surfaces created), until destroy(). */
  get initialized(): boolean {
    return this.happened.has('initialized');
  }
  /** Lifecycle events that already happened in this instance. */
  get lifecycle(): ReadonlySet<string> {
    return this.happened;
  }
  get visibility(): Visibility {
    return this.vis;
  }
  get unreadCount(): number {
    return this.unread;
  }
  /** The theme setting in effect (`light` | `dark` | `system`). */
  get themeSetting(): ThemeSetting {
    return this.cfg?.theme ?? 'light';
  }
  get sdkInfo(): SdkInfo {
    return { version: SDK_VERSION, scriptTagVersion: TwtChatWidget.scriptTagVersion, compatibilityMode: 'off', transport: 'mixed' };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Boots the widget. Idempotent: a booting or running widget is left alone. */
  init(): void {
    if (this.phase === 'booting' || this.phase === 'ready') return;
    const { config, warnings, error } = resolveConfig([this.options, this.attributeConfig()]);
    for (const w of warnings) console.warn(`[twt-chat-widget] ${w}`);
    const server = config.server || TwtChatWidget.defaultServer;
    const problem = error ?? (server ? '' : 'no widget server: load core.js from the widget server, or set the server attribute / window.__twt.server.');
    if (problem) {
      console.error(`[twt-chat-widget] ${problem}`);
      return this.fail({ reason: 'invalid_bootstrap', source: 'config', mode: 'embedded', message: problem });
    }
    const active = activeWidget<TwtChatWidget>();
    if (active && active !== this && active.isConnected && (active.phase === 'booting' || active.phase === 'ready')) {
      console.warn(`[twt-chat-widget] a widget (appid "${active.cfg?.appid}") is already running on this page; this one stays inert and the first is reused.`);
      return;
    }
    this.phase = 'booting';
    this.cfg = config;
    announceActive(this);
    const abort = (this.abort = new AbortController());
    requestBootstrap(server, config.appid, abort.signal, TwtChatWidget.bootstrapTimeoutMs).then(
      (r) => {
        if (abort.signal.aborted) return;
        if ('failed' in r) this.fail(r.failed);
        else this.mount(server, r.app);
      },
      () => {},
    );
  }

  /** Removes every iframe, listener, observer, timer and port, then fires `destroyed`. Host-side: no runtime confirmation. */
  destroy(): void {
    if (this.phase === 'idle') return;
    this.teardown(new WidgetError('destroyed', 'the widget was destroyed'));
    this.phase = 'idle';
    this.happened.clear();
    this.vis = 'minimized';
    this.unread = 0;
    this.emit('destroyed');
  }

  // ---------------------------------------------------------------- methods (spec: call(...))

  maximize(): Promise<void> {
    return this.whenReady(() => this.setVisibility('maximized'));
  }
  minimize(): Promise<void> {
    return this.whenReady(() => this.setVisibility('minimized'));
  }
  /** Hides everything; the iframes stay mounted. */
  hide(): Promise<void> {
    return this.whenReady(() => this.setVisibility('hidden'));
  }
  /** From hidden back to minimized. */
  show(): Promise<void> {
    return this.whenReady(() => {
      if (this.vis === 'hidden') this.setVisibility('minimized');
    });
  }
  /** maximized <-> minimized. */
  toggle(): Promise<void> {
    return this.whenReady(() => this.setVisibility(this.vis === 'maximized' ? 'minimized' : 'maximized'));
  }

  /** Switches the runtime language; `locale` is normalised first (rejects `unsupported_locale`). */
  setLanguage(locale: unknown): Promise<unknown> {
    const n = normalizeLocale(locale);
    if (!n) return Promise.reject(new WidgetError('unsupported_locale', `${JSON.stringify(locale)} is not a supported language (en, zh-cn, zh-tw, ja, ko, de, fr, pt, ru)`));
    return this.afterBridge(async () => {
      const answer = await this.bridge!.command('panel', 'set_language', { locale: n });
      this.cfg!.language = n;
      this.toOthers((s) => this.bridge!.command(s, 'set_language', { locale: n }));
      return answer;
    });
  }

  /** Switches the theme (`light` | `dark` | `system`). */
  setTheme(theme: unknown): Promise<unknown> {
    if (theme !== 'light' && theme !== 'dark' && theme !== 'system') return Promise.reject(new WidgetError('invalid_payload', `theme must be "light", "dark" or "system"; got ${JSON.stringify(theme)}`));
    return this.whenReady(() => {
      this.cfg!.theme = theme;
      this.layout();
      return this.afterBridge(() => {
        this.toOthers((s) => this.bridge!.command(s, 'set_theme', { theme }));
        return this.bridge!.command('panel', 'set_theme', { theme });
      });
    });
  }

  /** Reloads the session as a business user. Needs sbs, sbs_mm and ranstr (rejects `login_failed` otherwise). */
  login(payload: unknown): Promise<unknown> {
    const p = (payload ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof p === 'object' && own(p, k) && typeof p[k] === 'string' ? (p[k] as string).slice(0, 2000) : undefined);
    const login = { sbs: str('sbs'), sbs_mm: str('sbs_mm'), ranstr: str('ranstr') };
    if (!login.sbs || !login.sbs_mm || !login.ranstr) return Promise.reject(new WidgetError('login_failed', 'login needs sbs, sbs_mm and ranstr (non-empty strings)'));
    const profile: VisitorProfile = {};
    for (const k of ['name', 'nickname', 'email', 'phone'] as const) if (str(k) !== undefined) profile[k] = str(k)!.slice(0, 200);
    return this.afterBridge(async () => {
      const answer = await this.bridge!.command('panel', 'login', { ...(login as LoginTriple), ...profile });
      // A reloaded panel (element moved) boots as this user too.
      this.cfg!.login = login as LoginTriple;
      Object.assign(this.cfg!.profile, profile);
      return answer;
    });
  }

  // ---------------------------------------------------------------- internals

  private attributeConfig(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const map: Record<string, string> = {
      appid: 'appid', language: 'language', theme: 'theme', launcher: 'launcher', zIndex: 'z-index', server: 'server', storage: 'storage',
      name: 'name', nickname: 'nickname', email: 'email', phone: 'phone', referer: 'referer', source_title: 'source-title',
      sbs: 'sbs', sbs_mm: 'sbs-mm', ranstr: 'ranstr', right: 'offset-right', bottom: 'offset-bottom', icon: 'icon',
    };
    for (const k in map) {
      const v = this.getAttribute(map[k]);
      if (v) out[k] = v;
    }
    if (this.hasAttribute('async-init')) out.asyncInit = true;
    return out;
  }

  private async mount(server: string, app: AppInfo) {
    const cfg = this.cfg!;
    const signal = this.abort!.signal;
    this.app = app;
    this.bridge = new HostBridge({
      origin: server,
      appid: cfg.appid,
      boot: (s) => this.bootFor(s),
      onConnect: (s) => this.later(() => this.onConnect(s)),
      onEvent: (_s, n, p) => this.later(() => this.onSurfaceEvent(n, p)),
    });
    const watch = (query: string, f: (m: boolean) => void) => {
      const mq = matchMedia(query);
      const on = () => (f(mq.matches), this.layout());
      f(mq.matches);
      mq.addEventListener('change', on);
      this.cleanups.push(() => mq.removeEventListener('change', on));
    };
    watch(NARROW_QUERY, (m) => ((this.narrow = m), this.sendView('panel')));
    watch('(prefers-color-scheme: dark)', () => {}); // theme `system` follows the OS live
    this.vis = 'minimized';

    // The card iframe is created only once there is a card to show (see setCard).
    for (const s of ['panel', 'launcher'] as const) {
      if (s === 'launcher' && cfg.launcher === 'custom') continue;
      this.addFrame(s);
      // One iframe per task: creating browsing contexts is the costly part of booting; never block the page with it.
      await new Promise((r) => setTimeout(r));
      if (signal.aborted) return;
    }
    this.phase = 'ready';
    this.emit('initialized');
    const q = this.queue;
    this.queue = [];
    for (const c of q) c.run();
  }

  private addFrame(s: SurfaceName) {
    const bridge = this.bridge!;
    const f = document.createElement('iframe');
    f.dataset.twtWidgetSurface = s;
    f.title = TITLES[s];
    f.src = bridge.attach(s, f, this.cfg!.language, this.resolvedTheme());
    f.addEventListener('load', () =>
      this.later(() => {
        this.emit('iframe_loaded', { surface: s });
        bridge.loaded(s);
      }),
    );
    this.frames.set(s, f);
    this.layout();
    if (s !== 'launcher') return this.append(f);
    // A <twt-launcher> placed by the page author hosts it inline; otherwise our own one.
    let host = [...document.querySelectorAll<TwtLauncher>('twt-launcher')].find((l) => l.inline && !l.frame && typeof l.mount === 'function');
    const hover = (this.launcherHover = new LauncherHoverRelay(f));
    hover.hostConnected();
    this.cleanups.push(() => (hover.hostDisconnected(), (this.launcherHover = undefined)));
    if (!host) {
      host = document.createElement('twt-launcher') as TwtLauncher;
      host.setAttribute('data-twt-owned', '');
      this.append(host);
    }
    this.launcherHost = host;
    host.mount(f);
    this.layout();
  }

  /** Bridge traffic that arrives before init() completes is handled right after `initialized`, in order. */
  private later(f: () => void) {
    if (this.phase === 'ready') f();
    else this.queue.push({ run: f, fail() {} });
  }

  private bootFor(surface: SurfaceName): SurfaceBoot {
    const cfg = this.cfg!;
    const boot: SurfaceBoot = {
      appid: cfg.appid,
      hostOrigin: self.origin,
      locale: cfg.language,
      theme: cfg.theme,
      visibility: this.vis,
      sdkVersion: SDK_VERSION,
      scriptTagVersion: TwtChatWidget.scriptTagVersion,
      app: { name: this.app?.name ?? '', greeting: this.app?.greeting ?? '' },
    };
    if (surface === 'launcher' && cfg.icon) boot.icon = cfg.icon;
    if (surface === 'panel') {
      boot.fullScreen = this.narrow;
      boot.profile = { ...cfg.profile };
      if (cfg.login) boot.login = { ...cfg.login };
      const clue = readIdentity(cfg.appid, cfg.storage);
      if (clue) boot.clue = clue;
    }
    return boot;
  }

  private onConnect(surface: SurfaceName) {
    this.sendView(surface);
    if (surface !== 'panel') return;
    if (!this.happened.has('bridge_ready')) this.emit('bridge_ready');
    const q = this.bridgeQueue;
    this.bridgeQueue = [];
    for (const c of q) c.run();
  }

  private onSurfaceEvent(name: SurfaceEventName, p: Record<string, unknown> | undefined) {
    switch (name) {
      case 'request_toggle':
        return void this.toggle();
      case 'request_maximize':
        return void this.maximize();
      case 'request_minimize':
        return void this.minimize();
      case 'request_dismiss_card':
        return this.setCard(null);
      case 'pointer_hover':
        return this.launcherHover?.report(p!.over as boolean);
      case 'card_content':
        return this.setCard(p!.card as CardContent | null);
      case 'unread_count_changed':
        this.unread = p!.count as number;
        this.sendView();
        break;
      case 'visitor_auth_ready':
        if (p!.bs && p!.bs_mm) writeIdentity(this.cfg!.appid, { bs: p!.bs as string, bs_mm: p!.bs_mm as string, fk_id: p!.fk_id as string }, this.cfg!.storage);
        break;
      case 'auth_closed':
        this.setVisibility('hidden');
        break;
      case 'bootstrap_failed':
        return this.fail(p as unknown as BootstrapFailedPayload);
    }
    this.emit(name, p);
  }

  private setCard(card: CardContent | null) {
    this.card = card;
    // The card surface (about 12 KB, a browsing context) is created only once there is something to show.
    if (card && !this.frames.has('card')) this.addFrame('card');
    this.layout();
    this.sendView('card');
  }

  private setVisibility(v: Visibility) {
    if (v === this.vis || this.phase !== 'ready') return;
    const panel = this.frames.get('panel');
    const had = document.activeElement;
    if (v === 'maximized' && had !== panel) this.returnFocus = had;
    this.vis = v;
    this.layout();
    this.sendView();
    this.emit('visibility_changed', { visibility: v });
    if (v === 'maximized') panel?.focus();
    else if (had === panel) {
      // A click into the cross-process launcher may not have moved the host's focus yet (it reads
      // <body>): then the launcher, which opened the panel, gets focus back.
      const back = this.returnFocus as HTMLElement | null;
      const target = back && back !== document.body && back.isConnected && typeof back.focus === 'function' ? back : this.frames.get('launcher');
      if (target) target.focus();
      else panel?.blur();
    }
  }

  private resolvedTheme(): 'light' | 'dark' {
    const t = this.cfg?.theme;
    return t === 'dark' || (t === 'system' && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light';
  }

  private layout() {
    const cfg = this.cfg;
    if (!cfg) return;
    const v = this.vis;
    for (const [s, f] of this.frames) {
      const shown = v !== 'hidden' && (s === 'panel' ? v === 'maximized' : s === 'card' ? v === 'minimized' && !!this.card : !(v === 'maximized' && this.narrow));
      applyStyles(
        f,
        surfaceStyles({
          surface: s,
          shown,
          zIndex: cfg.zIndex ?? DEFAULT_Z_INDEX,
          right: cfg.position.right,
          bottom: cfg.position.bottom,
          narrow: this.narrow,
          colorScheme: this.resolvedTheme(),
          inline: s === 'launcher' && this.launcherHost?.inline,
        }),
      );
      f.setAttribute('aria-hidden', String(!shown));
      if (!shown && s === 'launcher') this.launcherHover?.end(); // a hidden launcher reports no leave
    }
  }

  private sendView(only?: SurfaceName) {
    for (const s of this.frames.keys()) {
      if ((only && s !== only) || !this.bridge?.isConnected(s)) continue;
      this.bridge.command(s, 'set_view', { visibility: this.vis, unreadCount: this.unread, ...(s === 'card' ? { card: this.card } : s === 'panel' ? { fullScreen: this.narrow } : {}) }).catch(() => {});
    }
  }

  private toOthers(f: (s: SurfaceName) => Promise<unknown>) {
    for (const s of this.frames.keys()) if (s !== 'panel' && this.bridge?.isConnected(s)) f(s).catch(() => {});
  }

  /** Runs `f` now when ready, queues it (in order) while booting, rejects after a failure. */
  private whenReady<T>(f: () => T | Promise<T>): Promise<Awaited<T>> {
    if (this.phase === 'failed') return Promise.reject(new WidgetError('bootstrap_failed', 'the widget failed to boot; see the bootstrap_failed event'));
    return new Promise<Awaited<T>>((resolve, reject) => {
      const c: Queued = {
        run: () => {
          try {
            Promise.resolve(f()).then(resolve as (v: unknown) => void, reject);
          } catch (e) {
            reject(e);
          }
        },
        fail: reject,
      };
      if (this.phase === 'ready') c.run();
      else this.queue.push(c);
    }) as Promise<Awaited<T>>;
  }

  /**
   * Like whenReady, and also waits until the panel runtime accepts commands. A command cut off because the
   * panel iframe reloaded (the page moved the element) is sent once more, to the reconnected panel.
   */
  private afterBridge<T>(f: () => Promise<T>, retry = true): Promise<T> {
    const run = this.whenReady(() =>
      this.bridge!.isConnected('panel') ? f() : new Promise<T>((resolve, reject) => this.bridgeQueue.push({ run: () => f().then(resolve, reject), fail: reject })),
    ) as Promise<T>;
    return retry ? run.catch((e: WidgetError) => (e.reason === 'bridge_reset' ? this.afterBridge(f, false) : Promise.reject(e))) : run;
  }

  /** bootstrap_failed: hide, clean up, forward the payload. */
  private fail(payload: BootstrapFailedPayload) {
    if (this.phase === 'ready') this.setVisibility('hidden');
    this.teardown(new WidgetError(payload.reason, payload.message ?? `bootstrap failed: ${payload.reason}`));
    this.phase = 'failed';
    this.emit('bootstrap_failed', payload);
  }

  private teardown(reason: Error) {
    this.abort?.abort();
    this.bridge?.dispose();
    this.bridge = undefined;
    for (const f of this.frames.values()) f.remove();
    this.frames.clear();
    if (this.launcherHost?.inline) this.launcherHost.unmount();
    else this.launcherHost?.remove();
    this.launcherHost = undefined;
    for (const c of this.cleanups) c();
    this.cleanups = [];
    this.card = null;
    const pending = [...this.queue, ...this.bridgeQueue];
    this.queue = [];
    this.bridgeQueue = [];
    for (const c of pending) c.fail(reason);
    retireActive(this);
  }

  private emit(name: string, detail?: unknown) {
    if ((LIFECYCLE_EVENTS as readonly string[]).includes(name)) this.happened.add(name);
    this.dispatchEvent(new CustomEvent(`twt-${name.replace(/_/g, '-')}`, { detail, bubbles: true, composed: true }));
  }
}
