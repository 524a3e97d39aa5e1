/**
 * The runtime locales (spec: 语言配置) and their normalisation, shared by the
 * host SDK and the runtime so both agree on what a value means.
 */

export const SOURCE_LOCALE = 'en';
export const TARGET_LOCALES = ['zh-cn', 'zh-tw', 'ja', 'ko', 'de', 'fr', 'pt', 'ru'] as const;
export const LOCALES = [SOURCE_LOCALE, ...TARGET_LOCALES] as const;
export type Locale = (typeof LOCALES)[number];

const TRADITIONAL = /^zh[-_](hk|mo|tw|hant)\b/;

/**
 * Maps a language tag to a supported runtime locale, or null when it has none.
 * Case and common region variants normalise: `zh-Hans`/`zh-SG`/`zh` -> zh-cn,
 * `zh-HK`/`zh-Hant` -> zh-tw, `pt-BR` -> pt, `EN_us` -> en.
 */
export function normalizeLocale(value: unknown): Locale | null {
  if (typeof value !== 'string') return null;
  const tag = value.trim().toLowerCase().replace(/_/g, '-');
  if (!tag || tag.length > 35) return null;
  if ((LOCALES as readonly string[]).includes(tag)) return tag as Locale;
  if (tag === 'zh' || tag.startsWith('zh-')) return TRADITIONAL.test(tag) ? 'zh-tw' : 'zh-cn';
  const primary = tag.split('-')[0];
  return primary !== 'zh' && (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : null;
}

/** The first supported locale of the browser's preferences (`navigator.languages`), else `en`. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const n = normalizeLocale(l);
    if (n) return n;
  }
  return SOURCE_LOCALE;
}
