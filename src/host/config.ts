/**
 * Widget configuration: merges the legacy `window.__twt__config`, `window.__twt`
 * and element attributes into one validated {@link WidgetConfig}.
 *
 * Only known keys are read, and only as own properties, so a config object with
 * `__proto__`/`constructor` keys or a host page with a polluted
 * `Object.prototype` can neither inject values nor pollute ours.
 */
import { APPID_PATTERN, PROFILE_CAPS, type LoginTriple, type VisitorProfile } from '../shared/wire-protocol.js';
import type { ThemeSetting } from '../shared/bridge-protocol.js';
import { httpOrigin, isIconUrl, isObject, own } from '../shared/bridge-protocol.js';
import { LOCALES, browserLocale, normalizeLocale, type Locale } from '../shared/locales.js';
import { CONFIG_FIELDS, CONFIG_KEYS, parseNumber, type ConfigField, type ConfigKey } from '../shared/config-fields.js';

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
  /** Report page views to the panel (src/host/page-tracker.ts). */
  trackPages: boolean;
  /** Keep the query and fragment of reported URLs. */
  trackPageQuery: boolean;
  /** The panel plays a tone for an agent message while it is closed (sent with the panel's view, so it applies live). */
  sound: boolean;
}

export interface ConfigResult {
  config: WidgetConfig;
  warnings: string[];
  /** Set when the widget cannot boot (missing or malformed appid). */
  error?: string;
}

/** A raw config source: anything; only plain objects are read. */
export type ConfigSource = unknown;


/** The value of `key` in the last source that sets it (own property, not undefined/null). */
function pick(sources: readonly ConfigSource[], key: string): unknown {
  let found: unknown;
  for (const s of sources) if (isObject(s) && own(s, key) && s[key] != null) found = s[key];
  return found;
}

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
  const warn = (key: string, expected: string, v: unknown, outcome: string) => warnings.push(`${invalidValue(key, expected, v)}, ${outcome}`);

  const field = (key: ConfigKey): ConfigField => CONFIG_FIELDS[key];
  const oneOf = <T extends string>(key: ConfigKey): T => {
    const { values = [] } = field(key);
    const fallback = values[0];
    const v = get(key);
    if (v === undefined) return fallback as T;
    if (typeof v === 'string' && values.includes(v)) return v as T;
    warn(key, oneOfText(values), v, `using "${fallback}"`);
    return fallback as T;
  };
  const bool = (key: ConfigKey): boolean => {
    const fallback = !!field(key).on;
    const v = get(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === '' || v === 'true') return true;
    if (v === 'false') return false;
    warn(key, 'a boolean', v, `using ${fallback}`);
    return fallback;
  };
  const num = (key: ConfigKey): number | null => {
    const { min = -Infinity, max = Infinity } = field(key);
    const v = get(key);
    if (v === undefined) return null;
    const n = parseNumber(v);
    if (Number.isFinite(n) && n >= min && n <= max) return Math.round(n);
    warn(key, `a number from ${min} to ${max}`, v, 'ignored');
    return null;
  };
  const text = (key: ConfigKey): string | undefined => {
    const { max } = field(key);
    const v = get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v.slice(0, max ?? 200);
    warn(key, 'a string', v, 'ignored');
    return undefined;
  };

  // appid
  let error: string | undefined;
  let appid = '';
  const rawAppid = get('appid');
  if (typeof rawAppid === 'string' && APPID_PATTERN.test(rawAppid.trim().toLowerCase())) {
    appid = rawAppid.trim().toLowerCase();
    if (appid !== rawAppid) warnings.push(`appid must be lowercase; using "${appid}"`);
  } else {
    error =
      rawAppid === undefined
        ? 'appid is missing: set window.__twt = { appid: "YOUR_APPID" } or the appid attribute.'
        : `appid ${describe(rawAppid)} is malformed: use your lowercase appid (a-z 0-9 - _, at most 64)`;
  }

  // language: explicit and supported, else the browser's first supported, else en
  const rawLang = get('language');
  let language = browserLocale(navigatorLanguages());
  if (rawLang !== undefined) {
    const n = normalizeLocale(rawLang);
    if (n) language = n;
    else warn('language', oneOfText(LOCALES), rawLang, `using "${language}"`);
  }

  // server: an http(s) origin; a path is dropped
  let server = '';
  const rawServer = text('server');
  if (rawServer) {
    server = httpOrigin(rawServer);
    if (!server) warn('server', 'an http(s) URL', rawServer, "using core.js's origin");
  }

  // icon (as in the legacy __twt__config): the launcher's image; a longer string is a truncated one
  let icon = '';
  const rawIcon = text('icon');
  if (rawIcon) {
    if (rawIcon.length < CONFIG_FIELDS.icon.max && isIconUrl(rawIcon)) icon = rawIcon;
    else warn('icon', 'an http(s) or data:image URL', rawIcon, 'ignored');
  }

  const profile: VisitorProfile = {};
  for (const k of ['name', 'nickname', 'email', 'phone'] as const) {
    const v = text(k);
    if (v !== undefined) profile[k] = v;
  }
  const referer = text('referer');
  profile.referer = referer !== undefined && httpOrigin(referer) ? referer : env.href.slice(0, PROFILE_CAPS.referer);
  profile.source_title = text('source_title') ?? env.title.slice(0, PROFILE_CAPS.source_title);

  const sbs = text('sbs');
  const sbs_mm = text('sbs_mm');
  const ranstr = text('ranstr');
  const login = sbs && sbs_mm && ranstr ? { sbs, sbs_mm, ranstr } : undefined;
  if (!login && (sbs || sbs_mm || ranstr)) warnings.push(`${LOGIN_NEEDS}; starting anonymous`);

  const config: WidgetConfig = {
    appid,
    asyncInit: bool('asyncInit'),
    language,
    theme: oneOf('theme'),
    launcher: oneOf('launcher'),
    zIndex: num('zIndex'),
    position: { right: num('right') ?? CONFIG_FIELDS.right.fallback, bottom: num('bottom') ?? CONFIG_FIELDS.bottom.fallback },
    storage: oneOf('storage'),
    server,
    icon,
    profile,
    login,
    trackPages: bool('trackPages'),
    trackPageQuery: bool('trackPageQuery'),
    sound: bool('sound'),
  };
  return { config, warnings, error };
}

/** What a login needs (config and `login()` say it alike). */
export const LOGIN_NEEDS = 'login needs sbs, sbs_mm and ranstr';

/** "`key` must be `expected`; got `v`": every config and API refusal of a value says it this way. */
export function invalidValue(key: string, expected: string, v: unknown): string {
  return `${key} must be ${expected}; got ${describe(v)}`;
}

/** `one of a, b, c` for a list of allowed values. */
export const oneOfText = (values: readonly string[]) => `one of ${values.join(', ')}`;


function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v;
}

function pageEnv() {
  return { href: location.href, title: document.title };
}

/** The browser's language preferences, most preferred first. */
function navigatorLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}
