/**
 * Diff of V8 heap snapshots (`.heapsnapshot`, as `HeapProfiler.takeHeapSnapshot`
 * writes them): node counts and self sizes per category, and which objects are
 * new in the later snapshot (by node id; ids are stable across the snapshots of
 * one HeapProfiler session) with a retainer path for the biggest groups.
 *
 *   node --import tsx bench/lib/heap-diff.ts a.heapsnapshot b.heapsnapshot [--top 40] [--paths 12] [--each 1] [--filter REGEX] [--code]
 *
 * --code adds the new compiled code and feedback by tier, script and function.
 * --filter keeps the new-object groups whose category matches (e.g. '^(?!\(code\)|\(object shape\)).*(?<!\[native\])$'
 * for plain JS objects); --each prints paths for that many objects per group.
 *
 * Used to tell a leak of ours (detached iframes, closures held by a global,
 * a growing Map) from engine-side growth (compiled code, feedback vectors).
 * See docs/performance.md, "Host heap".
 */
import { readFileSync } from 'node:fs';

export interface Snapshot {
  nodeFields: string[];
  nodeTypes: string[];
  edgeFields: string[];
  edgeTypes: string[];
  nodes: number[];
  edges: number[];
  strings: string[];
  /** Index into `nodes` of each node's first edge. */
  firstEdge: Uint32Array;
  nodeCount: number;
  nf: number;
  ef: number;
  idx: { type: number; name: number; id: number; self: number; edges: number; detached: number };
  eidx: { type: number; name: number; to: number };
}

export function readSnapshot(file: string): Snapshot {
  return parseSnapshot(readFileSync(file, 'utf8'));
}

export function parseSnapshot(json: string): Snapshot {
  const raw = JSON.parse(json);
  const meta = raw.snapshot.meta;
  const nodeFields: string[] = meta.node_fields;
  const edgeFields: string[] = meta.edge_fields;
  const nf = nodeFields.length;
  const ef = edgeFields.length;
  const nodes: number[] = raw.nodes;
  const nodeCount = nodes.length / nf;
  const idx = {
    type: nodeFields.indexOf('type'),
    name: nodeFields.indexOf('name'),
    id: nodeFields.indexOf('id'),
    self: nodeFields.indexOf('self_size'),
    edges: nodeFields.indexOf('edge_count'),
    detached: nodeFields.indexOf('detachedness'),
  };
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i++) {
    firstEdge[i] = e;
    e += nodes[i * nf + idx.edges] * ef;
    firstEdge[i + 1] = e;
  }
  return {
    nodeFields,
    nodeTypes: meta.node_types[0],
    edgeFields,
    edgeTypes: meta.edge_types[0],
    nodes,
    edges: raw.edges,
    strings: raw.strings,
    firstEdge,
    nodeCount,
    nf,
    ef,
    idx,
    eidx: { type: edgeFields.indexOf('type'), name: edgeFields.indexOf('name_or_index'), to: edgeFields.indexOf('to_node') },
  };
}

export const nodeType = (s: Snapshot, i: number) => s.nodeTypes[s.nodes[i * s.nf + s.idx.type]];
export const nodeName = (s: Snapshot, i: number) => s.strings[s.nodes[i * s.nf + s.idx.name]];
export const nodeId = (s: Snapshot, i: number) => s.nodes[i * s.nf + s.idx.id];
export const selfSize = (s: Snapshot, i: number) => s.nodes[i * s.nf + s.idx.self];
/** 0 unknown, 1 attached, 2 detached (DOM wrappers and native nodes). */
export const detachedness = (s: Snapshot, i: number) => (s.idx.detached >= 0 ? s.nodes[i * s.nf + s.idx.detached] : 0);

/**
 * The category a node is counted under: the constructor for objects, the
 * function name for closures, and coarse buckets for the rest (strings by
 * type only, code by its kind).
 */
export function category(s: Snapshot, i: number): string {
  const t = nodeType(s, i);
  const n = nodeName(s, i);
  switch (t) {
    case 'object':
    case 'native':
      return `${detachedness(s, i) === 2 ? 'Detached ' : ''}${n.split(' ')[0] || '(anonymous object)'}${t === 'native' ? ' [native]' : ''}`;
    case 'closure':
      return `closure ${n || '(anonymous)'}`;
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      return `(${t})`;
    case 'code':
      // system / BytecodeArray, (compiled code) SharedFunctionInfo names, feedback vectors...
      return `(code) ${n.startsWith('system / ') ? n : n.replace(/\s.*$/, '') || '(unnamed)'}`;
    case 'hidden':
    case 'synthetic':
    case 'object shape':
      return `(${t}) ${n.replace(/ @\d+$/, '').slice(0, 60)}`;
    default:
      return `(${t})`;
  }
}

export interface Tally {
  count: number;
  size: number;
}

export function summarize(s: Snapshot): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (let i = 0; i < s.nodeCount; i++) {
    const k = category(s, i);
    const t = out.get(k) ?? { count: 0, size: 0 };
    t.count++;
    t.size += selfSize(s, i);
    out.set(k, t);
  }
  return out;
}

export function totalSize(s: Snapshot, only?: 'js' | 'native'): number {
  let n = 0;
  for (let i = 0; i < s.nodeCount; i++) if (!only || (nodeType(s, i) === 'native') === (only === 'native')) n += selfSize(s, i);
  return n;
}

export interface KindTotals {
  /** Bytecode, machine code (baseline and optimized), feedback vectors, their tables: V8 nodes of type `code`. */
  code: number;
  /** Hidden classes (Maps, DescriptorArrays, transition arrays): type `object shape`. */
  shapes: number;
  /** Everything else in the V8 heap: objects, arrays, strings, closures, contexts. */
  objects: number;
  /** Blink's own (Oilpan) nodes: not in the V8 heap that Runtime.getHeapUsage reads. */
  native: number;
}

/** Self sizes by kind of node. */
export function kindTotals(s: Snapshot): KindTotals {
  const t: KindTotals = { code: 0, shapes: 0, objects: 0, native: 0 };
  for (let i = 0; i < s.nodeCount; i++) {
    const type = nodeType(s, i);
    t[type === 'code' ? 'code' : type === 'object shape' ? 'shapes' : type === 'native' ? 'native' : 'objects'] += selfSize(s, i);
  }
  return t;
}

/** Per category: b minus a, sorted by self-size growth. */
export function diffSummaries(a: Map<string, Tally>, b: Map<string, Tally>): Array<{ key: string; count: number; size: number; sizeB: number }> {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .map((key) => ({ key, count: (b.get(key)?.count ?? 0) - (a.get(key)?.count ?? 0), size: (b.get(key)?.size ?? 0) - (a.get(key)?.size ?? 0), sizeB: b.get(key)?.size ?? 0 }))
    .filter((d) => d.count || d.size)
    .sort((x, y) => y.size - x.size);
}

/** Reverse edges: for each node, the (node, edge) pairs that point at it. */
export function retainersOf(s: Snapshot): { start: Uint32Array; from: Uint32Array; edge: Uint32Array } {
  const counts = new Uint32Array(s.nodeCount + 1);
  const E = s.edges.length / s.ef;
  for (let e = 0; e < E; e++) counts[s.edges[e * s.ef + s.eidx.to] / s.nf]++;
  const start = new Uint32Array(s.nodeCount + 1);
  for (let i = 0; i < s.nodeCount; i++) start[i + 1] = start[i] + counts[i];
  const fill = start.slice();
  const from = new Uint32Array(E);
  const edge = new Uint32Array(E);
  for (let i = 0; i < s.nodeCount; i++) {
    for (let e = s.firstEdge[i]; e < s.firstEdge[i + 1]; e += s.ef) {
      const to = s.edges[e + s.eidx.to] / s.nf;
      const k = fill[to]++;
      from[k] = i;
      edge[k] = e;
    }
  }
  return { start, from, edge };
}

function edgeLabel(s: Snapshot, e: number): string {
  const type = s.edgeTypes[s.edges[e + s.eidx.type]];
  const v = s.edges[e + s.eidx.name];
  return type === 'element' || type === 'hidden' ? `[${v}]` : `${type === 'property' ? '.' : `(${type}) `}${s.strings[v]}`;
}

/** Shortest retainer path from a GC root to node `i` (breadth-first over reverse edges, weak edges skipped). */
export function retainerPath(s: Snapshot, r: ReturnType<typeof retainersOf>, i: number, maxDepth = 14): string {
  const prev = new Map<number, [number, number]>([[i, [-1, -1]]]);
  let frontier = [i];
  let root = -1;
  for (let d = 0; d < maxDepth && frontier.length && root < 0; d++) {
    const next: number[] = [];
    for (const n of frontier) {
      for (let k = r.start[n]; k < r.start[n + 1]; k++) {
        const from = r.from[k];
        const e = r.edge[k];
        if (s.edgeTypes[s.edges[e + s.eidx.type]] === 'weak' || prev.has(from)) continue;
        prev.set(from, [n, e]);
        const t = nodeType(s, from);
        if (from === 0 || (t === 'synthetic' && /GC roots|\(Global handles\)|\(Strong roots\)/.test(nodeName(s, from))) || (t === 'object' && /^Window\b/.test(nodeName(s, from)))) {
          root = from;
          break;
        }
        next.push(from);
      }
      if (root >= 0) break;
    }
    frontier = next;
  }
  if (root < 0) return '(no path to a root within the depth limit)';
  const parts: string[] = [];
  for (let n = root; n !== i; ) {
    const [child, e] = prev.get(n)!;
    parts.push(`${nodeName(s, n).slice(0, 50)} ${edgeLabel(s, e)}`);
    n = child;
  }
  return `${parts.join(' -> ')} -> ${category(s, i)}`;
}

/** Nodes of `b` whose id is not in `a`: allocated between the two snapshots and still alive. */
export function newNodes(a: Snapshot, b: Snapshot): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < a.nodeCount; i++) ids.add(nodeId(a, i));
  const out: number[] = [];
  for (let i = 0; i < b.nodeCount; i++) if (!ids.has(nodeId(b, i))) out.push(i);
  return out;
}

function edgesOf(s: Snapshot, i: number): Array<{ type: string; name: string; to: number }> {
  const out: Array<{ type: string; name: string; to: number }> = [];
  for (let e = s.firstEdge[i]; e < s.firstEdge[i + 1]; e += s.ef) {
    const type = s.edgeTypes[s.edges[e + s.eidx.type]];
    const v = s.edges[e + s.eidx.name];
    out.push({ type, name: type === 'element' || type === 'hidden' ? String(v) : s.strings[v], to: s.edges[e + s.eidx.to] / s.nf });
  }
  return out;
}

/**
 * Compiled code and feedback by the function it belongs to: every `code` node
 * reachable from a SharedFunctionInfo (bytecode, baseline or optimized code,
 * their tables) or from a closure's feedback cell is charged to that function,
 * and the function to its script. `tier` of machine code: `optimized` when its
 * Code object has deoptimization data (Maglev/TurboFan), else `baseline` (Sparkplug).
 */
export function codeOwners(s: Snapshot): Map<number, { fn: string; script: string; tier: string }> {
  const owner = new Map<number, { fn: string; script: string; tier: string }>();
  const sfiInfo = (i: number) => {
    const fn = nodeName(s, i).replace(/^system \/ SharedFunctionInfo \/? ?/, '') || '(anonymous)';
    const script = edgesOf(s, i).find((e) => e.name === 'script');
    const url = script ? nodeName(s, script.to).replace(/^system \/ Script \/? ?/, '') : '';
    return { fn, script: url || '(no url: eval / injected)' };
  };
  const claim = (start: number, info: { fn: string; script: string }) => {
    const stack: Array<[number, string]> = [[start, 'other']];
    while (stack.length) {
      const [n, tier] = stack.pop()!;
      for (const e of edgesOf(s, n)) {
        if (e.type === 'weak' || nodeType(s, e.to) !== 'code' || owner.has(e.to)) continue;
        const name = nodeName(s, e.to);
        if (/SharedFunctionInfo|Script\b/.test(name)) continue;
        let t = tier;
        if (name === 'system / Code') t = edgesOf(s, e.to).some((x) => x.name === 'deoptimization_data') ? 'optimized' : 'baseline';
        else if (name === 'system / BytecodeArray' || name === 'system / BytecodeWrapper') t = 'bytecode';
        else if (name === 'system / FeedbackVector' || name === 'system / FeedbackCell' || name === 'system / ClosureFeedbackCellArray') t = 'feedback';
        owner.set(e.to, { ...info, tier: t });
        stack.push([e.to, t]);
      }
    }
  };
  for (let i = 0; i < s.nodeCount; i++) if (nodeName(s, i).startsWith('system / SharedFunctionInfo')) claim(i, sfiInfo(i));
  for (let i = 0; i < s.nodeCount; i++) {
    if (nodeType(s, i) !== 'closure') continue;
    const shared = edgesOf(s, i).find((e) => e.name === 'shared');
    if (shared) claim(i, sfiInfo(shared.to));
  }
  return owner;
}

export function codeReport(a: Snapshot, b: Snapshot, top = 30): string[] {
  const fresh = newNodes(a, b).filter((i) => nodeType(b, i) === 'code');
  const owners = codeOwners(b);
  const byTier = new Map<string, number>();
  const byScript = new Map<string, number>();
  const byFn = new Map<string, { size: number; tiers: Set<string> }>();
  let total = 0;
  for (const i of fresh) {
    const o = owners.get(i) ?? { fn: '(not owned by a function)', script: '', tier: 'other' };
    const size = selfSize(b, i);
    total += size;
    byTier.set(o.tier, (byTier.get(o.tier) ?? 0) + size);
    const script = o.script.replace(/\?.*$/, '') || '(none)';
    byScript.set(script, (byScript.get(script) ?? 0) + size);
    const k = `${o.fn}  [${script}]`;
    const f = byFn.get(k) ?? { size: 0, tiers: new Set<string>() };
    f.size += size;
    f.tiers.add(o.tier);
    byFn.set(k, f);
  }
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`.padStart(9);
  const lines = ['', `code objects new in B: ${fresh.length}, ${kb(total).trim()}`, ' by tier:'];
  for (const [t, n] of [...byTier].sort((x, y) => y[1] - x[1])) lines.push(`  ${kb(n)}  ${t}`);
  lines.push(' by script:');
  for (const [t, n] of [...byScript].sort((x, y) => y[1] - x[1])) lines.push(`  ${kb(n)}  ${t}`);
  lines.push(` by function (top ${top}):`);
  for (const [k, f] of [...byFn].sort((x, y) => y[1].size - x[1].size).slice(0, top)) lines.push(`  ${kb(f.size)}  ${k} (${[...f.tiers].join(', ')})`);
  return lines;
}

export function report(fileA: string, fileB: string, { top = 40, paths = 12, filter = undefined as RegExp | undefined, each = 1, code = false } = {}): string {
  const a = readSnapshot(fileA);
  const b = readSnapshot(fileB);
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  const lines: string[] = [];
  lines.push(`A ${fileA}: ${a.nodeCount} nodes, ${kb(totalSize(a))} self`);
  lines.push(`B ${fileB}: ${b.nodeCount} nodes, ${kb(totalSize(b))} self (${totalSize(b) - totalSize(a) >= 0 ? '+' : ''}${kb(totalSize(b) - totalSize(a))})`);
  const js = totalSize(b, 'js') - totalSize(a, 'js');
  lines.push(`  V8 heap objects (all but [native] Blink nodes): ${kb(totalSize(a, 'js'))} -> ${kb(totalSize(b, 'js'))} (${js >= 0 ? '+' : ''}${kb(js)})`);
  lines.push('', `per category, B - A (top ${top} by self size):`);
  const d = diffSummaries(summarize(a), summarize(b));
  for (const x of d.slice(0, top)) lines.push(`  ${x.size >= 0 ? '+' : ''}${kb(x.size).padStart(10)}  ${(x.count >= 0 ? '+' : '') + x.count}`.padEnd(28) + ` ${x.key}`);
  lines.push('  ...', ...d.slice(-8).map((x) => `  ${kb(x.size).padStart(11)}  ${x.count}`.padEnd(28) + ` ${x.key}`));

  const fresh = newNodes(a, b);
  const groups = new Map<string, { count: number; size: number; sample: number; biggest: number }>();
  for (const i of fresh) {
    const k = category(b, i);
    const g = groups.get(k) ?? { count: 0, size: 0, sample: i, biggest: 0 };
    g.count++;
    g.size += selfSize(b, i);
    if (selfSize(b, i) > g.biggest) {
      g.biggest = selfSize(b, i);
      g.sample = i;
    }
    groups.set(k, g);
  }
  const sorted = [...groups.entries()].filter(([k]) => !filter || filter.test(k)).sort((x, y) => y[1].size - x[1].size);
  lines.push('', `objects new in B and still alive: ${fresh.length}, ${kb(fresh.reduce((n, i) => n + selfSize(b, i), 0))}; by category (top ${top}):`);
  for (const [k, g] of sorted.slice(0, top)) lines.push(`  ${kb(g.size).padStart(10)}  ${String(g.count).padStart(6)}  ${k}`);
  const detached = fresh.filter((i) => detachedness(b, i) === 2);
  lines.push('', `detached DOM among them: ${detached.length} (${[...new Set(detached.map((i) => nodeName(b, i)))].slice(0, 10).join(', ') || 'none'})`);
  if (code) lines.push(...codeReport(a, b, top));
  if (paths > 0) {
    const r = retainersOf(b);
    lines.push('', `retainer paths (the biggest object${each > 1 ? `s (up to ${each})` : ''} of each of the top ${paths} groups):`);
    for (const [k, g] of sorted.slice(0, paths)) {
      const members = each > 1 ? fresh.filter((i) => category(b, i) === k).sort((x, y) => selfSize(b, y) - selfSize(b, x)).slice(0, each) : [g.sample];
      for (const i of members) lines.push(`  [${k}] ${retainerPath(b, r, i)}`);
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args.splice(at, 2)[1]) : dflt;
  };
  const top = opt('--top', 40);
  const paths = opt('--paths', 12);
  const each = opt('--each', 1);
  const code = args.includes('--code');
  if (code) args.splice(args.indexOf('--code'), 1);
  const fAt = args.indexOf('--filter');
  const filter = fAt >= 0 ? new RegExp(args.splice(fAt, 2)[1]) : undefined;
  if (args.length !== 2) {
    console.error('usage: heap-diff.ts a.heapsnapshot b.heapsnapshot [--top N] [--paths N] [--each N] [--filter REGEX] [--code]');
    process.exit(2);
  }
  console.log(report(args[0], args[1], { top, paths, filter, each, code }));
}
