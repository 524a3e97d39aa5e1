/**
 * Widget configuration: merges the legacy `window.__twt__config`, `window.__twt`
 * and element attributes into one validated {@link WidgetConfig}.
 *
 * Only known keys are read, and only as own properties, so a config object with
 * `__proto__`/`constructor` keys or a host page with a polluted
 * `Object.prototype` can neither inject values nor pollute ours.
 */
import type { LoginTriple, VisitorProfile } from '../protocol/wire.js';
import type { ThemeSetting } from '../protocol/bridge.js';
import { isIconUrl, own } from '../protocol/bridge.js';
import { browserLocale, normalizeLocale, type Locale } from '../locale/locales.js';

export type LauncherMode = 'default' | 'custom';
/** Where the visitor's identity clue is kept first-party: `local` (localStorage, cookie fallback), `cookie`, or `none`. */
export type StorageMode = 'local' | 'cookie' | 'none';

export interface WidgetConfig {
  appid: string;
  asyncInit: boolean;
  language: Locale;
  theme: ThemeSetting;
  launcher: LauncherMode;
  /** null: our stylesheet default. */
  zIndex: number | null;
  /** Offsets of the widget from the bottom-right corner, in px. */
  position: { right: number; bottom: number };
  storage: StorageMode;
  /** Widget origin override ('' = the origin core.js came from). */
  server: string;
  /** Launcher icon image: an http(s) URL or a `data:image/…` URL ('' = our chat icon). */
  icon: string;
  profile: VisitorProfile;
  /** Present only when all three signature fields are. */
  login?: LoginTriple;
}

export interface ConfigResult {
  config: WidgetConfig;
  warnings: string[];
  /** Set when the widget cannot boot (missing or malformed appid). */
  error?: string;
}

/** A raw config source: anything; only plain objects are read. */
export type ConfigSource = unknown;


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of `key` in the last source that sets it (own property, not undefined/null). */
function pick(sources: readonly ConfigSource[], key: string): unknown {
  let found: unknown;
  for (const s of sources) if (isObject(s) && own(s, key) && s[key] != null) found = s[key];
  return found;
}

const ICON_MAX = 100000;
const APPID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const THEMES: readonly string[] = ['light', 'dark', 'system'];
const LAUNCHERS: readonly string[] = ['default', 'custom'];
const STORAGES: readonly string[] = ['local', 'cookie', 'none'];

/** Every key a config source may set (legacy keys are mapped by {@link fromLegacyConfig}). */
export const CONFIG_KEYS = [
  'appid', 'asyncInit', 'language', 'theme', 'launcher', 'zIndex', 'server', 'storage', 'right', 'bottom', 'icon',
  'name', 'nickname', 'email', 'phone', 'referer', 'source_title', 'sbs', 'sbs_mm', 'ranstr',
] as const;

/** One plain object holding, per known key, the value of the last source that sets it. Nothing else is copied. */
export function mergeConfig(...sources: readonly ConfigSource[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) {
    const v = pick(sources, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Maps the older `window.__twt__config` shape (`lang`, `position`, `icon`) onto ours. */
export function fromLegacyConfig(legacy: unknown): Record<string, unknown> | undefined {
  if (!isObject(legacy)) return undefined;
  const get = (k: string) => (own(legacy, k) ? legacy[k] : undefined);
  const out: Record<string, unknown> = {};
  for (const k of ['appid', 'language', 'theme', 'launcher', 'zIndex', 'asyncInit', 'icon']) out[k] = get(k);
  out.language ??= get('lang');
  const pos = get('position');
  if (isObject(pos)) {
    out.right = own(pos, 'right') ? pos.right : undefined;
    out.bottom = own(pos, 'bottom') ? pos.bottom : undefined;
  }
  return out;
}

/**
 * Resolves config from sources in increasing priority. Wrong types or unknown
 * values fall back to the default with a warning; `error` is set when there is
 * no usable appid.
 */
export function resolveConfig(sources: readonly ConfigSource[], env: { href: string; title: string } = pageEnv()): ConfigResult {
  const warnings: string[] = [];
  const get = (k: string) => pick(sources, k);

  const oneOf = <T extends string>(key: string, allowed: readonly string[], fallback: T): T => {
    const v = get(key);
    if (v === undefined) return fallback;
    if (typeof v === 'string' && allowed.includes(v)) return v as T;
    warnings.push(`${key} must be one of ${allowed.join(', ')}; got ${describe(v)}, using "${fallback}"`);
    return fallback;
  };
  const bool = (key: string): boolean => {
    const v = get(key);
    if (v === undefined || typeof v === 'boolean') return v === true;
    if (v === '' || v === 'true') return true;
    if (v === 'false') return false;
    warnings.push(`${key} must be a boolean; got ${describe(v)}, using false`);
    return false;
  };
  const num = (key: string, min: number, max: number): number | null => {
    const v = get(key);
    if (v === undefined) return null;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?(px)?$/.test(v.trim()) ? parseFloat(v) : NaN;
    if (Number.isFinite(n) && n >= min && n <= max) return Math.round(n);
    warnings.push(`${key} must be a number between ${min} and ${max}; got ${describe(v)}, using the default`);
    return null;
  };
  const text = (key: string, max = 200): string | undefined => {
    const v = get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v.slice(0, max);
    warnings.push(`${key} must be a string; got ${describe(v)}, ignored`);
    return undefined;
  };

  // appid
  let error: string | undefined;
  let appid = '';
  const rawAppid = get('appid');
  if (typeof rawAppid === 'string' && APPID.test(rawAppid.trim().toLowerCase())) {
    appid = rawAppid.trim().toLowerCase();
    if (appid !== rawAppid) warnings.push(`appid should be lowercase without spaces; using "${appid}"`);
  } else {
    error =
      rawAppid === undefined
        ? 'appid is missing. Set window.__twt = { appid: "YOUR_APPID" } before loading core.js, or <twt-chat-widget appid="YOUR_APPID">.'
        : `appid ${describe(rawAppid)} is malformed. Use your project's lowercase appid (letters, digits, "-" and "_", at most 64), e.g. window.__twt = { appid: "YOUR_APPID" }.`;
  }

  // language: explicit and supported, else the browser's first supported, else en
  const rawLang = get('language');
  let language = browserLocale();
  if (rawLang !== undefined) {
    const n = normalizeLocale(rawLang);
    if (n) language = n;
    else warnings.push(`language ${describe(rawLang)} is not supported (en, zh-cn, zh-tw, ja, ko, de, fr, pt, ru); using "${language}"`);
  }

  // server: an http(s) origin; a path is dropped
  let server = '';
  const rawServer = text('server', 2000);
  if (rawServer) {
    server = httpOrigin(rawServer);
    if (!server) warnings.push(`server must be an http(s) URL; got ${describe(rawServer)}, using the origin core.js came from`);
  }

  // icon (as in the legacy __twt__config): the launcher's image; a longer string is a truncated one
  let icon = '';
  const rawIcon = text('icon', ICON_MAX);
  if (rawIcon) {
    if (rawIcon.length < ICON_MAX && isIconUrl(rawIcon)) icon = rawIcon;
    else warnings.push(`icon must be an http(s) or data:image URL; got ${describe(rawIcon)}, using the chat icon`);
  }

  const profile: VisitorProfile = {};
  for (const k of ['name', 'nickname', 'email', 'phone'] as const) {
    const v = text(k);
    if (v !== undefined) profile[k] = v;
  }
  const referer = text('referer', 2000);
  profile.referer = referer !== undefined && httpOrigin(referer) ? referer : env.href.slice(0, 2000);
  profile.source_title = text('source_title') ?? env.title.slice(0, 200);

  const sbs = text('sbs', 2000);
  const sbs_mm = text('sbs_mm', 200);
  const ranstr = text('ranstr', 200);
  const login = sbs && sbs_mm && ranstr ? { sbs, sbs_mm, ranstr } : undefined;
  if (!login && (sbs || sbs_mm || ranstr)) warnings.push('login needs all of sbs, sbs_mm and ranstr; starting as an anonymous visitor');

  const config: WidgetConfig = {
    appid,
    asyncInit: bool('asyncInit'),
    language,
    theme: oneOf('theme', THEMES, 'light'),
    launcher: oneOf('launcher', LAUNCHERS, 'default'),
    zIndex: num('zIndex', -2147483648, 2147483647),
    position: { right: num('right', 0, 2000) ?? 20, bottom: num('bottom', 0, 2000) ?? 20 },
    storage: oneOf('storage', STORAGES, 'local'),
    server,
    icon,
    profile,
    login,
  };
  return { config, warnings, error };
}

/** The origin of an http(s) URL, or '' when it is not one. */
export function httpOrigin(value: string): string {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : '';
  } catch {
    return '';
  }
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v;
}

function pageEnv() {
  return { href: location.href, title: document.title };
}
