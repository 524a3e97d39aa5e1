/**
 * End-to-end harness: the real widget server on 127.0.0.1 (fresh store, seeded
 * demo app), a separate "host site" on http://localhost:<port> serving demo/
 * (a different origin, as in production), Debian's Chromium driven by
 * playwright-core, and the agent REST API. One harness per test file: one
 * server, one browser (`e2eHarness()` starts and closes it); every test gets a
 * fresh browser context (fresh storage): `withPage(e2e, path, async (page) => …)`
 * opens it and closes it whatever the test does. `until` and `sleep` are the
 * shared ones (test/helpers/wait.ts), with this file's bound.
 */
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { handleDemoRoutes } from '../../../server/demo-login.js';
import { hashPassword } from '../../../server/passwords.js';
import { WIDGET_EVENTS, domEventName, surfacePage, type WidgetEventName } from '../../../src/shared/bridge-protocol.js';
import { sleep, until, untilDefaults } from '../wait.js';

export { sleep, until };

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const DEMO_DIR = join(ROOT, 'demo');
export const AGENT_KEY = 'demo-agent-key';
/** The dev seed's admin sign-in (server/config.ts; the seed is on in e2e servers). */
export const DEMO_ADMIN = { email: 'admin@example.test', password: 'demo-admin-password' } as const;
export const CORE_PATH = '/install/core.js?version=v1.2';

/** Generous but bounded waits (2 cores, a real browser, a real server). */
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS) || 15_000;
// `until` in an e2e file: the same bound, and no faster than a page round trip is worth.
Object.assign(untilDefaults, { timeout: TIMEOUT, every: 100 });

/** The spec's events (the public rows of the one event table); the host dispatches each as the DOM event domEventName(name). */
export const SPEC_EVENTS = WIDGET_EVENTS;
export type SpecEvent = WidgetEventName;

interface WidgetServer {
  url: string;
  data: {
    apps: { get(appid: string): Promise<{ secret: string } | null>; create(app: { appid: string; name: string; secret: string; greeting?: string; domains: string[] }): Promise<boolean> };
    agents: {
      create(agent: { name: string; key: string; appid: string | null }): Promise<boolean>;
      createAccount(agent: { email: string; name: string; passwordHash: string; role: 'admin' | 'agent'; appid: string | null }): Promise<unknown>;
    };
    /** The server's own store: for a test that needs rows in bulk (hundreds of conversations) faster than visitors could make them. */
    store: { query(sql: string, params?: unknown[]): Promise<unknown[]> };
  };
  close(): Promise<void>;
}

export interface E2E {
  /** Widget origin W, e.g. http://127.0.0.1:41234 */
  widgetUrl: string;
  /** Host site origin H, e.g. http://localhost:41235 (serves demo/ under /demo/) */
  hostUrl: string;
  server: WidgetServer;
  browser: Browser;
  /**
   * A second Chromium with cross-site iframes kept in-process, launched on first
   * use: there the browser itself fires mouseenter/mouseleave on an <iframe>
   * element, which it never does for an out-of-process one (the default). A run
   * here proves the widget adds no duplicate of what the browser fires; it is
   * never the way a product bug is made to pass (the default browser is).
   */
  inProcessFramesBrowser(): Promise<Browser>;
  agent: AgentApi;
  /** Stops the widget server and starts it again on the same port and store (a deploy or crash-restart). */
  restartServer(downtimeMs?: number): Promise<void>;
  /** Creates an app with these trusted domains through the server's store. */
  createApp(appid: string, domains: string[]): Promise<void>;
  /** Creates an agent account (role `agent` unless told) who signs in to the console with this email and password. */
  createAgentAccount(agent: { email: string; name: string; password: string; role?: 'admin' | 'agent'; appid: string | null }): Promise<void>;
  close(): Promise<void>;
}

export interface HostSiteOptions {
  /**
   * More folders the host site serves, by URL prefix (e.g. `{ '/integrations/': dir }`), with the same
   * core.js rewriting as demo/: their pages write `/install/core.js?version=v1.2` and get the widget server's.
   */
  mounts?: Record<string, string>;
}

/** `serverOptions`: more options of the widget server (e.g. `tokenTtlSeconds`); `site`: what the host site serves besides demo/. */
export async function startE2E(serverOptions: Record<string, unknown> = {}, site: HostSiteOptions = {}): Promise<E2E> {
  const dataDir = await mkdtemp(join(tmpdir(), 'twt-e2e-'));
  // Imported lazily so a missing/broken server part fails the tests with its own error, not the file's import.
  const { startServer } = (await import('../../../server/app.js')) as { startServer(o: Record<string, unknown>): Promise<WidgetServer> };
  const { ONE_ADDRESS_MANY_VISITORS } = await import('../../../server/limits.js');
  // Every visitor of the e2e browser comes from loopback: the per-address limits are out of the way.
  const options = { port: 0, host: '127.0.0.1', dataDir, seed: true, quiet: true, testMode: true, limits: ONE_ADDRESS_MANY_VISITORS, ...serverOptions };
  let server = await startServer(options);
  const widgetUrl = server.url;
  // The host site and createApp() reach the current server through this, across restarts.
  const current: WidgetServer = {
    url: widgetUrl,
    data: { apps: { get: (a) => server.data.apps.get(a), create: (a) => server.data.apps.create(a) }, agents: { create: (a) => server.data.agents.create(a), createAccount: (a) => server.data.agents.createAccount(a) }, store: { query: (sql, params) => server.data.store.query(sql, params) } },
    close: () => server.close(),
  };
  let host: Server | undefined;
  let browser: Browser | undefined;
  try {
    host = await startHostSite(widgetUrl, current, { '/demo/': DEMO_DIR, ...site.mounts });
    const addr = host.address();
    const hostUrl = `http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await launchChromium();
    const b = browser;
    const h = host;
    let second: Promise<Browser> | undefined;
    return {
      widgetUrl,
      hostUrl,
      server: current,
      browser: b,
      inProcessFramesBrowser() {
        second ??= launchChromium(['--disable-site-isolation-trials']);
        return second;
      },
      agent: new AgentApi(widgetUrl, AGENT_KEY),
      async restartServer(downtimeMs = 500) {
        await server.close();
        await sleep(downtimeMs);
        server = await startServer({ ...options, port: Number(new URL(widgetUrl).port) });
      },
      async createApp(appid, domains) {
        const ok = await server.data.apps.create({ appid, name: `E2E ${appid}`, secret: `${appid}-secret`, greeting: 'Hello from e2e', domains });
        if (!ok) throw new Error(`app ${appid} already exists`);
      },
      async createAgentAccount({ password, role = 'agent', ...agent }) {
        await server.data.agents.createAccount({ ...agent, role, passwordHash: await hashPassword(password) });
      },
      async close() {
        await b.close().catch(() => {});
        if (second) await (await second.catch(() => null))?.close().catch(() => {});
        await new Promise<void>((ok) => {
          h.close(() => ok());
          h.closeAllConnections();
        });
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    host?.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The harness of a test file (or of one describe block, called inside it): started before the first test,
 * closed after the last, by node:test hooks. The object is filled in when the tests run: use it in tests,
 * hooks and the helpers they call, not at import.
 */
export function e2eHarness(serverOptions: Record<string, unknown> = {}, site: HostSiteOptions = {}): E2E {
  const e2e = {} as E2E;
  before(async () => {
    Object.assign(e2e, await startE2E(serverOptions, site));
  });
  after(async () => {
    await e2e.close?.();
  });
  return e2e;
}

function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', ...extraArgs],
    timeout: 60_000,
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The host site: demo/ under /demo/ (and any other `mounts`) with core.js pointing at the widget server
 * (absolute URL, so the host page and the widget are different origins), the
 * demo routes (login signer, vue), and `/as/<appid>/demo/...`, the same pages
 * with the appid swapped (to embed an app that does not trust this origin).
 */
async function startHostSite(widgetUrl: string, server: WidgetServer, mounts: Record<string, string>): Promise<Server> {
  // Longest prefix first, so a mount inside another one wins.
  const byPrefix = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);
  const site = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      // The demo pages embed appid "demo", the app the widget server seeds.
      if (await handleDemoRoutes({ apps: server.data.apps }, req, res, url, { appid: 'demo', enabled: true })) return;
      let path = url.pathname;
      let appid: string | null = null;
      const as = /^\/as\/([a-z0-9_-]{1,64})(\/demo\/.*)$/.exec(path);
      if (as) [appid, path] = [as[1]!, as[2]!];
      const mount = byPrefix.find(([prefix]) => path.startsWith(prefix));
      if (!mount) return void res.writeHead(404).end('not found');
      const [prefix, dir] = mount;
      const file = resolve(dir, '.' + decodeURIComponent(path.slice(prefix.length - 1)).replace(/\/$/, '/index.html'));
      if (!file.startsWith(resolve(dir) + sep)) return void res.writeHead(404).end('not found');
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) return void res.writeHead(404).end('not found');
      let body: string | Buffer = await readFile(file);
      if (extname(file) === '.html') {
        let text = body.toString('utf8').split(CORE_PATH).join(`${widgetUrl}${CORE_PATH}`);
        if (appid) text = text.replace(/appid: "demo"/g, `appid: "${appid}"`).replace(/appid="demo"/g, `appid="${appid}"`);
        body = text;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    })().catch((err) => {
      console.error('e2e host site:', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((ok, fail) => {
    site.once('error', fail);
    site.listen(0, '127.0.0.1', () => ok());
  });
  return site;
}

// ---------------------------------------------------------------------------
// Pages

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page and its frames. */
  errors: string[];
  /** Fails the test on console errors not matched by `allowed`. */
  assertNoUnexpectedErrors(allowed?: RegExp[]): void;
  close(): Promise<void>;
}

/** Records every spec event dispatched as a DOM event, from the first script on. */
function recorderScript(events: readonly (readonly [name: string, domEvent: string])[]) {
  const w = window as unknown as { __e2e?: { events: { name: string; detail: unknown; t: number }[] } };
  w.__e2e = { events: [] };
  for (const [name, domEvent] of events) {
    window.addEventListener(
      domEvent,
      (e) => {
        let detail: unknown = null;
        try {
          detail = JSON.parse(JSON.stringify((e as CustomEvent).detail ?? null));
        } catch {
          detail = String((e as CustomEvent).detail);
        }
        w.__e2e!.events.push({ name, detail, t: Date.now() });
      },
      true,
    );
  }
}

/**
 * Opens `path` on the host site in a fresh context; an absolute URL (e.g. the
 * agent console on the widget origin) is opened as is. `context` overrides
 * the context options (viewport, isMobile, hasTouch…).
 */
export interface OpenPageOptions {
  waitUntil?: 'load' | 'domcontentloaded';
  inProcessFrames?: boolean;
  context?: BrowserContextOptions;
}

export async function openPage(e2e: E2E, path: string, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const browser = options.inProcessFrames ? await e2e.inProcessFramesBrowser() : e2e.browser;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options.context });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(`console.error [${msg.location().url}]: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('crash', () => errors.push('page crashed'));
  await page.addInitScript(recorderScript, SPEC_EVENTS.map((name) => [name, domEventName(name)] as const));
  await page.goto(/^https?:\/\//.test(path) ? path : e2e.hostUrl + path, { waitUntil: options.waitUntil ?? 'load' });
  return {
    page,
    context,
    errors,
    assertNoUnexpectedErrors(allowed = []) {
      const unexpected = errors.filter((e) => !allowed.some((re) => re.test(e)));
      if (unexpected.length) throw new Error(`unexpected errors in the page:\n  ${unexpected.join('\n  ')}`);
    },
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/**
 * Opens `path` as `openPage` does, runs `body` with the page (and the opened page: its context, errors and
 * `assertNoUnexpectedErrors`), and closes the context whatever `body` does. Returns what `body` returns.
 */
export function withPage<T>(e2e: E2E, path: string, body: (page: Page, opened: OpenedPage) => Promise<T>): Promise<T>;
export function withPage<T>(e2e: E2E, path: string, options: OpenPageOptions, body: (page: Page, opened: OpenedPage) => Promise<T>): Promise<T>;
export async function withPage<T>(
  e2e: E2E,
  path: string,
  ...args: [(page: Page, opened: OpenedPage) => Promise<T>] | [OpenPageOptions, (page: Page, opened: OpenedPage) => Promise<T>]
): Promise<T> {
  const [options, body] = args.length === 1 ? [{}, args[0]] : args;
  const opened = await openPage(e2e, path, options);
  try {
    return await body(opened.page, opened);
  } finally {
    await opened.close();
  }
}

export interface RecordedEvent {
  name: SpecEvent;
  detail: any;
  t: number;
}

export async function events(page: Page, name?: SpecEvent): Promise<RecordedEvent[]> {
  const all = await page.evaluate(() => (window as any).__e2e?.events ?? []);
  return name ? all.filter((e: RecordedEvent) => e.name === name) : all;
}

/** Waits until the page has dispatched `name` (optionally with a detail matching `match`, compared field by field). */
export async function waitForEvent(page: Page, name: SpecEvent, match: Record<string, unknown> = {}, timeout = TIMEOUT): Promise<RecordedEvent> {
  try {
    const handle = await page.waitForFunction(
      ([n, m]) => {
        const list: any[] = (window as any).__e2e?.events ?? [];
        return list.find((e) => e.name === n && Object.entries(m).every(([k, v]) => e.detail && e.detail[k] === v)) ?? false;
      },
      [name, match] as const,
      { timeout, polling: 50 },
    );
    return (await handle.jsonValue()) as RecordedEvent;
  } catch (err) {
    const seen = (await events(page).catch(() => [])).map((e) => `${e.name} ${JSON.stringify(e.detail)}`);
    throw new Error(`no "${name}" event ${JSON.stringify(match)} within ${timeout} ms; events seen:\n  ${seen.join('\n  ') || '(none)'}\n${String(err)}`);
  }
}

/** Waits until `fn` (run in the page, or in one of its frames) returns something truthy; returns it. */
export async function waitFor<T>(page: Page | Frame, fn: (arg: any) => T, arg?: unknown, what = 'condition', timeout = TIMEOUT): Promise<T> {
  try {
    const handle = await page.waitForFunction(fn as any, arg, { timeout, polling: 50 });
    return (await handle.jsonValue()) as T;
  } catch (err) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}: ${String(err).split('\n')[0]}`);
  }
}

export const surfaceSelector = (surface: 'launcher' | 'panel' | 'card') => `iframe[data-twt-widget-surface="${surface}"]`;

/** The frame of a surface's own document (out of process under site isolation), once it has committed; undefined before. */
export const surfaceFrame = (page: Page, surface: 'launcher' | 'panel' | 'card'): Frame | undefined => {
  const pages = (['light', 'dark'] as const).map((theme) => `/widget/${surfacePage(surface, theme)}?`);
  return page.frames().find((f) => pages.some((p) => f.url().includes(p)));
};

/**
 * Where the widget lives is `page`, or a FrameLocator when the widget is inside a frame of the page
 * (a page builder's canvas); the same holds for the visitor helpers below.
 */
export type WidgetHost = Page | FrameLocator;

export function surface(page: WidgetHost, name: 'launcher' | 'panel' | 'card'): FrameLocator {
  return page.frameLocator(surfaceSelector(name));
}

export async function surfaceCount(page: Page, name?: 'launcher' | 'panel' | 'card'): Promise<number> {
  return page.locator(name ? surfaceSelector(name) : 'iframe[data-twt-widget-surface]').count();
}

/**
 * The theme the panel renders, as the visitor sees it: its document's `data-theme`, else its color-scheme.
 * Takes a FrameLocator, so a panel nested deeper (a page builder's canvas frame) works too.
 */
export function panelTheme(panel: FrameLocator): Promise<string> {
  return panel.locator('html').evaluate((html) => html.getAttribute('data-theme') || getComputedStyle(html).colorScheme);
}

/** The panel document's language (`<html lang>`, lower case). */
export function panelLanguage(panel: FrameLocator): Promise<string> {
  return panel.locator('html').evaluate((html) => (html as HTMLElement).lang.toLowerCase());
}

/** The widget's visibility as `window.TWTChatWidget.get('state')` reports it. */
export async function visibility(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).TWTChatWidget.get('state').visibility);
}

export async function waitForVisibility(page: Page, v: 'maximized' | 'minimized' | 'hidden'): Promise<void> {
  await waitFor(
    page,
    (want: string) => {
      try {
        return (window as any).TWTChatWidget.get('state').visibility === want;
      } catch {
        return false;
      }
    },
    v,
    `visibility ${v}`,
  );
}

/** Waits for `initialized` and the launcher iframe on screen; returns that iframe's locator. */
export async function shownLauncher(page: Page): Promise<Locator> {
  await waitForEvent(page, 'initialized');
  const launcher = page.locator(surfaceSelector('launcher'));
  await launcher.waitFor({ state: 'visible' });
  return launcher;
}

/**
 * The visitor opens the chat from the launcher and, once it is connected, sends a message the panel then
 * shows; returns that message's text (unique, from `prefix`).
 */
export async function openChatAndSay(page: Page, prefix: string): Promise<string> {
  await clickLauncher(page);
  await waitForVisibility(page, 'maximized');
  await waitForEvent(page, 'session_connected');
  const text = unique(prefix);
  await visitorSend(page, text);
  await panelShows(page, text);
  return text;
}

/** Clicks the built-in launcher like a visitor (inside its cross-origin iframe). */
export async function clickLauncher(page: WidgetHost): Promise<void> {
  await surface(page, 'launcher').locator('button').first().click();
}

/**
 * True when keys typed on the page reach the panel's composer: the page's focus is on the panel iframe and
 * the panel document's is on its composer (a real keyboard path, unlike a locator's fill, which focuses the
 * element itself first).
 */
export async function composerHasFocus(page: Page): Promise<boolean> {
  const panel = page.locator(surfaceSelector('panel'));
  if (!(await panel.evaluate((el) => document.activeElement === el))) return false;
  const frame = await (await panel.elementHandle())!.contentFrame();
  return frame!.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.tagName === 'TEXTAREA';
  });
}

/** Types into the panel's composer and presses Enter, like a visitor. */
export async function visitorSend(page: WidgetHost, text: string): Promise<void> {
  const composer = surface(page, 'panel').locator('textarea').first();
  await composer.waitFor({ state: 'visible' });
  await composer.fill(text);
  const typed = await composer.inputValue();
  if (typed !== text) {
    // Where the keys went instead (fill focuses the composer itself, then types through the page's focused frame).
    const inPanel = await composer.evaluate((el: HTMLTextAreaElement) => ({ panelDocumentHasFocus: document.hasFocus(), composerFocused: (el.getRootNode() as ShadowRoot).activeElement === el, composerDisabled: el.disabled }));
    const hostActive = 'evaluate' in page ? await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? null) : '(nested frame)';
    throw new Error(`the composer did not take the typed text (it holds ${JSON.stringify(typed)}): the keyboard focus is not in the panel; ${JSON.stringify({ ...inPanel, hostActive })}`);
  }
  await composer.press('Enter');
}

/** Fills and sends the console's sign-in form (/console/) like an agent. */
export async function fillConsoleSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the panel shows `text` (a visitor or agent message). */
export async function panelShows(page: WidgetHost, text: string, timeout = TIMEOUT): Promise<void> {
  await surface(page, 'panel').getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout });
}

export const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 8)}`;

/**
 * A whole exchange as the two people see it: the visitor sends a message from the panel, the agent REST API
 * receives it and answers, the panel shows the answer. Returns the conversation and the answer's text.
 */
export async function chatRoundTrip(e2e: E2E, where: WidgetHost, who: string): Promise<{ conversation: any; reply: string }> {
  const text = unique(`hi from ${who}`);
  await visitorSend(where, text);
  const conversation = await e2e.agent.waitForVisitorMessage(text).catch(async (err: Error) => {
    // Say what the visitor saw: the message pending, refused, or nowhere (the composer lost it).
    const panel = surface(where, 'panel');
    const seen = await panel.locator('.list').innerText({ timeout: 2000 }).catch((e: Error) => `(panel unreadable: ${e.message.split('\n')[0]})`);
    const pending = await panel.locator('.msg.pending').count().catch(() => -1);
    const draft = await panel.locator('textarea').first().inputValue({ timeout: 2000 }).catch(() => '(no composer)');
    err.message += `\n  the panel showed (${pending} pending, composer holds ${JSON.stringify(draft)}):\n    ${seen.replace(/\n+/g, ' | ')}`;
    const convs = await e2e.agent.conversations().catch(() => []);
    err.message += `\n  agent sees ${convs.length} conversations: ${JSON.stringify(convs.map((c: any) => [c.id, c.lastSeq, c.lastMessage?.text]))}`;
    throw err;
  });
  const reply = unique(`hello ${who} visitor`);
  await e2e.agent.reply(conversation.id, reply);
  await panelShows(where, reply);
  return { conversation, reply };
}

// ---------------------------------------------------------------------------
// Agent REST API

export class AgentApi {
  constructor(
    readonly base: string,
    readonly key: string,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`agent API ${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  async conversations(): Promise<any[]> {
    return (await this.request('GET', '/v1/agent/conversations')).conversations;
  }

  async messages(conversationId: string): Promise<any[]> {
    return (await this.request('GET', `/v1/agent/conversations/${encodeURIComponent(conversationId)}/messages`)).messages;
  }

  /** Polls until a conversation holds a visitor message with exactly `text`; returns that conversation. */
  async waitForVisitorMessage(text: string, timeout = TIMEOUT): Promise<any> {
    const holding = async () => {
      for (const c of await this.conversations()) {
        if (c.lastMessage?.text === text) return c;
        if (c.lastSeq > 0 && (await this.messages(c.id)).some((m) => m.author === 'visitor' && m.text === text)) return c;
      }
      return null;
    };
    return until(holding, `the agent to see the visitor message ${JSON.stringify(text)}`, { timeout, every: 200 });
  }

  async reply(conversationId: string, text: string): Promise<any> {
    return (await this.request('POST', `/v1/agent/conversations/${encodeURIComponent(conversationId)}/messages`, { text })).message;
  }
}
