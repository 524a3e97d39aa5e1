/**
 * Main-thread cost from a Chromium trace (the `devtools.timeline` events the
 * Performance panel and Lighthouse read). Attribution follows Lighthouse's
 * bootup-time idea: a top-level task belongs to a script URL when a script
 * event inside it (evaluate, compile, function call) names that URL; its
 * scripting time is the union of its script events (nested ones counted once).
 */

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) clock start and duration, µs: what the thread really ran, preemption excluded. */
  tts?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; scriptName?: string; stackTrace?: Array<{ url?: string }> }; fileName?: string; name?: string };
}

const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
/** Events that are JavaScript work (compile, evaluate, calls, microtasks, GC during it). */
const SCRIPT = new Set(['EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'RunMicrotasks', 'v8.compile', 'v8.compileModule', 'V8.CompileCode', 'v8.run', 'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'EventDispatch', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'BlinkGC.AtomicPhase']);
/** Events whose data names the script URL they run. */
const ATTRIBUTING = new Set(['EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'v8.compile', 'v8.compileModule', 'TimerFire', 'FireAnimationFrame', 'EventDispatch']);

function urlOf(e: TraceEvent): string | undefined {
  const d = e.args?.data;
  return d?.url || d?.scriptName || e.args?.fileName || d?.stackTrace?.[0]?.url || undefined;
}

export interface MainThreadCost {
  /** Scripting (union of script events) in tasks attributed to the URL, ms of wall clock. */
  scriptingMs: number;
  /** The same on the thread's CPU clock (excludes time the thread was preempted; null if the trace has no thread times). */
  scriptingCpuMs: number | null;
  /** CPU time of the attributed tasks, ms. */
  taskCpuMs: number | null;
  /** Whole duration of the tasks attributed to the URL (scripting + style/layout they ran), ms. */
  taskMs: number;
  tasks: number;
  /** Longest task attributed to the URL, ms. */
  longestTaskMs: number;
  /** Tasks of 50 ms or more attributed to the URL. */
  longTasks: number;
  /** Longest task of any origin on that thread, ms. */
  longestAnyTaskMs: number;
  /** Every task on that thread, ms (an upper bound of what the page cost). */
  allTaskMs: number;
  /** The attributed tasks, longest first (at most 10): duration, scripting, and the script event that named the URL. */
  top: Array<{ ms: number; cpuMs: number | null; scriptingMs: number; by: string }>;
}

/** Complete (`X`) events, with B/E pairs folded into complete ones. */
export function completeEvents(events: TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph === 'X') out.push(e);
    else if (e.ph === 'B') {
      const k = `${e.pid}:${e.tid}`;
      (open.get(k) ?? open.set(k, []).get(k)!).push(e);
    } else if (e.ph === 'E') {
      const b = open.get(`${e.pid}:${e.tid}`)?.pop();
      if (b) out.push({ ...b, ph: 'X', dur: e.ts - b.ts, ...(b.tts !== undefined && e.tts !== undefined ? { tdur: e.tts - b.tts } : {}), args: { ...b.args, ...e.args } });
    }
  }
  return out;
}

/** The (pid, tid) that evaluated a script whose URL matches: the host page's main thread. */
export function threadOfScript(events: TraceEvent[], urlMatch: RegExp): { pid: number; tid: number } | null {
  const e = events.find((x) => (x.name === 'EvaluateScript' || x.name === 'v8.compile') && urlMatch.test(urlOf(x) ?? ''));
  return e ? { pid: e.pid, tid: e.tid } : null;
}

/** Cost on one thread of the script(s) matching `urlMatch`, within [fromTs, toTs] (trace µs). */
export function mainThreadCost(raw: TraceEvent[], urlMatch: RegExp, window?: { fromTs?: number; toTs?: number }): MainThreadCost | null {
  const events = completeEvents(raw);
  const thread = threadOfScript(events, urlMatch);
  if (!thread) return null;
  const on = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && typeof e.dur === 'number');
  const from = window?.fromTs ?? -Infinity;
  const to = window?.toTs ?? Infinity;
  const tasks = on.filter((e) => TASK.has(e.name) && e.ts >= from && e.ts <= to).sort((a, b) => a.ts - b.ts);
  // Drop tasks nested in another task (RunTask inside ThreadControllerImpl::RunTask).
  const top: TraceEvent[] = [];
  for (const t of tasks) {
    const last = top[top.length - 1];
    if (last && t.ts < last.ts + last.dur!) continue;
    top.push(t);
  }
  const inner = on.filter((e) => !TASK.has(e.name)).sort((a, b) => a.ts - b.ts);
  const cost: MainThreadCost = { scriptingMs: 0, scriptingCpuMs: null, taskCpuMs: null, taskMs: 0, tasks: 0, longestTaskMs: 0, longTasks: 0, longestAnyTaskMs: 0, allTaskMs: 0, top: [] };
  let j = 0;
  for (const t of top) {
    const end = t.ts + t.dur!;
    while (j < inner.length && inner[j].ts < t.ts) j++;
    let attributed: string | null = null;
    const intervals: Array<[number, number]> = [];
    const cpuIntervals: Array<[number, number]> = [];
    for (let k = j; k < inner.length && inner[k].ts < end; k++) {
      const e = inner[k];
      if (!attributed && ATTRIBUTING.has(e.name) && urlMatch.test(urlOf(e) ?? '')) attributed = `${e.name}${(e.args?.data as { functionName?: string })?.functionName ? ' ' + (e.args!.data as { functionName?: string }).functionName : ''}`;
      if (SCRIPT.has(e.name)) {
        intervals.push([e.ts, Math.min(end, e.ts + e.dur!)]);
        if (e.tts !== undefined && e.tdur !== undefined) cpuIntervals.push([e.tts, e.tts + e.tdur]);
      }
    }
    const ms = t.dur! / 1000;
    cost.allTaskMs += ms;
    cost.longestAnyTaskMs = Math.max(cost.longestAnyTaskMs, ms);
    if (!attributed) continue;
    cost.tasks++;
    cost.taskMs += ms;
    cost.longestTaskMs = Math.max(cost.longestTaskMs, ms);
    if (ms >= 50) cost.longTasks++;
    const scriptingMs = unionLength(intervals) / 1000;
    cost.scriptingMs += scriptingMs;
    const cpuMs = t.tdur !== undefined ? t.tdur / 1000 : null;
    if (cpuMs !== null) {
      cost.taskCpuMs = (cost.taskCpuMs ?? 0) + cpuMs;
      cost.scriptingCpuMs = (cost.scriptingCpuMs ?? 0) + unionLength(cpuIntervals) / 1000;
    }
    cost.top.push({ ms, cpuMs, scriptingMs, by: attributed });
  }
  cost.top = cost.top.sort((a, b) => b.ms - a.ms).slice(0, 10);
  return cost;
}

/** Total length covered by intervals (sorted by start). */
export function unionLength(intervals: Array<[number, number]>): number {
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else curEnd = Math.max(curEnd, e);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}
