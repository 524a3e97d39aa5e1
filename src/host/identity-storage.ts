/**
 * First-party storage of the visitor's identity clue ({bs, bs_mm, fk_id}).
 *
 * Third-party storage inside our iframes is partitioned or blocked in many
 * browsers, so the host keeps the clue on the host page's own origin and hands
 * it to the runtime over the bridge at the next boot (never in a URL).
 * Every storage access may throw (disabled storage, quota, Safari private
 * mode): failures make the visitor anonymous, never crash the widget.
 */
import type { IdentityClue } from '../shared/wire-protocol.js';
import { own } from '../shared/bridge-protocol.js';
import type { StorageMode } from './config.js';

const MAX = 512;

export const identityKey = (appid: string) => `twt:identity:${appid}`;
/** Cookie names cannot contain ':'. */
const cookieName = (appid: string) => `twt_identity_${appid}`;

/** The stored clue, or undefined when there is none, storage is off, or what is stored is not a clue. */
export function readIdentity(appid: string, mode: StorageMode): IdentityClue | undefined {
  if (mode === 'none') return undefined;
  return parseClue((mode === 'local' && tryLocal((s) => s.getItem(identityKey(appid)))) || readCookie(cookieName(appid)));
}

/** Stores the clue; returns where it went ('local', 'cookie') or '' when nowhere. */
export function writeIdentity(appid: string, clue: IdentityClue, mode: StorageMode): 'local' | 'cookie' | '' {
  if (mode === 'none') return '';
  const value = JSON.stringify({ bs: clue.bs, bs_mm: clue.bs_mm, fk_id: clue.fk_id ?? '' });
  if (value.length > MAX) return '';
  if (mode === 'local' && tryLocal((s) => (s.setItem(identityKey(appid), value), true))) return 'local';
  try {
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${cookieName(appid)}=${encodeURIComponent(value)}; path=/; max-age=31536000; SameSite=Lax${secure}`;
    return readCookie(cookieName(appid)) ? 'cookie' : '';
  } catch {
    return '';
  }
}

function tryLocal<T>(f: (s: Storage) => T): T | undefined {
  try {
    return f(window.localStorage);
  } catch {
    return undefined;
  }
}

function readCookie(name: string): string | undefined {
  try {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
    }
  } catch {
    /* cookies disabled or a malformed value */
  }
  return undefined;
}

/** Accepts only {bs, bs_mm[, fk_id]} strings of sane length; anything else reads as "no clue". */
export function parseClue(raw: string | null | undefined): IdentityClue | undefined {
  if (!raw || raw.length > MAX) return undefined;
  try {
    const o = JSON.parse(raw) as unknown;
    if (typeof o !== 'object' || o === null) return undefined;
    // Own properties only: a polluted Object.prototype must not supply a clue.
    const field = (k: string) => (own(o, k) ? (o as Record<string, unknown>)[k] : undefined);
    const [bs, bs_mm, fk_id] = [field('bs'), field('bs_mm'), field('fk_id')];
    const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
    if (!ok(bs) || !ok(bs_mm)) return undefined;
    return { bs: bs as string, bs_mm: bs_mm as string, ...(ok(fk_id) ? { fk_id: fk_id as string } : {}) };
  } catch {
    return undefined;
  }
}
