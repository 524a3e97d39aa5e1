/**
 * Trusted domains of an app: exact hostnames (`example.com`, `localhost`),
 * wildcard subdomains (`*.example.com`, not the apex), or a full origin
 * (`https://shop.example.com:8443`). Matching parses the Origin and compares
 * whole hostnames / labels, never substrings of the origin string.
 */

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Normalises a trusted-domain entry for storage; null if it is not a valid entry. */
export function normalizeTrustedDomain(input: string): string | null {
  const raw = input.trim().toLowerCase();
  if (!raw || raw.length > 253) return null;
  if (raw.includes('://')) {
    const origin = parseOrigin(raw);
    return origin && origin.origin === raw.replace(/\/$/, '') ? origin.origin : null;
  }
  if (raw.startsWith('*.')) return HOST_RE.test(raw.slice(2)) && raw.slice(2).includes('.') ? raw : null;
  return HOST_RE.test(raw) || isIPv4(raw) ? raw : null;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Parses an Origin header value; only http(s) origins with no path count. */
export function parseOrigin(value: string | undefined | null): { origin: string; protocol: string; hostname: string } | null {
  if (!value || value === 'null' || value.length > 300) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return { origin: url.origin, protocol: url.protocol, hostname: url.hostname.toLowerCase() };
}

export function originIsTrusted(origin: string | undefined | null, trusted: readonly string[]): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  for (const entry of trusted) {
    if (entry.includes('://')) {
      if (entry === parsed.origin) return true;
    } else if (entry.startsWith('*.')) {
      const suffix = entry.slice(1); // ".example.com"
      if (parsed.hostname.length > suffix.length && parsed.hostname.endsWith(suffix)) return true;
    } else if (entry === parsed.hostname) {
      return true;
    }
  }
  return false;
}

/**
 * May a browser request carrying this Origin act for an app with these trusted
 * domains? Yes from our own origin (the widget surfaces, served by this server:
 * the Origin's host is the request's Host, whatever the scheme a proxy ended),
 * or from a trusted domain. A request without Origin is not from a page (a
 * server, a CLI) and stays allowed; `null` and anything unparsable are refused.
 */
export function requestOriginAllowed(origin: string | undefined, host: string | undefined, trusted: readonly string[]): boolean {
  if (origin === undefined) return true;
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (host && new URL(parsed.origin).host === host.toLowerCase()) return true;
  return originIsTrusted(origin, trusted);
}

/** The CSP frame-ancestors source list for an app's trusted domains ('none' when there are none). */
export function frameAncestors(trusted: readonly string[]): string {
  const sources: string[] = [];
  for (const entry of trusted) {
    if (entry.includes('://')) sources.push(entry);
    else {
      const host = entry.includes(':') ? `[${entry}]` : entry;
      sources.push(`http://${host}:*`, `https://${host}:*`, `http://${host}`, `https://${host}`);
    }
  }
  return sources.length ? sources.join(' ') : "'none'";
}
