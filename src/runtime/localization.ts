/**
 * @lit/localize in runtime mode. `setupLocalization()` is called exactly once
 * by each surface entry module (configureLocalization throws on a second
 * call); element modules only use `msg()`. Locale modules are loaded on
 * demand, one chunk per locale.
 */
import { configureLocalization } from '@lit/localize';
import { normalizeLocale, SOURCE_LOCALE, TARGET_LOCALES, type Locale } from '../shared/locales.js';

type LocaleModule = { templates: Record<string, unknown> };

// One explicit import per locale, so the bundler emits one lazy chunk each.
const loaders: Record<(typeof TARGET_LOCALES)[number], () => Promise<LocaleModule>> = {
  'zh-cn': () => import('./locales/zh-cn.js') as Promise<LocaleModule>,
  'zh-tw': () => import('./locales/zh-tw.js') as Promise<LocaleModule>,
  ja: () => import('./locales/ja.js') as Promise<LocaleModule>,
  ko: () => import('./locales/ko.js') as Promise<LocaleModule>,
  de: () => import('./locales/de.js') as Promise<LocaleModule>,
  fr: () => import('./locales/fr.js') as Promise<LocaleModule>,
  pt: () => import('./locales/pt.js') as Promise<LocaleModule>,
  ru: () => import('./locales/ru.js') as Promise<LocaleModule>,
};

let api: ReturnType<typeof configureLocalization> | undefined;

export function setupLocalization(): void {
  if (api) return;
  api = configureLocalization({
    sourceLocale: SOURCE_LOCALE,
    targetLocales: TARGET_LOCALES,
    loadLocale: (locale) => loaders[locale as keyof typeof loaders]() as never,
  });
}

/** The active locale (source locale before setup). */
export function activeLocale(): Locale {
  return (api?.getLocale() as Locale | undefined) ?? SOURCE_LOCALE;
}

/**
 * Switches to `value` after normalising it; resolves to the locale applied,
 * or null when the value is not a supported locale (nothing changes then).
 */
export async function applyLocale(value: unknown): Promise<Locale | null> {
  const locale = normalizeLocale(value);
  if (!locale) return null;
  if (!api) throw new Error('twt runtime: setupLocalization() was not called by the surface entry');
  await api.setLocale(locale);
  document.documentElement.lang = locale;
  return locale;
}
