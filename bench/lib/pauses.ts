/**
 * A process's own pauses over a window: how late its event loop ran (a timer checked every 5 ms; late means the
 * thread was busy or not scheduled) and its garbage collections. The bench's server child and its load generator
 * each keep one, so a late message can be placed: the server's main thread stalled, the load generator (which
 * holds the clock) stalled, or neither (then the database thread or the kernel). Observation only: nothing here
 * changes what the process does.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface Pauses {
  /** Event-loop delay over the window, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** Garbage collections over the window (each a pause of this thread; V8's concurrent marking not counted). */
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

/** Starts recording; `take()` returns what happened since the previous take (or the start) and starts over. */
export function recordPauses(): { take(): Pauses } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gc = { count: 0, total: 0, max: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.total += e.duration;
      gc.max = Math.max(gc.max, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    take() {
      const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
      const out: Pauses = { loopP99Ms: ms(loop.percentile(99)), loopMaxMs: ms(loop.max), gcCount: gc.count, gcTotalMs: gc.total, gcMaxMs: gc.max };
      loop.reset();
      gc = { count: 0, total: 0, max: 0 };
      return out;
    },
  };
}

/** One line for a report note: "loop delay p99 13 / max 31 ms, 6 GCs 44 ms (longest 9.3 ms)". */
export function pausesNote(p: Pauses): string {
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
  return `loop delay p99 ${f(p.loopP99Ms)} / max ${f(p.loopMaxMs)} ms, ${p.gcCount} GCs ${f(p.gcTotalMs)} ms (longest ${f(p.gcMaxMs)} ms)`;
}
