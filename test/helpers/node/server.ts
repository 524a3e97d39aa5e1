/**
 * Helpers for the server's node tests: a real server on an ephemeral port
 * with a fresh PGlite store (copied from a migrated template, so each start
 * skips initdb), WebSocket clients that queue frames (visitor and agent sockets),
 * a fetch wrapper, and the shared waits (test/helpers/wait.ts).
 */
import { cpSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer, type RunningServer, type StartOptions } from '../../../server/app.js';
import { openStore } from '../../../server/db/store.js';
import { migrate } from '../../../server/db/migrations.js';
import { ONE_ADDRESS_MANY_VISITORS } from '../../../server/limits.js';
import type { Clock } from '../../../server/clock.js';
import { untilDefaults } from '../wait.js';

let template: string | null = null;

async function templateDir(): Promise<string> {
  if (template && existsSync(template)) return template;
  const dir = mkdtempSync(join(tmpdir(), 'twt-template-'));
  const store = await openStore({ dataDir: dir });
  await migrate(store);
  await store.close();
  template = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh data directory (removed at process exit unless `keep`). */
export async function freshDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'twt-data-'));
  cpSync(await templateDir(), dir, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function startTestServer(opts: StartOptions = {}): Promise<RunningServer & { dataDir: string; wsUrl: string }> {
  const dataDir = opts.dataDir ?? (opts.databaseUrl ? '' : await freshDataDir());
  // Every test visitor comes from loopback: per-address limits only where a test sets them.
  const s = await startServer({ port: 0, quiet: true, testMode: true, ...opts, limits: { ...ONE_ADDRESS_MANY_VISITORS, ...opts.limits }, ...(dataDir ? { dataDir } : {}) });
  return Object.assign(s, { dataDir, wsUrl: s.url.replace(/^http/, 'ws') });
}

/**
 * How long a node test waits for a frame, a close or an `until` condition unless it says otherwise. A bound for a
 * failure to be reported by, not a speed the server must meet: with two copies of the PostgreSQL multi-process
 * tests side by side on 2 cores a socket's `ready` already took 2.6 s, and CI runs many files at once.
 */
export const WAIT_MS = 15_000;
// At least that for `until` too (an e2e file importing this keeps its harness's bound if it is longer).
untilDefaults.timeout = Math.max(untilDefaults.timeout, WAIT_MS);

export const ORIGIN = 'http://localhost:8000';

export async function api(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
  const res = await fetch(base + path, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: init.headers,
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The seeded demo app's agent key. */
export const AGENT_KEY = 'demo-agent-key';

export const agentHeaders = (key = AGENT_KEY) => ({ authorization: `Bearer ${key}` });

export async function newVisitor(base: string, extra: Record<string, unknown> = {}) {
  const r = await api(base, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: ORIGIN, ...extra } });
  if (r.status !== 200) throw new Error(`session failed: ${r.status} ${r.text}`);
  return r.json as { token: string; app?: { replyTime?: string }; visitor: { visitorUid: string; bs: string; bs_mm: string; fkid: string; source: string; businessUser?: string }; conversations: Array<{ id: string; visitorReadSeq: number; unread: number }> };
}

/** A WebSocket client that records frames and the close event. */
export class TestSocket {
  readonly frames: any[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      try {
        this.frames.push(JSON.parse(d.toString()));
      } catch {
        this.frames.push({ raw: d.toString() });
      }
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  /** `options`: e.g. `{origin}`, the Origin header a browser page would send. */
  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, options);
    const s = new TestSocket(ws);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    return s;
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for a frame matching pred (searching frames not yet consumed by `take`). */
  async waitFor(pred: (f: any) => boolean, timeoutMs = WAIT_MS): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(pred);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting; frames: ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
    }
  }

  async waitClose(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout waiting for close');
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
    }
    return this.closed;
  }

  close() {
    this.ws.close();
  }
}

/** Opens /v1/ws, authenticates, and waits for `ready`. */
export async function visitorSocket(wsUrl: string, token: string, resume: { conversationId?: string; lastSeq?: number } = {}) {
  const s = await TestSocket.open(wsUrl + '/v1/ws');
  s.send({ type: 'auth', token, ...resume });
  const ready = await s.waitFor((f) => f.type === 'ready');
  return { socket: s, ready };
}

/**
 * Opens /v1/agent/ws and authenticates with `key`; waits for `ready`. With `{ ready: false }` it returns as
 * soon as the auth frame is sent, for a test that watches the refusal (`waitClose`, the error frame).
 */
export async function agentSocket(wsUrl: string, key = AGENT_KEY, { ready = true } = {}): Promise<TestSocket> {
  const s = await TestSocket.open(wsUrl + '/v1/agent/ws');
  s.send({ type: 'auth', key });
  if (ready) await s.waitFor((f) => f.type === 'ready');
  return s;
}

export { sleep, until } from '../wait.js';

/**
 * Starts test/helpers/node/run-server.ts in a child process; resolves with its URL. Its stderr is passed on and
 * kept: `logged(re)` waits for a line the server logs (an ordering sentinel for what it did before logging it).
 * With `manualClock: true` the child's timers (StartOptions.clock) stand still until `advance(ms)` steps them.
 */
export async function spawnServer(opts: Record<string, unknown>) {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = fileURLToPath(new URL('./run-server.ts', import.meta.url));
  const stdio: Array<'ignore' | 'pipe' | 'ipc'> = ['ignore', 'pipe', 'pipe', ...(opts.manualClock ? (['ipc'] as const) : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(opts)], { stdio });
  let stderr = '';
  const stderrWaiters = new Set<() => void>();
  child.stderr!.on('data', (d) => {
    process.stderr.write(d);
    stderr += d;
    for (const w of stderrWaiters) w();
  });
  const url = await new Promise<string>((ok, fail) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error('child server did not start in 30 s')), 30_000);
    child.stdout!.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        ok(JSON.parse(line).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`child server exited with ${code}`));
    });
  });
  process.on('exit', () => child.kill('SIGKILL'));
  // The IPC channel must not keep this process alive once the test is done with the child.
  child.channel?.unref();
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    child,
    /** Waits until the child has logged a line matching `re` (counting lines logged before the call too). */
    logged(re: RegExp, timeoutMs = 30_000): Promise<string> {
      return new Promise<string>((ok, fail) => {
        const check = () => {
          const line = stderr.split('\n').find((l) => re.test(l));
          if (line === undefined) return false;
          stderrWaiters.delete(check);
          clearTimeout(timer);
          ok(line);
          return true;
        };
        const timer = setTimeout(() => {
          stderrWaiters.delete(check);
          fail(new Error(`the child server did not log ${re} in ${timeoutMs} ms; it logged: ${stderr}`));
        }, timeoutMs);
        if (!check()) stderrWaiters.add(check);
      });
    },
    /** Steps the child's manual clock (spawned with `manualClock: true`) by `ms`; resolves once its due timers ran. */
    advance(ms: number): Promise<void> {
      if (!child.send) throw new Error('advance() needs spawnServer({ manualClock: true })');
      return new Promise<void>((ok, fail) => {
        const onMessage = (m: { advanced?: number }) => {
          if (m?.advanced !== ms) return;
          child.off('message', onMessage);
          ok();
        };
        child.on('message', onMessage);
        child.send!({ advance: ms }, (err) => err && fail(err));
      });
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      return new Promise<void>((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill(signal);
      });
    },
  };
}

/**
 * A clock that moves only when told: `advance(ms)` runs the timers that come due, in time order.
 * `wall()` is the wall clock that moves with it (from `wallStartMs`), for StartOptions.wallClock:
 * one step moves both, as they move together in a real server.
 */
export function manualClock(wallStartMs = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void; wall(): number } {
  let now = 0;
  /** `every`: the repeat interval, 0 for a one-shot timer. */
  const timers = new Set<{ every: number; next: number; fn: () => void }>();
  return {
    now: () => now,
    wall: () => wallStartMs + now,
    every(ms, fn) {
      const t = { every: ms, next: now + ms, fn };
      timers.add(t);
      return () => void timers.delete(t);
    },
    after(ms, fn) {
      const t = { every: 0, next: now + Math.max(0, ms), fn };
      timers.add(t);
      return () => void timers.delete(t);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= until).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        if (due.every) due.next += due.every;
        else timers.delete(due);
        due.fn();
      }
      now = until;
    },
  };
}

/** The agents of `startTwoAppServer`: Ann and Bob serve app A, Cid serves app B. */
export const TWO_APP_AGENTS = [
  { name: 'Ann (A)', key: 'key-a1', appid: 'app-a' },
  { name: 'Bob (A)', key: 'key-a2', appid: 'app-a' },
  { name: 'Cid (B)', key: 'key-b1', appid: 'app-b' },
] as const;

/**
 * A test server with two apps (`app-a`, `app-b`) and agents of their own (TWO_APP_AGENTS), besides the seeded demo
 * agent of every app (AGENT_KEY, `ids.admin`): the setup of every test of per-app scoping. `visitorSays` starts a
 * visitor of an app who says each text (waiting for each ack).
 */
export async function startTwoAppServer(opts: StartOptions = {}) {
  const server = await startTestServer(opts);
  for (const appid of ['app-a', 'app-b']) {
    const r = await api(server.url, '/v1/test/apps', { body: { appid, domains: ['localhost'] } });
    if (r.status !== 200) throw new Error(`creating ${appid} failed: ${r.status} ${r.text}`);
  }
  for (const a of TWO_APP_AGENTS) await server.data.agents.create(a);
  const byName = new Map((await server.data.agents.list()).map((a) => [a.name, a.id]));
  const ids = { a1: byName.get('Ann (A)')!, a2: byName.get('Bob (A)')!, b1: byName.get('Cid (B)')!, admin: byName.get('Demo Agent')! };

  async function visitorSays(appid: string, texts: string | string[], profile: Record<string, string> = {}) {
    const s = await api(server.url, '/v1/visitor/session', { body: { appid, hostOrigin: ORIGIN, profile } });
    if (s.status !== 200) throw new Error(`session failed: ${s.status} ${s.text}`);
    const { socket, ready } = await visitorSocket(server.wsUrl, s.json.token);
    for (const [i, text] of (typeof texts === 'string' ? [texts] : texts).entries()) {
      socket.send({ type: 'send', clientId: `c${i}-${Math.random()}`, text });
      await socket.waitFor((f) => f.type === 'ack' && f.message.text === text);
    }
    return { id: ready.conversationId as string, socket, ready, token: s.json.token as string, uid: s.json.visitor.visitorUid as string };
  }
  return Object.assign(server, { ids, visitorSays });
}
