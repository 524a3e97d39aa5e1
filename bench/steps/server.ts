/**
 * Server capacity on loopback: the real server alone in one process, the load
 * generator in another (bench/lib/loadgen.ts). Bounded: fixed counts, fixed
 * windows, a deadline on every child; the whole step stops by itself.
 *
 *  1. create visitors (POST /v1/visitor/session), as many as fit a time box
 *  2. open `sockets` visitor WebSockets (1 socket per visitor while visitors
 *     last, then further tabs of the same visitors); memory per connection =
 *     growth of the server's RSS (and GC'd heap) / sockets opened
 *  3. with all sockets still open, one agent socket; visitors -> agent at a
 *     fixed offered load; then agent -> visitors over REST at the same load;
 *     session restores (identity clue) at a low fixed rate during both
 *  4. floods of cheap requests against a second server with the default
 *     limits (floodRows below; run as the bench step `floods`, floods.ts)
 *
 * Steps 1-3 run with the per-address limits lifted: all their visitors share
 * one loopback address, which a real site never sees.
 */
import type { Row } from '../lib/report.js';
import { unavailableRow } from '../lib/report.js';
import { log, stepMain, type StepOptions } from '../lib/step.js';
import { cpuMsOf, rssOf, spawnChild, startServerProcess } from '../lib/child.js';
import { pausesNote, type Pauses } from '../lib/pauses.js';
import { openFileLimit } from '../lib/fd-limit.js';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Lat = { n: number; p50: number | null; p99: number | null; max: number | null };
const MB = 1024 * 1024;

/** The goal for idle visitor sockets in one process. */
const IDLE_SOCKETS_GOAL = 50_000;
/** Descriptors kept free in each process (listening sockets, the store's files, the agent socket, pipes). */
const FD_RESERVE = 1_000;

/**
 * As many sockets as the goal, or as the open-file limit lets one process
 * hold (the server holds one descriptor per socket; so does the load
 * generator, which spreads them over several loopback source addresses so its
 * ephemeral ports do not run out first).
 */
function idleSocketTarget(): number {
  const limit = openFileLimit();
  return limit ? Math.min(IDLE_SOCKETS_GOAL, limit.soft - FD_RESERVE) : IDLE_SOCKETS_GOAL;
}

/** Why the socket count stopped short of the goal, when the open-file limit is the reason. */
function fdLimitNote(target: number): string {
  const limit = openFileLimit();
  if (!limit || target >= IDLE_SOCKETS_GOAL) return '';
  return `; bounded by the open-file limit (${limit.soft} soft, ${limit.hard} hard per process: one descriptor per socket; raising the hard limit needs CAP_SYS_RESOURCE, which this machine does not grant)`;
}

export async function serverRows(opts: StepOptions): Promise<Row[]> {
  // The offered load each way: 3,150 msg/s by default, 5% above the 3,000 msg/s target (the delivered rate is
  // counted over a window that ends at the last delivery, so offering exactly the target reads just under it
  // even when every message arrives; the p99 is then measured at the higher load, which is stricter).
  // Senders are sized so each sends 0.84 msg/s, under the default per-visitor limit (10 per 10 s).
  const rate = opts.rate ?? (opts.quick ? 200 : 3150);
  const senders = Math.ceil(rate / 0.84);
  const cfg = opts.quick
    ? { visitors: Math.max(400, senders), sessionBoxMs: 10_000, senders, sockets: Math.max(1000, senders), rate, seconds: 4, restoreRate: 10 }
    : { visitors: Math.max(10_000, senders), sessionBoxMs: 30_000, senders, sockets: Math.max(opts.sockets ?? idleSocketTarget(), senders), rate, seconds: 10, restoreRate: 20 };
  const section = 'server' as const;
  const idleBudget = { min: IDLE_SOCKETS_GOAL, kind: 'report' as const, label: '≥ 50,000' };
  const rateBudget = { min: 3000, kind: 'report' as const, label: '≥ 3,000 msg/s' };
  const p99Budget = { max: 100, kind: 'report' as const, label: 'p99 < 100 ms' };
  if (!existsSync('server/app.ts')) {
    return [unavailableRow({ section, key: 'server.sockets', label: 'idle visitor sockets held', unit: 'count', budget: idleBudget }, 'server/app.ts missing')];
  }

  const rows: Row[] = [];
  // PostgreSQL (--postgres): a fresh database per run, dropped at the end; --processes 2 puts the agent on a
  // second server process, so every message crosses processes through NOTIFY (visitors on the first).
  const db = opts.postgres ? await freshDatabase(opts.postgres) : null;
  const server = await startServerProcess({ maxSeconds: 300, oneAddressManyVisitors: true, cpuProfDir: opts.cpuProfDir, databaseUrl: db?.url ?? null, label: 'server (visitors)' });
  const agentServer = opts.processes > 1 ? await startServerProcess({ maxSeconds: 300, oneAddressManyVisitors: true, cpuProfDir: opts.cpuProfDir, databaseUrl: db?.url ?? null, label: 'server (agent)' }) : null;
  const setup = `${db ? 'PostgreSQL' : 'PGlite'}, ${agentServer ? '2 processes (visitors on one, the agent on the other: every message crosses processes via NOTIFY)' : '1 process'}`;
  const gen = spawnChild('bench/lib/loadgen.ts', ['--max-seconds', '290'], { deadlineMs: 295_000, label: 'loadgen' });
  const call = <T>(msg: object, timeoutMs: number) =>
    gen.request<T & { type: string; message?: string }>({ url: server.url, agentUrl: agentServer?.url ?? server.url, ...msg }, (m) => m?.type === 'done' || m?.type === 'failed', timeoutMs).then((r) => {
      if (r.type === 'failed') throw new Error(`loadgen ${(msg as { cmd: string }).cmd}: ${r.message}`);
      return r;
    });
  try {
    await gen.next((m) => m?.type === 'ready', 30_000);
    const mem0 = await server.mem();
    log('server', `server up at ${server.url} (${setup}), rss ${(mem0.rss / MB).toFixed(1)} MB`);
    rows.push({ section, key: 'server.rss.idle', label: 'server RSS at start (idle, after GC)', value: mem0.rss / MB, unit: 'MB', note: `${setup}; JS heap ${(mem0.heapUsed / MB).toFixed(0)} MB, external ${(mem0.external / MB).toFixed(0)} MB` });

    // 1. visitors
    const s = await call<{ created: number; errors: number; ms: number; perSecond: number; latency: Lat }>({ cmd: 'sessions', n: cfg.visitors, concurrency: 8, maxMs: cfg.sessionBoxMs }, cfg.sessionBoxMs + 30_000);
    log('server', `visitors: ${s.created} in ${(s.ms / 1000).toFixed(1)} s (${s.perSecond.toFixed(0)}/s), ${s.errors} errors`);
    rows.push({ section, key: 'server.session.create.rate', label: 'new visitor sessions/s (8 in flight)', value: s.perSecond, unit: 'req/s', note: `${s.created} created, ${s.errors} errors` });
    rows.push({ section, key: 'server.session.create.p99', label: 'new visitor session p50 / p99', value: s.latency.p99, unit: 'ms', note: `p50 ${fmt(s.latency.p50)} ms` });

    // 2. sockets: senders first (distinct visitors), then the rest
    const memBefore = await server.mem();
    const rssBefore = rssOf(server.child.pid) ?? memBefore.rss;
    const c1 = await call<{ opened: number; failed: number; ms: number; latency: Lat; failures: object }>({ cmd: 'connect', group: 'senders', count: cfg.senders, batch: 250, offset: 0 }, 120_000);
    const c2 = await call<{ opened: number; failed: number; ms: number; open: number; latency: Lat; failures: object }>({ cmd: 'connect', group: 'idle', count: cfg.sockets - cfg.senders, batch: 500, offset: cfg.senders, maxMs: 150_000 }, 210_000);
    const opened = c1.opened + c2.opened;
    const failed = c1.failed + c2.failed;
    const memAfter = await server.mem();
    const rssAfter = rssOf(server.child.pid) ?? memAfter.rss;
    log('server', `sockets: ${c2.open} open (${failed} failed) in ${((c1.ms + c2.ms) / 1000).toFixed(1)} s; rss ${(rssAfter / MB).toFixed(1)} MB`);
    const distinct = Math.min(opened, s.created);
    rows.push({ section, key: 'server.sockets', label: 'visitor sockets held by one process', value: c2.open, unit: 'count', budget: idleBudget, note: `${failed} failed${failed ? ' ' + JSON.stringify({ ...c1.failures, ...c2.failures }) : ''}; ${distinct} distinct visitors; connect+auth p50 ${fmt(c2.latency.p50 ?? c1.latency.p50)} ms p99 ${fmt(c2.latency.p99 ?? c1.latency.p99)} ms${opts.quick || opts.sockets ? '' : fdLimitNote(cfg.sockets)}` });
    rows.push({ section, key: 'server.sockets.rss_per_conn', label: 'server RSS per socket', value: opened ? (rssAfter - rssBefore) / opened : null, unit: 'B/conn', note: `RSS ${(rssBefore / MB).toFixed(0)} -> ${(rssAfter / MB).toFixed(0)} MB` });
    rows.push({ section, key: 'server.sockets.heap_per_conn', label: 'server JS heap per socket (after GC)', value: opened ? (memAfter.heapUsed - memBefore.heapUsed) / opened : null, unit: 'B/conn', note: `heap ${(memBefore.heapUsed / MB).toFixed(0)} -> ${(memAfter.heapUsed / MB).toFixed(0)} MB` });
    const pg = await call<{ latency: Lat }>({ cmd: 'ping', group: 'idle', n: 100 }, 60_000);
    rows.push({ section, key: 'server.sockets.ping_p99', label: `ping round trip with ${c2.open} sockets open, p99`, value: pg.latency.p99, unit: 'ms', note: `p50 ${fmt(pg.latency.p50)} ms` });

    // 3. messages. First a quarter of the target load for 5 s (context: what the server sustains),
    // then the target load. Between runs, wait for the server to work off any backlog.
    await call({ cmd: 'agent' }, 30_000);
    const low = Math.round(cfg.rate / 4);
    // Each message window's pauses: the server's main thread (the visitors' process) and the load generator's, so a
    // p99 over budget can be placed (lib/pauses.ts). Asking resets both; the window's figures are the next ask.
    const resetPauses = async () => void (await Promise.all([server.pauses(), call({ cmd: 'pauses' }, 30_000)]));
    const pausesRow = async (key: string, window: string) => {
      const [srv, gen] = await Promise.all([server.pauses(), call<Pauses>({ cmd: 'pauses' }, 30_000)]);
      rows.push({ section, key, label: `longest event-loop stall of the server's main thread during ${window}`, value: srv.loopMaxMs, unit: 'ms', note: `server: ${pausesNote(srv)}; load generator: ${pausesNote(gen)}` });
    };
    await resetPauses();
    const v0 = await call<V2A>({ cmd: 'v2a', group: 'senders', rate: low, seconds: 5, senders: cfg.senders }, 90_000);
    await pausesRow('server.pauses.v2a.low', `visitor -> agent at ${low} msg/s`);
    log('server', `v2a at ${low}/s: delivered ${v0.delivered}/${v0.offered}, p99 ${fmt(v0.latency.p99)} ms`);
    rows.push({ section, key: 'server.v2a.low.p99', label: `visitor -> agent delivery at ${low} msg/s offered, p50 / p99`, value: v0.latency.p99, unit: 'ms', note: `p50 ${fmt(v0.latency.p50)} ms; ${v0.delivered}/${v0.offered} delivered at ${Math.round(v0.deliveredRate)}/s` });
    await call({ cmd: 'idle', group: 'senders' }, 60_000);
    const cpu0 = cpuMsOf(server.child.pid);
    const acpu0 = agentServer ? cpuMsOf(agentServer.child.pid) : null;
    await resetPauses();
    const v = await call<V2A>({ cmd: 'v2a', group: 'senders', rate: cfg.rate, seconds: cfg.seconds, senders: cfg.senders, restoreRate: cfg.restoreRate }, (cfg.seconds + 60) * 1000);
    await pausesRow('server.pauses.v2a', `visitor -> agent at ${cfg.rate} msg/s`);
    const cpu1 = cpuMsOf(server.child.pid);
    const acpu1 = agentServer ? cpuMsOf(agentServer.child.pid) : null;
    log('server', `v2a: offered ${v.offered}, delivered ${v.delivered}, p99 ${fmt(v.latency.p99)} ms, refused ${JSON.stringify(v.refused)}`);
    const cpuNote = (a: number | null, b: number | null, secs: number) => (a !== null && b !== null ? `; server CPU ${((b - a) / (secs * 10)).toFixed(0)} % of one core` : '');
    const agentCpu = (a: number | null, b: number | null, secs: number) => (agentServer && a !== null && b !== null ? ` (visitors' process), agent's process ${((b - a) / (secs * 10)).toFixed(0)} %` : '');
    rows.push({ section, key: 'server.v2a.rate', label: `visitor -> agent delivered/s (offered ${cfg.rate}/s from ${v.senders} visitors, ${cfg.seconds} s)`, value: v.deliveredRate, unit: 'msg/s', budget: rateBudget, note: `${v.delivered}/${v.offered} delivered, ${v.lost} not delivered within 5 s, refused ${JSON.stringify(v.refused)}${cpuNote(cpu0, cpu1, (v.latency.max ?? 0) / 1000 + cfg.seconds)}${agentCpu(acpu0, acpu1, (v.latency.max ?? 0) / 1000 + cfg.seconds)}; ${setup}` });
    rows.push({ section, key: 'server.v2a.p50', label: 'visitor -> agent delivery p50', value: v.latency.p50, unit: 'ms' });
    rows.push({ section, key: 'server.v2a.p99', label: 'visitor -> agent delivery p99', value: v.latency.p99, unit: 'ms', budget: p99Budget, note: `max ${fmt(v.latency.max)} ms; ack p50 ${fmt(v.ack.p50)} / p99 ${fmt(v.ack.p99)} ms` });
    if (v.restore) rows.push({ section, key: 'server.restore.v2a.p99', label: `session restore under visitor load (${cfg.restoreRate}/s), p50 / p99`, value: v.restore.latency.p99, unit: 'ms', note: `p50 ${fmt(v.restore.latency.p50)} ms, n=${v.restore.latency.n}, ${v.restore.errors} errors` });

    const idle1 = await call<{ waitedMs: number }>({ cmd: 'idle', group: 'senders' }, 60_000);
    log('server', `backlog worked off in ${(idle1.waitedMs / 1000).toFixed(1)} s`);
    // Every message sent is stored and delivered in the end, so CPU per message counts until the backlog is worked off.
    const v2aStored = v.offered - Object.values(v.refused).reduce((x, y) => x + y, 0);
    rows.push(cpuPerMessageRow('server.v2a.cpu_us_per_msg', 'visitor -> agent', cpu0, cpuMsOf(server.child.pid), acpu0, agentServer ? cpuMsOf(agentServer.child.pid) : null, v2aStored));
    // The same quarter-load window as for visitor -> agent above, now over REST: it opens the agent's connection
    // pool and warms the reply path as the socket window warmed the socket path, so both target windows start
    // from the same state (before it, the first second of agent -> visitor paid for both).
    await resetPauses();
    const a0 = await call<A2V>({ cmd: 'a2v', group: 'senders', rate: low, seconds: 5, targets: cfg.senders }, 90_000);
    await pausesRow('server.pauses.a2v.low', `agent -> visitor at ${low} msg/s`);
    log('server', `a2v at ${low}/s: delivered ${a0.delivered}/${a0.offered}, p99 ${fmt(a0.latency.p99)} ms`);
    rows.push({ section, key: 'server.a2v.low.p99', label: `agent -> visitor delivery at ${low} msg/s offered, p50 / p99`, value: a0.latency.p99, unit: 'ms', note: `p50 ${fmt(a0.latency.p50)} ms; ${a0.delivered}/${a0.offered} delivered at ${Math.round(a0.deliveredRate)}/s` });
    await call({ cmd: 'idle', group: 'senders' }, 60_000);
    const cpu2 = cpuMsOf(server.child.pid);
    const acpu2 = agentServer ? cpuMsOf(agentServer.child.pid) : null;
    await resetPauses();
    const a = await call<A2V>({ cmd: 'a2v', group: 'senders', rate: cfg.rate, seconds: cfg.seconds, targets: cfg.senders, restoreRate: cfg.restoreRate }, (cfg.seconds + 60) * 1000);
    await pausesRow('server.pauses.a2v', `agent -> visitor at ${cfg.rate} msg/s`);
    const cpu3 = cpuMsOf(server.child.pid);
    const acpu3 = agentServer ? cpuMsOf(agentServer.child.pid) : null;
    log('server', `a2v: offered ${a.offered}, delivered ${a.delivered}, p99 ${fmt(a.latency.p99)} ms`);
    rows.push({ section, key: 'server.a2v.rate', label: `agent -> visitor delivered/s (REST, offered ${cfg.rate}/s into ${a.conversations} conversations)`, value: a.deliveredRate, unit: 'msg/s', budget: rateBudget, note: `${a.delivered}/${a.offered} delivered, ${a.lost} not delivered within 5 s, ${a.skipped} skipped (>512 in flight), ${a.httpErrors} HTTP errors${cpuNote(cpu2, cpu3, cfg.seconds + (a.latency.max ?? 0) / 1000)}${agentCpu(acpu2, acpu3, cfg.seconds + (a.latency.max ?? 0) / 1000)}; ${setup}` });
    await call({ cmd: 'idle', group: 'senders' }, 60_000);
    rows.push(cpuPerMessageRow('server.a2v.cpu_us_per_msg', 'agent -> visitor', cpu2, cpuMsOf(server.child.pid), acpu2, agentServer ? cpuMsOf(agentServer.child.pid) : null, a.offered - a.skipped - a.httpErrors));
    rows.push({ section, key: 'server.a2v.p50', label: 'agent -> visitor delivery p50', value: a.latency.p50, unit: 'ms' });
    rows.push({ section, key: 'server.a2v.p99', label: 'agent -> visitor delivery p99', value: a.latency.p99, unit: 'ms', budget: p99Budget, note: `max ${fmt(a.latency.max)} ms; REST answer p50 ${fmt(a.rest.p50)} / p99 ${fmt(a.rest.p99)} ms` });
    if (a.restore) rows.push({ section, key: 'server.restore.a2v.p99', label: `session restore under agent load (${cfg.restoreRate}/s), p50 / p99`, value: a.restore.latency.p99, unit: 'ms', note: `p50 ${fmt(a.restore.latency.p50)} ms, n=${a.restore.latency.n}, ${a.restore.errors} errors` });
    const memEnd = await server.mem();
    rows.push({ section, key: 'server.rss.end', label: 'server RSS at the end', value: memEnd.rss / MB, unit: 'MB' });
    await call({ cmd: 'closeAll' }, 60_000).catch(() => {});
  } catch (err) {
    log('server', `failed: ${(err as Error).stack ?? err}`);
    rows.push(unavailableRow({ section, key: 'server.error', label: 'server bench', unit: 'count' }, String((err as Error).message ?? err).slice(0, 300)));
  } finally {
    gen.kill();
    await Promise.all([server.stop(), agentServer?.stop()]);
    await db?.drop();
  }
  return rows;
}

/**
 * A new, empty database on the PostgreSQL at `url` (its user must be allowed to CREATE DATABASE), so every
 * run starts from the same empty tables; drop() removes it. node-postgres comes from the server's workspace.
 */
async function freshDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  type Client = { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> };
  const pg = createRequire(join(process.cwd(), 'server/package.json'))('pg') as { Client: new (o: { connectionString: string }) => Client };
  const name = `twt_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        log('server', `could not drop ${name}: ${(err as Error).message}`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * 4. Floods of cheap requests, one at a time, from one loopback client against a
 * fresh server with the default limits (docs/operating.md), while a probe times
 * GET /v1/health. Per flood: the health p99 while it runs (budget < 50 ms), and
 * what it got through, bounded by the limit that applies.
 */
export async function floodRows(): Promise<Row[]> {
  const section = 'server' as const;
  const healthBudget = { max: 50, kind: 'report' as const, label: 'p99 < 50 ms' };
  const rows: Row[] = [];
  const server = await startServerProcess({ maxSeconds: 100 });
  const gen = spawnChild('bench/lib/loadgen.ts', ['--max-seconds', '90'], { deadlineMs: 95_000, label: 'loadgen (floods)' });
  const flood = async <T>(kind: string) => {
    const r = await gen.request<{ type: string; message?: string; health: Lat; healthErrors: number } & T>({ url: server.url, cmd: 'flood', kind }, (m) => m?.type === 'done' || m?.type === 'failed', 30_000);
    if (r.type === 'failed') throw new Error(`flood ${kind}: ${r.message}`);
    log('server', `flood ${kind}: health p99 ${fmt(r.health.p99)} ms (n=${r.health.n}), ${JSON.stringify({ ...r, health: undefined, type: undefined })}`);
    return r;
  };
  const health = (key: string, what: string, r: { health: Lat; healthErrors: number }, budget = true): Row => ({
    section,
    key: `server.flood.${key}.health_p99`,
    label: `/v1/health p99 during ${what}`,
    value: r.health.p99,
    unit: 'ms',
    ...(budget ? { budget: healthBudget } : {}),
    note: `p50 ${fmt(r.health.p50)} ms, max ${fmt(r.health.max)} ms, n=${r.health.n}${r.healthErrors ? `, ${r.healthErrors} errors` : ''}`,
  });
  try {
    await gen.next((m) => m?.type === 'ready', 30_000);
    rows.push(health('idle', 'no flood (reference)', await flood('idle'), false));

    const t = await flood<{ sent: number; relayed: number; closedWith: number | null }>('typing');
    rows.push(health('typing', 'typing flood (2,000 frames in 1.5 s, one socket)', t));
    rows.push({ section, key: 'server.flood.typing.relayed', label: 'typing flood: typing frames relayed to the agent', value: t.relayed, unit: 'count', budget: { max: 4, kind: 'report', label: '≤ 4 (one change a second)' }, note: `${t.sent} sent before the socket closed${t.closedWith ? ` (${t.closedWith})` : ''}` });

    const r = await flood<{ sent: number; unread: number; closedWith: number | null }>('read');
    rows.push(health('read', 'read-receipt flood (2,000 frames in 1.5 s)', r));
    rows.push({ section, key: 'server.flood.read.stored', label: 'read flood: receipts stored (unread answers)', value: r.unread, unit: 'count', budget: { max: 3, kind: 'report', label: '≤ 3 (only a higher seq is written)' }, note: `${r.sent} sent before the socket closed${r.closedWith ? ` (${r.closedWith})` : ''}` });

    const s = await flood<{ sessions: Record<string, number>; messagesAccepted: number; messagesRefused: number }>('sessions');
    rows.push(health('sessions', 'new-visitor flood (200 sessions in 1 s, 10 messages each)', s));
    rows.push({ section, key: 'server.flood.sessions.messages', label: 'new-visitor flood: messages accepted', value: s.messagesAccepted, unit: 'count', budget: { max: 150, kind: 'report', label: '≤ 150 ((10 + 1 a second) sessions × 10)' }, note: `sessions by status ${JSON.stringify(s.sessions)}; ${s.messagesRefused} messages refused` });

    const k = await flood<{ statuses: Record<string, number>; looked: number }>('agentKeys');
    rows.push(health('agent_keys', 'wrong-agent-key flood (200 in 1 s)', k));
    rows.push({ section, key: 'server.flood.agent_keys.checked', label: 'wrong-key flood: keys looked up (401)', value: k.looked, unit: 'count', budget: { max: 10, kind: 'report', label: '≤ 10 a minute' }, note: `answers by status ${JSON.stringify(k.statuses)}` });

    const o = await flood<{ accepted: number; refused: number; failed: number }>('sockets');
    rows.push(health('sockets', 'socket flood (300 in 1 s, one address)', o));
    rows.push({ section, key: 'server.flood.sockets.accepted', label: 'socket flood: sockets accepted', value: o.accepted, unit: 'count', budget: { max: 100, kind: 'report', label: '≤ 100 per address' }, note: `${o.refused} refused 429, ${o.failed} failed otherwise` });
  } catch (err) {
    log('server', `floods failed: ${(err as Error).stack ?? err}`);
    rows.push(unavailableRow({ section, key: 'server.flood.error', label: 'flood bench', unit: 'count' }, String((err as Error).message ?? err).slice(0, 300)));
  } finally {
    gen.kill();
    await server.stop();
  }
  return rows;
}

interface V2A {
  senders: number;
  offered: number;
  delivered: number;
  deliveredRate: number;
  lost: number;
  refused: Record<string, number>;
  latency: Lat;
  ack: Lat;
  restore: { latency: Lat; errors: number } | null;
}
interface A2V {
  conversations: number;
  offered: number;
  skipped: number;
  httpErrors: number;
  delivered: number;
  deliveredRate: number;
  lost: number;
  latency: Lat;
  rest: Lat;
  restore: { latency: Lat; errors: number } | null;
}

/**
 * Server CPU time (user + system, all its threads) per message stored over a message window, in µs: the
 * figure that depends least on what else the machine runs (a busy machine stretches wall time, not the work a
 * message costs). The window includes the session restores running alongside (20/s, a few % of it). With two
 * processes it is their sum, each process's share in the note.
 */
function cpuPerMessageRow(key: string, what: string, a: number | null, b: number | null, agentA: number | null, agentB: number | null, stored: number): Row {
  const main = a !== null && b !== null ? b - a : null;
  const agent = agentA !== null && agentB !== null ? agentB - agentA : null;
  const total = main === null ? null : main + (agent ?? 0);
  return {
    section: 'server',
    key,
    label: `server CPU per message, ${what} (user + system)`,
    value: total !== null && stored > 0 ? (total * 1000) / stored : null,
    unit: 'µs/msg',
    note: `${main ?? '—'} ms CPU${agent !== null ? ` + ${agent} ms (agent's process)` : ''} for ${stored} messages, from the window's start until the backlog was worked off`,
  };
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));

if (import.meta.url === `file://${process.argv[1]}`) stepMain('server', serverRows);
