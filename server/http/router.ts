/**
 * A route table's lookup: `METHOD /path/:param/...` patterns matched segment
 * by segment (a `:name` segment matches any one segment, decoded). Routes do
 * not shadow each other: a path matches at most one pattern per method, so
 * the order of the table does not matter.
 */
export interface Route<H> {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  handler: H;
}

export type Lookup<H> =
  | { found: true; handler: H; params: Record<string, string> }
  /** `allowed`: the methods the path has, if it has any (empty: no such path). */
  | { found: false; allowed: string[] };

export class Router<H> {
  private readonly compiled: Array<Route<H> & { segments: string[] }>;

  constructor(routes: readonly Route<H>[]) {
    this.compiled = routes.map((r) => ({ ...r, segments: r.pattern.split('/') }));
  }

  lookup(method: string, path: string): Lookup<H> {
    const segments = path.split('/');
    const allowed: string[] = [];
    for (const r of this.compiled) {
      const params = match(r.segments, segments);
      if (!params) continue;
      if (r.method === method) return { found: true, handler: r.handler, params };
      allowed.push(r.method);
    }
    return { found: false, allowed };
  }
}

function match(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = decodeSegment(path[i]!);
    else if (p !== path[i]) return null;
  }
  return params;
}

/** A malformed escape decodes to '' (which no id matches). */
function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
