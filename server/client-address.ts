/**
 * Which client a request comes from, for the per-address limits.
 *
 * Without a trusted proxy it is the TCP peer. Behind reverse proxies
 * (`TWT_TRUST_PROXY=N`, N ≥ 1) the N hops nearest the server are trusted:
 * each appends the address it received the request from to X-Forwarded-For,
 * so the client is the N-th entry from the right of that header (1 = the last
 * entry, written by the proxy that connected to us). Entries left of that
 * were written by the client or by proxies we do not control and are never
 * used. A header shorter than N (the request skipped a proxy) yields its
 * leftmost entry; no header, the TCP peer.
 *
 * IPv6 clients are keyed by their /64: one subscriber commonly holds a whole
 * /64, and keying by single address would give them 2^64 buckets.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Reads TWT_TRUST_PROXY: `0`/`false`/unset = no proxy is trusted; `true` = 1 hop; a number = that many hops. */
export function parseTrustProxy(value: string | undefined): number {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no' || v === 'off') return 0;
  if (v === 'true' || v === 'yes' || v === 'on') return 1;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  throw new Error(`TWT_TRUST_PROXY must be 0, 1, true, false or a hop count; got ${JSON.stringify(value)}`);
}

/** The limit key of the client of this request (an IPv4 address, an IPv6 /64, or `unknown`). */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? '';
  if (trustedHops <= 0) return addressKey(peer);
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!entries.length) return addressKey(peer);
  return addressKey(entries[Math.max(0, entries.length - trustedHops)]!);
}

/** Normalises one address into its limit key. */
export function addressKey(raw: string): string {
  let a = raw.trim();
  // `[2001:db8::1]:443` or `203.0.113.9:51000` as some proxies write them.
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracket) a = bracket[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1]!;
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind === 6) return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded. */
function expandIPv6(a: string): string[] {
  const [head, tail] = a.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  return [...h, ...Array(Math.max(0, missing)).fill('0'), ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The scheme the client used: with trusted proxies (the same hop count as the
 * address), the entry of X-Forwarded-Proto written by the nearest of them
 * (the N-th from the right, a shorter header its leftmost); otherwise whether
 * our own socket is TLS. Decides the session cookie's Secure flag and the
 * server's own origin (the Origin check of cookie-authenticated requests).
 */
export function requestScheme(req: IncomingMessage, trustedHops: number): 'http' | 'https' {
  if (trustedHops > 0) {
    const header = req.headers['x-forwarded-proto'];
    const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (entries.length) return entries[Math.max(0, entries.length - trustedHops)] === 'https' ? 'https' : 'http';
  }
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}

/** This server's origin as the client sees it (scheme as above, and the Host header), or null without a usable Host. */
export function ownOrigin(req: IncomingMessage, trustedHops: number): string | null {
  const host = req.headers.host;
  if (!host || !/^[a-z0-9.\-:[\]]+$/i.test(host)) return null;
  return `${requestScheme(req, trustedHops)}://${host.toLowerCase()}`;
}
