/**
 * Every widget option, once: its config key (`window.__twt`), the element's
 * reactive property and attribute, its type, the values it may take, its
 * default and its cap, and (its comment) its description. config.ts validates
 * with it, `<twt-chat-widget>` declares its reactive properties from it,
 * `mergeConfig` copies exactly its keys, and its attributes are documented from
 * it (custom-elements-manifest.config.mjs: custom-elements.json, docs/api.md).
 */
import { PROFILE_CAPS } from './wire-protocol.js';

export interface ConfigField {
  /** The element property, when it differs from the config key; its attribute is its kebab-case form (`z-index`). */
  readonly property?: string;
  /** Strings unless said otherwise. */
  readonly type?: 'number' | 'boolean';
  /** Allowed strings; the first is the default (anything else falls back to it with a warning). */
  readonly values?: readonly string[];
  /** Strings: the longest value kept (default 200). Numbers: the highest accepted. */
  readonly max?: number;
  /** Numbers: the lowest accepted. */
  readonly min?: number;
  /** Numbers: the value used when the option is unset or invalid. */
  readonly fallback?: number;
  /** Booleans: on unless set to false (its attribute then takes `"false"`; a bare attribute means true). */
  readonly on?: true;
}

export const CONFIG_FIELDS = {
  /** Your project's appid (required). */
  appid: {},
  /** Do not boot on connect; call `init()`. */
  asyncInit: { type: 'boolean' },
  /** Initial language: en, zh-cn, zh-tw, ja, ko, de, fr, pt, ru (case and region variants normalise). Default: the browser's. */
  language: {},
  /** Theme; `system` follows prefers-color-scheme. Default light. */
  theme: { values: ['light', 'dark', 'system'] },
  /** `custom` creates no launcher iframe. Default `default`. */
  launcher: { values: ['default', 'custom'] },
  /** Stacking level of the surfaces. */
  zIndex: { type: 'number', min: -2147483648, max: 2147483647 },
  /** Widget origin, when it is not the origin core.js came from. */
  server: { max: 2000 },
  /** Where the visitor identity clue is kept first-party. Default `local`. */
  storage: { values: ['local', 'cookie', 'none'] },
  /** Distance from the right edge, px (default 20). */
  right: { property: 'offsetRight', type: 'number', min: 0, max: 2000, fallback: 20 },
  /** Distance from the bottom edge, px (default 20). */
  bottom: { property: 'offsetBottom', type: 'number', min: 0, max: 2000, fallback: 20 },
  /** Launcher image instead of the chat icon: an http(s) URL or a base64 data:image URL. */
  icon: { max: 100000 },
  /** Visitor name. */
  name: { max: PROFILE_CAPS.name },
  /** Visitor nickname. */
  nickname: { max: PROFILE_CAPS.nickname },
  /** Visitor email. */
  email: { max: PROFILE_CAPS.email },
  /** Visitor phone. */
  phone: { max: PROFILE_CAPS.phone },
  /** Source URL (default: the page URL). */
  referer: { max: PROFILE_CAPS.referer },
  /** Source title (default: the page title). */
  source_title: { property: 'sourceTitle', max: PROFILE_CAPS.source_title },
  /** Business user id (login triple). */
  sbs: { max: 2000 },
  /** Business user signature (login triple). */
  sbs_mm: { property: 'sbsMm' },
  /** Signature nonce (login triple). */
  ranstr: {},
  /** Report the pages the visitor views (single-page navigations too) to your agents; `false` turns it off. Default true. */
  trackPages: { type: 'boolean', on: true },
  /** Keep query strings and fragments in the reported page URLs (dropped on your page by default). Default false. */
  trackPageQuery: { type: 'boolean' },
  /** A short tone for an agent message while the panel is closed, once the visitor has interacted with the page (browsers allow sound only then). Default false. */
  sound: { type: 'boolean' },
} as const satisfies Record<string, ConfigField>;

type Fields = typeof CONFIG_FIELDS;
export type ConfigKey = keyof Fields;
/** What an option takes in a config object (`window.__twt`), from its row: a number, a boolean, one of its values, or a string. */
export type ConfigValue<F> = F extends { type: 'number' } ? number : F extends { type: 'boolean' } ? boolean : F extends { values: readonly (infer V)[] } ? V : string;
/** A config object: every option optional, typed from the table (each key keeps its row's description). */
export type ConfigObject = { -readonly [K in keyof Fields]?: ConfigValue<Fields[K]> };

/** Every key a config source may set (legacy keys are mapped by `fromLegacyConfig`). */
export const CONFIG_KEYS = Object.keys(CONFIG_FIELDS) as ConfigKey[];

/** The element property of a config key. */
export const propertyOf = (key: ConfigKey): string => (CONFIG_FIELDS[key] as ConfigField).property ?? key;
/** The element attribute of a config key: its property in kebab-case (`zIndex` -> `z-index`). */
export const attributeOf = (key: ConfigKey): string => propertyOf(key).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** A number as config accepts it (`12`, `"12"`, `"12px"`); anything else is NaN. */
export function parseNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?(px)?$/.test(v.trim()) ? parseFloat(v) : NaN;
}
