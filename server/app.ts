/**
 * startServer(): the whole chat server in one process. HTTP (static files and
 * the /v1 API) on node:http, WebSockets on `ws`, store = PGlite in a data
 * directory or PostgreSQL when a database URL is given.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { startHeartbeat } from './ws/heartbeat.js';
import { CLOSE, LIMITS } from '../src/shared/wire-protocol.js';
import { openStore, type Store } from './db/store.js';
import { migrate } from './db/migrations.js';
import { Data } from './data/index.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_UPLOAD_SWEEP, UploadSweep, type UploadSweepOptions } from './upload-sweep.js';
import { readConfig, repoRoot, type ServerConfig } from './config.js';
import { Hub } from './hub.js';
import { buildLimiters, retryAfterSeconds, type LimitSettings } from './limits.js';
import { clientAddress } from './client-address.js';
import { TypingGate } from './typing-gate.js';
import { ReadReceipts } from './read-receipts.js';
import { randomId } from './auth.js';
import type { ServerContext } from './context.js';
import { apiHandler } from './http/api.js';
import { writeRawError } from './http/raw-answer.js';
import { serveStatic } from './http/static-files.js';
import { handleVisitorSocket } from './ws/visitor-socket.js';
import { handleAgentSocket } from './ws/agent-socket.js';
import { closeSocket } from './ws/send.js';
import { seedDemo, type DemoSeed } from './seed.js';
import { acquireDataLock } from './data-lock.js';
import { handleDemoRoutes } from './demo-login.js';
import { logFailure } from './failure-log.js';
import { DEFAULT_SESSION_POLICY, type AgentSession, type SessionPolicy } from './data/agent-sessions.js';
import { fromOwnOrigin, sessionIdOf, sessionOf } from './console-session.js';

/** Pending connections the kernel may queue for accept(). Node's default is 511. */
const LISTEN_BACKLOG = 4096;
/** How long a client may take to send a request's headers, and the whole request. */
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Retry-After of an upgrade refused because the client address holds its maximum of sockets. */
const SOCKET_CAP_RETRY_MS = 10_000;

/** Every option left out takes its value from `config` (server/config.ts: the environment, else the documented default). */
export interface StartOptions {
  /** Default: readConfig(), the environment. */
  config?: ServerConfig;
  /** 0 = ephemeral. Default: config.port (PORT). */
  port?: number;
  /** Default: config.host (HOST). */
  host?: string;
  /** PGlite data directory. Default: config.dataDir (TWT_DATA_DIR). */
  dataDir?: string;
  /** postgres://… switches to PostgreSQL. Default: config.databaseUrl (DATABASE_URL). */
  databaseUrl?: string;
  /** Seed the demo app and agent key if missing. Default true (server/main.ts passes config.seedDemo). */
  seed?: boolean;
  /** Visitor token lifetime. Default: config.tokenTtlSeconds (TWT_TOKEN_TTL_SECONDS). */
  tokenTtlSeconds?: number;
  /** Where the built bundles are. Default <repo>/dist. */
  distDir?: string;
  demoDir?: string;
  /** Serve the demo pages (/demo/) and the redirect of / to them. Default: on unless config.production (NODE_ENV). */
  serveDemo?: boolean;
  /** The /v1/test/* routes exist (http/test-api.ts). Default: config.testMode (TWT_TEST_MODE=1). */
  testMode?: boolean;
  /** Messages per visitor per 10 s (token bucket). Default: limits.messagesPer10s. */
  messagesPer10s?: number;
  /** Limits on cheap requests; each defaults to config.limits (server/limits.ts). */
  limits?: Partial<LimitSettings>;
  /** Reverse-proxy hops to trust in X-Forwarded-For. Default: config.trustProxyHops (TWT_TRUST_PROXY). */
  trustProxyHops?: number;
  /** The limiters' clock (ms). Default Date.now; tests pass a stopped one so no bucket refills mid-test. */
  limitsClock?: () => number;
  /** Interval of the protocol-level pings; a socket that answered none since the last is terminated. Default: config.heartbeatMs (TWT_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /**
   * How often this process tells the others it is alive (PostgreSQL, several
   * processes); one silent for 3 intervals is taken for dead and its visitors
   * and agents go offline. Default: config.presenceBeatMs (TWT_PRESENCE_BEAT_MS).
   */
  presenceBeatMs?: number;
  /**
   * The clock of the server's timers (clock.ts): presence beats and expiry, the LISTEN catch-up and (PostgreSQL)
   * reconnect waits, the socket heartbeat, an open visitor socket's close at its token's expiry. Default: the system's; tests pass one they step.
   */
  clock?: Clock;
  /** The data cache's TTL clock (ms). Default Date.now; tests stop it so only events can drop a cached row. */
  cacheClock?: () => number;
  /** Wall-clock ms of visitor tokens (issue, expiry), console sessions (expiry) and app-secret grace periods. Default Date.now; tests pass one they step. */
  wallClock?: () => number;
  /** Console session lifetimes. Default: DEFAULT_SESSION_POLICY (12 h idle, 7 days absolute). */
  sessionPolicy?: SessionPolicy;
  /** PGlite in a worker thread (db/pglite-worker-store.ts). Default: config.pgliteWorker (on unless TWT_PGLITE_WORKER=0). */
  pgliteWorker?: boolean;
  /** PostgreSQL: delays of reconnecting a lost LISTEN connection (default 100 ms doubling to 5 s, jittered). */
  listenReconnectMs?: { min: number; max: number };
  /** The background sweep of unclaimed uploads (upload-sweep.ts), on `clock`. Default: DEFAULT_UPLOAD_SWEEP (every 10 minutes). */
  uploadSweep?: Partial<UploadSweepOptions>;
  quiet?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  store: Store;
  data: Data;
  demo: DemoSeed | null;
  /** This process's sweep of unclaimed uploads: run() starts a run, or joins the one under way. */
  uploadSweep: UploadSweep;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  // Read before anything opens, so a malformed value stops the start cleanly.
  const config = options.config ?? readConfig();
  const root = repoRoot();
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  const dataDir = options.dataDir === undefined ? config.dataDir : resolve(options.dataDir);
  const log = options.quiet ? () => {} : (...a: unknown[]) => console.log(...a);
  const limitSettings = { ...config.limits, ...options.limits, ...(options.messagesPer10s ? { messagesPer10s: options.messagesPer10s } : {}) };
  const trustProxyHops = options.trustProxyHops ?? config.trustProxyHops;

  const clock = options.clock ?? systemClock;
  const releaseLock = databaseUrl ? () => {} : acquireDataLock(dataDir);
  let store: Store;
  try {
    store = await openStore(databaseUrl ? { databaseUrl, clock, ...(options.listenReconnectMs ? { listenReconnectMs: options.listenReconnectMs } : {}) } : { dataDir, pgliteWorker: options.pgliteWorker ?? config.pgliteWorker });
    await migrate(store);
  } catch (err) {
    releaseLock();
    throw err;
  }
  const data = new Data(store, options.cacheClock);
  const secret = config.serverSecret || (await data.settings.getOrInit('server_secret', randomId(32)));
  const demo = options.seed === false ? null : await seedDemo(data, config.demo);
  const hub = new Hub(data, { clock, presenceBeatMs: options.presenceBeatMs ?? config.presenceBeatMs });
  await hub.start();
  const uploadSweep = new UploadSweep(data.attachments, { ...DEFAULT_UPLOAD_SWEEP, ...options.uploadSweep });
  uploadSweep.start(clock);

  const ctx: ServerContext = {
    data,
    hub,
    secret,
    tokenTtlSeconds: options.tokenTtlSeconds ?? config.tokenTtlSeconds,
    limits: buildLimiters(limitSettings, options.limitsClock),
    trustProxyHops,
    typing: new TypingGate((e) => void hub.emit(e).catch((err) => console.error('twt: typing push failed', err))),
    readReceipts: new ReadReceipts(data.conversations),
    testMode: options.testMode ?? config.testMode,
    distDir: resolve(options.distDir ?? join(root, 'dist')),
    demoDir: resolve(options.demoDir ?? join(root, 'demo')),
    serveDemo: options.serveDemo ?? !config.production,
    now: options.wallClock ?? Date.now,
    clock,
    sessionPolicy: options.sessionPolicy ?? DEFAULT_SESSION_POLICY,
  };

  const routes: Routes = {
    api: apiHandler({ testMode: ctx.testMode }),
    demo: (req, res, url) => handleDemoRoutes({ apps: data.apps }, req, res, url, { appid: config.demo.appid, enabled: !config.production }),
  };
  const server = createServer((req, res) => void onRequest(ctx, routes, req, res));
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytes });
  const heartbeat = startHeartbeat(options.heartbeatMs ?? config.heartbeatMs, clock);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/ws' && path !== '/v1/agent/ws') return writeRawError(socket, 404, 'not_found', 'no WebSocket endpoint here');
    // Sockets per client address are capped before the upgrade, so a refused one costs no WebSocket.
    const address = clientAddress(req, ctx.trustProxyHops);
    const release = ctx.limits.sockets.acquire(address);
    if (!release) {
      return writeRawError(socket, 429, 'rate_limited', 'too many sockets from this address', { 'retry-after': String(retryAfterSeconds(SOCKET_CAP_RETRY_MS)) });
    }
    socket.once('close', release);
    const upgrade = (session: AgentSession | null) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        heartbeat.watch(ws);
        if (path === '/v1/ws') handleVisitorSocket(ctx, ws, { origin: req.headers.origin, host: req.headers.host });
        else handleAgentSocket(ctx, ws, address, session);
      });
    // A console session cookie counts only on a handshake from our own origin (a
    // page elsewhere could open the socket with it: cross-site WebSocket hijacking).
    if (path !== '/v1/agent/ws' || !sessionIdOf(req) || !fromOwnOrigin(ctx, req, true)) return upgrade(null);
    sessionOf(ctx, req).then(upgrade, (err) => {
      logFailure('agent session', err);
      writeRawError(socket, 503, 'unavailable', 'could not check the session; retry');
    });
  });
  // A handshake ws refuses (wrong method, no key, unknown version) gets our answer, not ws's bare text/html one.
  wss.on('wsClientError', (err: Error, socket: Duplex) => {
    const method = err.message === 'Invalid HTTP method';
    writeRawError(socket, method ? 405 : 400, method ? 'method_not_allowed' : 'malformed', err.message, /Version/.test(err.message) ? { 'sec-websocket-version': '13, 8' } : {});
  });
  server.on('clientError', (_err, socket) => writeRawError(socket, 400, 'malformed', 'the request could not be parsed'));

  const host = options.host ?? config.host;
  const wantPort = options.port ?? config.port;
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      // A deep accept queue: bursts of new connections (reconnect storms, an
      // agent tool opening many keep-alive connections) must wait, not see
      // their SYNs dropped and retried 1 s / 3 s later. The kernel caps it at somaxconn.
      server.listen({ port: wantPort, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (err) {
    await hub.stop();
    await uploadSweep.stop();
    heartbeat.stop();
    await store.close();
    releaseLock();
    throw err;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : wantPort;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  log(`twt: server on ${url} (store: ${store.kind}${store.kind === 'pglite' ? ' in ' + dataDir : ''})`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    host,
    store,
    data,
    demo,
    uploadSweep,
    close() {
      closing ??= (async () => {
        // Stops announcing (the sockets closed below go offline with the goodbye, not one by one).
        ctx.typing.stop();
        const bye = hub.stop();
        const swept = uploadSweep.stop();
        heartbeat.stop();
        for (const ws of hub.allSockets()) closeSocket(ws, CLOSE.GOING_AWAY, 'server shutting down');
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        await new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        });
        // Every socket is closed now, so every receipt they sent is pending: written before the store closes.
        await ctx.readReceipts.stop().catch((err) => console.error('twt: storing read receipts at shutdown failed', err));
        await bye;
        await swept;
        await store.close();
        releaseLock();
      })();
      return closing;
    },
  };
}

/** The request handlers besides the static files: the /v1 API and the demo-only helpers. */
interface Routes {
  api: ReturnType<typeof apiHandler>;
  demo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

async function onRequest(ctx: ServerContext, routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    res.writeHead(400).end();
    return;
  }
  // Every answer, whichever route or refusal writes it: no content sniffing.
  res.setHeader('x-content-type-options', 'nosniff');
  try {
    if (url.pathname.startsWith('/v1/')) return await routes.api(ctx, req, res, url);
    // The demo pages (and / redirecting to them) are not served in production.
    const demo = url.pathname === '/' || url.pathname === '/demo' || url.pathname.startsWith('/demo/');
    if (!demo || ctx.serveDemo) {
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/demo/' });
        res.end();
        return;
      }
      // Demo-only helpers (login signer, Vue for the framework page).
      if (url.pathname.startsWith('/demo/') && (await routes.demo(req, res, url))) return;
      if (await serveStatic(ctx, req, res, url)) return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  } catch (err) {
    logFailure('request', err);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  }
}
