/**
 * Host-page cost of the widget, in headless Chromium (playwright-core) against
 * the real server: host page on http://localhost:<a>, widget on
 * http://127.0.0.1:<b>. Each run uses a fresh browser context (empty cache,
 * a first visit). Runs: N plain, M with 4x CPU throttling of the host page,
 * and one run of 10 warm-up + 50 destroy/init cycles for memory.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import type { Row, Section } from '../lib/report.js';
import { formatValue, unavailableRow } from '../lib/report.js';
import { log, stepMain, type StepOptions } from '../lib/step.js';
import { startServerProcess } from '../lib/child.js';
import { destroyInitCycles, FLOOR_LOADER_PATH, startFloorServer, startHostServer } from '../lib/host-page.js';
import { instrument } from '../lib/instrument.js';
import { mainThreadCost, type MainThreadCost, type TraceEvent } from '../lib/trace.js';
import { median, nowMs, sleep } from '../lib/stats.js';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { kindTotals, parseSnapshot, type KindTotals } from '../lib/heap-diff.js';

const CORE = /\/install\/core\.js/;
/** The floor's loader (bench/lib/host-page.ts): a minimal hand-written one-iframe, one-handshake loader. */
const FLOOR = new RegExp(FLOOR_LOADER_PATH.replace(/[./]/g, (c) => '\\' + c));
const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "toplevel", "loading"];
const SURFACE_FRAME = (s: string) => `iframe[data-twt-widget-surface="${s}"]`;

interface Bytes {
  transfer: number;
  gzip: number;
  requests: number;
  /** Content-Encoding of each response the network answered (cache hits left out): what the server chose for Chromium. */
  encodings: Record<string, number>;
}
type BytesBySurface = Record<string, Bytes>;

interface RunResult {
  /** ms from core.js response end (when an async script can start) to each milestone. */
  times: Record<string, number | null>;
  before: BytesBySurface;
  after: BytesBySurface;
  wsFrames: { sent: number; received: number; bytes: number };
  costBefore: MainThreadCost | null;
  costTotal: MainThreadCost | null;
  longtasksBefore: number;
  widgetLoafs: number;
  cls: number;
  heapAfterInit: number | null;
  problems: string[];
}

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-extensions'];

/** Which part of the widget a request belongs to. */
function surfaceOf(req: Request, hostOrigin: string): string {
  const url = new URL(req.url());
  const page = /\/widget\/(\w+)(?:-dark)?\.html$/.exec(url.pathname); // launcher-dark.html: the launcher's
  if (page) return page[1];
  if (CORE.test(url.pathname)) return 'core.js';
  if (FLOOR.test(url.pathname)) return 'loader.js';
  let frameUrl = '';
  try {
    frameUrl = req.frame().url();
  } catch {
    /* service worker or detached frame */
  }
  const inFrame = /\/widget\/(\w+)(?:-dark)?\.html/.exec(frameUrl);
  if (inFrame) return inFrame[1];
  if (url.origin === hostOrigin) return 'host page (not widget)';
  return 'host -> widget API';
}

function addBytes(into: BytesBySurface, key: string, transfer: number, gzip: number, encoding: string | null): void {
  const b = (into[key] ??= { transfer: 0, gzip: 0, requests: 0, encodings: {} });
  b.transfer += transfer;
  b.gzip += gzip;
  b.requests++;
  if (encoding !== null) b.encodings[encoding] = (b.encodings[encoding] ?? 0) + 1;
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named functions
 * in `__name(...)` calls; functions serialised into the page need that helper.
 */
const NAME_HELPER = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function installInstrumentation(page: Page, hostOrigin: string): Promise<void> {
  await page.addInitScript({ content: `${NAME_HELPER}\n(${instrument.toString()})(${JSON.stringify(hostOrigin)});` });
}

async function waitMark(page: Page, name: string, timeoutMs: number): Promise<boolean> {
  try {
    await page.waitForFunction((n) => (window as any).__bench?.marks?.[n] !== undefined, name, { timeout: timeoutMs, polling: 50 });
    return true;
  } catch {
    return false;
  }
}

/** Waits until no request has started or finished for `quietMs` (at most `capMs`). */
async function settle(lastActivity: () => number, quietMs = 500, capMs = 4000): Promise<void> {
  const until = nowMs() + capMs;
  while (nowMs() < until && nowMs() - lastActivity() < quietMs) await sleep(50);
}

async function heapUsed(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/**
 * One first visit. `floor`: the floor's page instead (its loader, its one frame; ready = its handshake
 * answered, reported as `bridge-ready`), without the click.
 */
async function oneRun(browser: Browser, hostOrigin: string, { throttle, heap, floor = false, latency = 0 }: { throttle: number; heap: boolean; floor?: boolean; latency?: number }): Promise<RunResult> {
  const script = floor ? FLOOR : CORE;
  const problems: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // --latency: every request waits before it goes out, out-of-process frames' included (StepOptions.latency).
  if (latency > 0) await context.route(() => true, (route) => sleep(latency).then(() => route.continue()));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await installInstrumentation(page, hostOrigin);

  let phase: 'before' | 'after' = 'before';
  const before: BytesBySurface = {};
  const after: BytesBySurface = {};
  let lastActivity = nowMs();
  const pending = new Set<Promise<void>>();
  const wsFrames = { sent: 0, received: 0, bytes: 0 };
  context.on('request', () => (lastActivity = nowMs()));
  context.on('requestfinished', (req) => {
    lastActivity = nowMs();
    const into = phase === 'before' ? before : after;
    const p = (async () => {
      const sizes = await req.sizes().catch(() => null);
      const body = await (await req.response())?.body().catch(() => null);
      const resp = await req.response();
      // Without content-encoding the body as received is the body on the wire (sizes() reads 0 for some out-of-process frames).
      const contentEncoding = (await resp?.headerValue('content-encoding')) ?? null;
      const encoded = resp && !contentEncoding && body ? body.length : (sizes?.responseBodySize ?? 0);
      const transfer = encoded + (sizes?.responseHeadersSize ?? 0);
      const gzip = body && body.length ? gzipSync(body, { level: 9 }).length : 0;
      // A cache hit (the panel's copy of the pages' shared script) nets 0 bytes; its encoding is not a new answer.
      const fromNetwork = transfer > 0 && !resp?.fromServiceWorker();
      addBytes(into, surfaceOf(req, hostOrigin), transfer, gzip, fromNetwork && body?.length ? (contentEncoding ?? 'identity') : null);
    })().catch(() => {});
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  context.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      wsFrames.sent++;
      wsFrames.bytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
    });
    ws.on('framereceived', (f) => {
      wsFrames.received++;
      wsFrames.bytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
    });
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
  let traceStopped = false;
  const stopTrace = async () => {
    if (traceStopped) return null;
    traceStopped = true;
    return browser.stopTracing();
  };
  try {
    await page.goto(`${hostOrigin}/${floor ? 'floor' : ''}`, { waitUntil: 'load', timeout: 30_000 });
    const connected = await waitMark(page, floor ? 'bridge-ready' : 'session-connected', 20_000 * Math.max(1, throttle / 2));
    if (!connected) problems.push(`${floor ? 'the floor handshake' : 'session_connected'} not seen within the time limit`);
    await settle(() => lastActivity);
    await Promise.all(pending);

    const snapshot = await page.evaluate((source) => {
      const b = (window as any).__bench;
      const core = performance.getEntriesByType('resource').find((e) => new RegExp(source).test(e.name)) as PerformanceResourceTiming | undefined;
      return { marks: { ...b.marks }, longtasks: b.longtasks.length, loafs: b.loafs, timeOrigin: b.timeOrigin, coreResponseEnd: core?.responseEnd ?? null, coreStart: core?.startTime ?? null };
    }, script.source);
    const launcherFrame = page.frames().find((f) => (floor ? /\/widget\/floor\.html/ : /\/widget\/launcher\.html/).test(f.url()));
    const launcherPaint: Record<string, number> = launcherFrame
      ? await launcherFrame.evaluate(() => Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, performance.timeOrigin + e.startTime]))).catch((err: Error) => {
          problems.push(`launcher frame not readable: ${err.message.split('\n')[0]}`);
          return {};
        })
      : {};
    const heapAfterInit = heap ? await heapUsed(context, page) : null;

    const t0 = snapshot.coreResponseEnd;
    const rel = (name: string) => (t0 !== null && snapshot.marks[name] !== undefined ? snapshot.marks[name] - t0 : null);
    const launcherFcp = launcherPaint['first-contentful-paint'] ?? launcherPaint['first-paint'];
    const times: Record<string, number | null> = {
      coreDownload: t0 !== null && snapshot.coreStart !== null ? t0 - snapshot.coreStart : null,
      coreEvaluated: rel('core-evaluated'),
      initialized: rel('initialized'),
      launcherPainted: t0 !== null && launcherFcp ? launcherFcp - (snapshot.timeOrigin + t0) : null,
      launcherLoad2raf: rel('launcher-load-2raf'),
      bridgeReady: rel('bridge-ready'),
      sessionConnected: rel('session-connected'),
      clickToReady: null,
    };
    if (!launcherFcp) {
      problems.push(`no paint entry in the launcher frame (${launcherFrame ? 'frame found' : 'no frame'}); used its load + 2 frames`);
      times.launcherPainted = times.launcherLoad2raf;
    }

    // The first maximize: a real click on the launcher, until the composer accepts typing.
    phase = 'after';
    const launcher = page.locator(SURFACE_FRAME('launcher'));
    const box = floor ? null : await launcher.boundingBox().catch(() => null);
    if (floor) {
      /* the floor has no panel: nothing to click */
    } else if (!box) problems.push('no launcher iframe to click');
    else {
      await page.evaluate(() => performance.mark('bench-click'));
      const clickAt = nowMs();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      try {
        await page.locator(SURFACE_FRAME('panel')).waitFor({ state: 'visible', timeout: 15_000 });
        const composer = page.frameLocator(SURFACE_FRAME('panel')).locator('textarea, input[type="text"], input:not([type]), [contenteditable="true"], [contenteditable=""]').first();
        await composer.waitFor({ state: 'visible', timeout: 15_000 });
        const until = nowMs() + 15_000;
        while (!(await composer.isEditable()) && nowMs() < until) await sleep(10);
        if (await composer.isEditable()) times.clickToReady = nowMs() - clickAt;
        else problems.push('panel composer never became editable');
      } catch (err) {
        problems.push(`panel not ready for typing after the click: ${(err as Error).message.split('\n')[0]}`);
      }
      await settle(() => lastActivity);
      await Promise.all(pending);
    }
    const trace = await stopTrace();
    if (trace && process.env.BENCH_SAVE_TRACE) writeFileSync(`${process.env.BENCH_SAVE_TRACE}.${throttle}x.json`, trace);
    let costBefore: MainThreadCost | null = null;
    let costTotal: MainThreadCost | null = null;
    if (trace) {
      const events = (JSON.parse(trace.toString('utf8')).traceEvents ?? []) as TraceEvent[];
      const clickMark = events.find((e) => e.name === 'bench-click');
      costBefore = mainThreadCost(events, script, clickMark ? { toTs: clickMark.ts } : undefined);
      costTotal = mainThreadCost(events, script);
      if (!costTotal) problems.push(`${floor ? 'the floor loader' : 'core.js'} not found in the trace`);
    }
    const end = await page.evaluate(() => {
      const b = (window as any).__bench;
      return { shifts: b.shifts as Array<{ value: number; hadRecentInput: boolean }> };
    });
    const cls = end.shifts.filter((s) => !s.hadRecentInput).reduce((n, s) => n + s.value, 0);
    const widgetLoafs = snapshot.loafs.filter((l: { scripts: Array<{ url: string }> }) => l.scripts.some((s) => script.test(s.url))).length;
    return { times, before, after, wsFrames, costBefore, costTotal, longtasksBefore: snapshot.longtasks, widgetLoafs, cls, heapAfterInit, problems };
  } finally {
    await stopTrace().catch(() => null);
    await context.close();
  }
}

/** A heap snapshot (after the GCs of a heapUsed() call), reduced to self sizes by kind of node. */
async function heapKinds(context: BrowserContext, page: Page): Promise<KindTotals> {
  const cdp = await context.newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return kindTotals(parseSnapshot(chunks.join('')));
}

/**
 * Heap after init, then every 10 of `warmup + cycles` destroy/init cycles; also the page without
 * the widget. Heap snapshots after init and after `cycles` cycles say what the raw growth is made of.
 */
async function memoryRun(
  browser: Browser,
  hostOrigin: string,
  cycles: number,
  warmup: number,
): Promise<{ baseline: number; afterInit: number; series: number[]; completed: number; waitedFor: string; kinds: { init: KindTotals; after: KindTotals } | null; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext();
  try {
    const bare = await context.newPage();
    // The harness's own code in the page, as on the widget page below: the bench's instrumentation and
    // Playwright's injected script (page.waitForFunction brings it, about 350 KB of source text and its
    // objects). Without them in the baseline too, "added by the widget" counted them as the widget's.
    await installInstrumentation(bare, hostOrigin);
    await bare.goto(`${hostOrigin}/nowidget`, { waitUntil: 'load' });
    await bare.waitForFunction(() => (window as any).__bench !== undefined, null, { timeout: 10_000, polling: 50 });
    await sleep(500);
    const baseline = await heapUsed(context, bare);
    await bare.close();

    const page = await context.newPage();
    await installInstrumentation(page, hostOrigin);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${hostOrigin}/`, { waitUntil: 'load' });
    const gotReady = await waitMark(page, 'bridge-ready', 20_000);
    const waitedFor = gotReady ? 'bridge-ready' : 'initialized';
    if (!gotReady && !(await waitMark(page, 'initialized', 10_000))) throw new Error('the widget never initialized');
    await sleep(1500);
    const afterInit = await heapUsed(context, page);
    const kindsInit = await heapKinds(context, page).catch((e: Error) => (problems.push(`heap snapshot: ${e.message}`), null));
    let kindsAfter: KindTotals | null = null;
    // Cycles in chunks of 10 with a GC'd heap reading after each: a leak grows with every chunk,
    // a one-off (lazily compiled code, caches) does not.
    const series: number[] = [];
    let completed = 0;
    const total = cycles + warmup;
    for (let done = 0; done < total; done += 10) {
      completed += await destroyInitCycles(page, Math.min(10, total - done), waitedFor);
      await sleep(1500);
      series.push(await heapUsed(context, page));
      if (done + 10 === cycles && kindsInit) kindsAfter = await heapKinds(context, page).catch((e: Error) => (problems.push(`heap snapshot: ${e.message}`), null));
    }
    return { baseline, afterInit, series, completed, waitedFor, kinds: kindsInit && kindsAfter ? { init: kindsInit, after: kindsAfter } : null, problems };
  } finally {
    await context.close();
  }
}

export async function hostRows(opts: StepOptions): Promise<Row[]> {
  const rows: Row[] = [];
  // Every timed figure is the median of at least five first visits (min–max in its note); the floor's runs
  // alternate with ours, so both see the same load on a shared machine.
  const plainRuns = opts.quick ? 1 : 5;
  const throttledRuns = opts.quick ? 1 : 5;
  const cycles = opts.quick ? 10 : 50;
  /** destroy/init cycles before the judged heap figure starts (a multiple of 10). */
  const warmup = 10;
  const scriptBudget = { max: 30, kind: 'report' as const, label: '< 30 ms' };
  const longTaskBudget = { max: 0, kind: 'report' as const, label: '0 tasks ≥ 50 ms' };
  const clsBudget = { max: 0, kind: 'report' as const, label: '0' };
  const scriptAnchor = 'third-party-web avg scripting: Crisp 33 ms, Chatwoot 102 ms, Tawk.to 440 ms, LiveChat 1,116 ms, Intercom 1,433 ms, Zendesk 2,157 ms';
  if (!existsSync('dist/install/core.js')) {
    return [unavailableRow({ section: 'host', key: 'host.scripting', label: 'host-page scripting from core.js', unit: 'ms', budget: scriptBudget }, 'dist/install/core.js not built')];
  }
  const load = { start: loadavg(), end: [] as number[] };
  const server = await startServerProcess({ maxSeconds: 580 });
  const floorServer = await startFloorServer();
  const host = await startHostServer(server.url, floorServer.origin);
  const floorRuns: RunResult[] = [];
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: launchArgs, headless: true });
  try {
    log('host', `host page ${host.origin}, widget server ${server.url}`);
    const sets: Array<{ section: Section; throttle: number; runs: RunResult[] }> = [
      { section: 'host', throttle: 1, runs: [] },
      { section: 'host 4x CPU', throttle: 4, runs: [] },
    ];
    for (const set of sets) {
      const n = set.throttle > 1 ? throttledRuns : plainRuns;
      for (let i = 0; i < n; i++) {
        const r = await oneRun(browser, host.origin, { throttle: set.throttle, heap: set.throttle === 1, latency: opts.latency });
        log('host', `run ${set.section} #${i + 1}: ${JSON.stringify(r.times)}${r.problems.length ? ' problems: ' + r.problems.join(' | ') : ''}`);
        set.runs.push(r);
        if (set.throttle > 1) continue;
        const f = await oneRun(browser, host.origin, { throttle: 1, heap: false, floor: true, latency: opts.latency });
        log('host', `run floor #${i + 1}: ${JSON.stringify(f.times)}${f.problems.length ? ' problems: ' + f.problems.join(' | ') : ''}`);
        floorRuns.push(f);
      }
    }
    for (const { section, runs } of sets) rows.push(...runRows(section, runs, { scriptBudget, longTaskBudget, clsBudget, scriptAnchor }));
    rows.push(...floorRowsOf(sets[0].runs, floorRuns));

    try {
      const m = await memoryRun(browser, host.origin, cycles, warmup);
      log('host', `memory: ${JSON.stringify(m)}`);
      const KB = 1024;
      const kb = (x: number) => (x / KB).toFixed(0);
      const signedKb = (x: number) => `${x >= 0 ? '+' : ''}${(x / KB).toFixed(1)} KB`;
      // The judged figure starts after the warm-up: by then V8 has compiled (bytecode, then Sparkplug
      // baseline code) the functions that destroy and a second init run for the first time; heap
      // snapshots show that this, not objects of ours, is the raw figure's step (docs/performance.md).
      const warm = m.series[warmup / 10 - 1];
      const end = m.series[m.series.length - 1];
      const raw = m.series[cycles / 10 - 1];
      const ok = `${m.completed}/${cycles + warmup} cycles reached ${m.waitedFor}${m.problems.length ? '; ' + m.problems.slice(0, 3).join(' | ') : ''}`;
      const k = m.kinds;
      const split = k
        ? `; heap snapshots, first init -> after ${cycles} cycles: compiled code and feedback ${signedKb(k.after.code - k.init.code)}, hidden classes ${signedKb(k.after.shapes - k.init.shapes)}, all other JS objects ${signedKb(k.after.objects - k.init.objects)}`
        : '';
      rows.push({ section: 'host', key: 'host.heap.widget', label: 'host JS heap added by the widget after init', value: m.afterInit - m.baseline, unit: 'B', budget: { max: 500 * KB, kind: 'report', label: '≤ 500 KB' }, note: `page without widget ${kb(m.baseline)} KB, with ${kb(m.afterInit)} KB (both with the bench's instrumentation and Playwright's injected script)` });
      rows.push({
        section: 'host',
        key: 'host.heap.cycles_growth',
        label: `host JS heap growth over ${cycles} destroy/init cycles after ${warmup} warm-up cycles`,
        value: ((end - warm) / warm) * 100,
        unit: '%',
        budget: { max: 5, kind: 'report', label: '≤ 5 % (back to start)' },
        note: `${kb(warm)} KB after the warm-up -> ${m.series.slice(warmup / 10).map(kb).join(' -> ')} KB (every 10 cycles); ${ok}`,
      });
      rows.push({
        section: 'host',
        key: 'host.heap.cycles_growth_raw',
        label: `host JS heap growth after ${cycles} destroy/init cycles, from the first init (raw)`,
        value: ((raw - m.afterInit) / m.afterInit) * 100,
        unit: '%',
        note: `${kb(m.afterInit)} KB -> ${m.series.slice(0, cycles / 10).map(kb).join(' -> ')} KB (every 10 cycles)${split}`,
      });
    } catch (err) {
      rows.push(unavailableRow({ section: 'host', key: 'host.heap.cycles_growth', label: `host JS heap growth over ${cycles} destroy/init cycles after ${warmup} warm-up cycles`, unit: '%', budget: { max: 5, kind: 'report', label: '≤ 5 % (back to start)' } }, (err as Error).message));
    }
  } finally {
    await browser.close().catch(() => {});
    await host.close();
    await floorServer.close();
    await server.stop();
  }
  load.end = loadavg();
  const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  rows.push({ section: 'host', key: 'host.load_average', label: 'load average (1 min) when the host step started', value: load.start[0], unit: 'load', note: `1/5/15 min at the start ${la(load.start)}, at the end ${la(load.end)}; ${cpus().length} CPUs shared with whatever else runs${opts.latency ? `; every request held ${opts.latency} ms (--latency: the HTTP cache is off, so only the launcher's times compare with a run without it)` : ''}` });
  return rows;
}

/**
 * The floor (a hand-written one-iframe, one-handshake loader on the same host page, runs alternating with
 * ours) and our figures as ratios to it: how far the widget is from the physical limit of the approach.
 */
function floorRowsOf(ours: RunResult[], floor: RunResult[]): Row[] {
  const rows: Row[] = [];
  const section: Section = 'host';
  const s = (runs: RunResult[], f: (r: RunResult) => number | null | undefined, unit: Row['unit']) => spread(runs.map(f), unit);
  const scripting = (r: RunResult) => r.costBefore?.scriptingCpuMs ?? r.costBefore?.scriptingMs;
  const bytes = (r: RunResult) => sumBytes(r.before, (x) => x.transfer);
  const gzipBytes = (r: RunResult) => sumBytes(r.before, (x) => x.gzip);
  const requests = (r: RunResult) => sumBytes(r.before, (x) => x.requests);
  const painted = (r: RunResult) => r.times.launcherPainted;
  const pairs: Array<[string, string, (r: RunResult) => number | null | undefined, Row['unit']]> = [
    ['scripting', 'host-page scripting (main-thread CPU) until interaction', scripting, 'ms'],
    ['launcher_painted', 'loader start -> launcher painted', painted, 'ms'],
    ['bytes', 'bytes downloaded before interaction (over the wire)', bytes, 'B'],
    ['bytes_gzip', 'bytes downloaded before interaction (gzip -9 of the bodies)', gzipBytes, 'B'],
    ['requests', 'requests before interaction', requests, 'count'],
  ];
  for (const [key, label, f, unit] of pairs) {
    const fl = s(floor, f, unit);
    const us = s(ours, f, unit);
    rows.push(fl.median === null ? unavailableRow({ section, key: `host.floor.${key}`, label: `FLOOR: ${label}`, unit }, 'no floor run measured it') : { section, key: `host.floor.${key}`, label: `FLOOR: ${label}`, value: fl.median, unit, note: fl.note });
    if (key === 'requests' || key === 'bytes_gzip') continue;
    const ratio = fl.median && us.median !== null ? us.median / fl.median : null;
    const row = { section, key: `host.vs_floor.${key}`, label: `ours / floor: ${label}`, unit: 'times' as const, note: `ours ${us.median === null ? '—' : formatValue(us.median, unit)} / floor ${fl.median === null ? '—' : formatValue(fl.median, unit)} (medians)` };
    rows.push(ratio === null ? unavailableRow(row, 'a median is missing') : { ...row, value: ratio });
  }
  return rows;
}

/** Median with min–max and the count, for a note: `median of 5 runs, min–max a – b`. */
function spread(xs: Array<number | null | undefined>, unit?: Row['unit']): { median: number | null; note: string } {
  const ok = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const m = median(ok);
  if (m === null) return { median: null, note: 'no run measured it' };
  const f = (x: number) => (unit ? formatValue(x, unit) : fmt(x));
  return { median: m, note: `median of ${ok.length} run${ok.length > 1 ? 's' : ''}${ok.length < xs.length ? ` (${xs.length - ok.length} without a figure)` : ''}, min–max ${f(Math.min(...ok))} – ${f(Math.max(...ok))}` };
}

function sumBytes(bs: BytesBySurface, f: (x: Bytes) => number): number {
  return Object.entries(bs).reduce((n, [key, x]) => n + (key === 'host page (not widget)' ? 0 : f(x)), 0);
}

function runRows(section: Section, runs: RunResult[], b: { scriptBudget: Row['budget']; longTaskBudget: Row['budget']; clsBudget: Row['budget']; scriptAnchor: string }): Row[] {
  const rows: Row[] = [];
  const k = section === 'host' ? 'host' : 'host4x';
  const med = (f: (r: RunResult) => number | null | undefined): number | null => median(runs.map(f).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));
  const worst = (f: (r: RunResult) => number | null | undefined): number | null => {
    const xs = runs.map(f).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return xs.length ? Math.max(...xs) : null;
  };
  /** The note of a median figure: its count and min–max. */
  const spreadOf = (f: (r: RunResult) => number | null | undefined, unit: Row['unit'] = 'ms') => spread(runs.map(f), unit).note;
  const problems = [...new Set(runs.flatMap((r) => r.problems))];
  const missing = (why: string) => `${why}${problems.length ? ': ' + problems.slice(0, 2).join(' | ') : ''}`;
  const push = (row: Omit<Row, 'value'> & { value: number | null }, whyMissing = 'not measured') => rows.push(row.value === null ? unavailableRow(row, missing(whyMissing)) : row);

  const plain = section === 'host';
  // Thread CPU time is what core.js really cost; wall time also holds the time the thread was
  // preempted (large on a shared machine). Under CPU throttling only wall time shows the slowdown.
  const topTasks = (r: RunResult) => (r.costBefore?.top ?? []).slice(0, 3).map((t) => `${t.ms.toFixed(0)} ms wall/${t.cpuMs?.toFixed(1) ?? '?'} ms CPU ${t.by}`).join(', ');
  push({
    section,
    key: `${k}.scripting`,
    label: plain ? 'host-page scripting from core.js until the first click (main-thread CPU)' : 'host-page scripting from core.js until the first click (wall, throttled)',
    value: plain ? med((r) => r.costBefore?.scriptingCpuMs ?? r.costBefore?.scriptingMs) : med((r) => r.costBefore?.scriptingMs),
    unit: 'ms',
    budget: plain ? b.scriptBudget : undefined,
    anchor: plain ? b.scriptAnchor : undefined,
    note: `${spreadOf((r) => (plain ? r.costBefore?.scriptingCpuMs ?? r.costBefore?.scriptingMs : r.costBefore?.scriptingMs))}; wall ${fmt(med((r) => r.costBefore?.scriptingMs))} ms, CPU ${fmt(med((r) => r.costBefore?.scriptingCpuMs))} ms in ${fmt(med((r) => r.costBefore?.tasks), 0)} tasks; with the first maximize: wall ${fmt(med((r) => r.costTotal?.scriptingMs))} / CPU ${fmt(med((r) => r.costTotal?.scriptingCpuMs))} ms; biggest tasks: ${topTasks(runs[0])}`,
  });
  push({ section, key: `${k}.longest_task`, label: 'longest host task from core.js (wall)', value: worst((r) => r.costTotal?.longestTaskMs), unit: 'ms', note: `worst of ${runs.length}; CPU of the biggest: ${runs.map((r) => fmt(r.costTotal?.top[0]?.cpuMs)).join('/')} ms; longest task of any origin ${fmt(worst((r) => r.costTotal?.longestAnyTaskMs))} ms` });
  push({ section, key: `${k}.long_tasks`, label: 'host long tasks (≥ 50 ms wall) from core.js', value: worst((r) => r.costTotal?.longTasks), unit: 'count', budget: plain ? b.longTaskBudget : undefined, note: `worst of ${runs.length}; Long Tasks API saw ${fmt(worst((r) => r.longtasksBefore), 0)} long task(s) of any origin before the click; LoAF: ${fmt(worst((r) => r.widgetLoafs), 0)} long animation frame(s) with core.js scripts` });
  push({ section, key: `${k}.cls`, label: 'layout shift caused by the widget (CLS)', value: worst((r) => r.cls), unit: 'ratio', budget: b.clsBudget, note: `worst of ${runs.length}` });
  const t = (name: string, label: string, note?: string, budget?: Row['budget']) =>
    push({ section, key: `${k}.time.${name}`, label, value: med((r) => r.times[name]), unit: 'ms', budget, note: [spreadOf((r) => r.times[name]), note].filter(Boolean).join('; ') });
  t('coreEvaluated', 'core.js start -> evaluated', 'start = core.js response end (an async script runs as soon as it arrives)');
  t('initialized', 'core.js start -> initialized');
  t('launcherPainted', 'core.js start -> launcher painted', 'first contentful paint of the launcher document (its own Paint Timing), else its load event + 2 host frames', plain ? { max: 150, kind: 'report', label: '≤ 150 ms (median, loopback)' } : undefined);
  t('bridgeReady', 'core.js start -> bridge_ready');
  t('sessionConnected', 'core.js start -> session_connected');
  t('clickToReady', 'click on launcher -> panel ready for typing', 'real mouse click; ready = panel iframe visible and its composer editable (polled per frame, +~1 frame)');
  if (section !== 'host') return rows;

  // Bytes and requests as the browser downloaded them (first visit, empty cache). Bytes do not depend on timing,
  // but a figure is still the median of the runs with its min–max (the session answer's size varies a little).
  const r0 = runs[0];
  const total = (bs: BytesBySurface, f: (x: Bytes) => number, skipHost = true) => Object.entries(bs).reduce((s, [key, x]) => s + (skipHost && key === 'host page (not widget)' ? 0 : f(x)), 0);
  const surfaces = [...new Set([...Object.keys(r0.before), ...Object.keys(r0.after)])].filter((s) => s !== 'host page (not widget)').sort();
  const encodingsOf = (x: Bytes) => Object.entries(x.encodings).map(([e, n]) => `${n} ${e}`).join(', ') || 'none';
  for (const s of surfaces) {
    const x = r0.before[s];
    if (!x) continue;
    const over = spread(runs.map((r) => r.before[s]?.transfer), 'B');
    rows.push({ section, key: `host.bytes.before.${s}`, label: `downloaded before interaction: ${s}`, value: over.median ?? x.transfer, unit: 'B', note: `${over.note}; ${x.requests} request(s), answered as ${encodingsOf(x)}; gzip -9 of the bodies ${kb(x.gzip)}; over the wire = response headers + encoded bodies` });
  }
  const wire = spread(runs.map((r) => total(r.before, (x) => x.transfer)), 'B');
  const allEncodings: Bytes = { transfer: 0, gzip: 0, requests: 0, encodings: {} };
  for (const [key, x] of Object.entries(r0.before)) if (key !== 'host page (not widget)') for (const [e, n] of Object.entries(x.encodings)) allEncodings.encodings[e] = (allEncodings.encodings[e] ?? 0) + n;
  rows.push({ section, key: 'host.bytes.before.total', label: 'widget bytes downloaded before interaction (all surfaces, over the wire)', value: wire.median, unit: 'B', budget: { max: 24 * 1024, kind: 'report', label: '≤ 24 KB' }, anchor: "Crisp's first load ~130 KB; Zendesk 628 KB on first open", note: `${wire.note}; answers: ${encodingsOf(allEncodings)} (Chromium sends br to loopback and HTTPS only); gzip -9 of the same bodies ${kb(total(r0.before, (x) => x.gzip))}; WebSocket frames not included` });
  rows.push({ section, key: 'host.requests.before', label: 'widget requests before interaction (core.js included)', value: total(r0.before, (x) => x.requests), unit: 'count', budget: { max: 8, kind: 'report', label: '≤ 8' }, anchor: 'Zendesk: 36 requests on first open', note: `first run (bytes and requests do not depend on timing); ${Object.entries(r0.before).filter(([key]) => key !== 'host page (not widget)').map(([key, x]) => `${key} ${x.requests}`).join(', ')}` });
  for (const s of surfaces) {
    const x = r0.after[s];
    if (!x) continue;
    rows.push({ section, key: `host.bytes.after.${s}`, label: `downloaded at first maximize: ${s}`, value: x.transfer, unit: 'B', note: `${x.requests} request(s); gzip -9 ${kb(x.gzip)}` });
  }
  const panelOpen = (r0.before.panel?.gzip ?? 0) + (r0.after.panel?.gzip ?? 0);
  rows.push({ section, key: 'host.bytes.panel.after_open.gzip', label: 'panel bytes after first maximize (gzip -9 of what was downloaded)', value: r0.before.panel ? panelOpen : null, unit: 'B', budget: { max: 60 * 1024, kind: 'report', label: '≤ 60 KB gzip' }, note: 'includes its API answers' });
  rows.push({ section, key: 'host.requests.after', label: 'requests at first maximize', value: total(r0.after, (x) => x.requests), unit: 'count' });
  rows.push({ section, key: 'host.ws.frames', label: 'WebSocket frames until the panel is ready', value: r0.wsFrames.sent + r0.wsFrames.received, unit: 'count', note: `${r0.wsFrames.bytes} B of payload` });
  return rows;
}

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) stepMain('host', hostRows);
