/** Dates and times in the active locale, through Intl. */
import { activeLocale } from './localization.js';

const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

export function sameDay(a: Date, b: Date): boolean {
  return dayKey(a) === dayKey(b);
}

/** "Today", "Yesterday" (Intl.RelativeTimeFormat) or a medium date. */
export function dayLabel(d: Date, now: Date = new Date(), locale: string = activeLocale()): string {
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(d) - startOf(now)) / 86_400_000);
  if (days === 0 || days === -1) {
    const s = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day');
    return s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}

export function timeLabel(d: Date, locale: string = activeLocale()): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(d);
}
