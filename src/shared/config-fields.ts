/**
 * Every widget option, once: its config key (`window.__twt`), the element's
 * reactive property and attribute, its type, the values it may take, its
 * default and its cap. config.ts validates with it, `<twt-chat-widget>`
 * declares its reactive properties from it, `mergeConfig` copies exactly its keys.
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
}

export const CONFIG_FIELDS = {
  appid: {},
  asyncInit: { type: 'boolean' },
  language: {},
  theme: { values: ['light', 'dark', 'system'] },
  launcher: { values: ['default', 'custom'] },
  zIndex: { type: 'number', min: -2147483648, max: 2147483647 },
  server: { max: 2000 },
  storage: { values: ['local', 'cookie', 'none'] },
  right: { property: 'offsetRight', type: 'number', min: 0, max: 2000, fallback: 20 },
  bottom: { property: 'offsetBottom', type: 'number', min: 0, max: 2000, fallback: 20 },
  icon: { max: 100000 },
  name: { max: PROFILE_CAPS.name },
  nickname: { max: PROFILE_CAPS.nickname },
  email: { max: PROFILE_CAPS.email },
  phone: { max: PROFILE_CAPS.phone },
  referer: { max: PROFILE_CAPS.referer },
  source_title: { property: 'sourceTitle', max: PROFILE_CAPS.source_title },
  sbs: { max: 2000 },
  sbs_mm: { property: 'sbsMm' },
  ranstr: {},
} as const satisfies Record<string, ConfigField>;

export type ConfigKey = keyof typeof CONFIG_FIELDS;

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
