/**
 * "Open now" and "next opening" of an app's business hours (src/shared/business-hours.ts) at an instant the
 * caller gives (the server's wall clock, ServerContext.now, so tests step it). Wall times become instants through
 * Intl in the app's time zone, so a schedule keeps its local hours across daylight-saving changes: "09:00" is 09:00
 * in Berlin in winter and in summer, and the day of a change is 23 or 25 hours long.
 */
import { WEEKDAYS, type BusinessHours, type HoursState } from '../src/shared/business-hours.js';

const MINUTE_MS = 60_000;
/** Days ahead the next opening is looked for: a whole week and the day after, so every weekday is seen. */
const DAYS_AHEAD = 8;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date and minute of instant `ms` in `timeZone`. */
function wallTime(ms: number, timeZone: string): { y: number; m: number; d: number; minutes: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, minutes: p.hour! * 60 + p.minute! };
}

/** How far `timeZone` is ahead of UTC at instant `ms` (whole minutes). */
function offsetAt(ms: number, timeZone: string): number {
  const t = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  const w = wallTime(t, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, 0, w.minutes) - t;
}

/**
 * The instant of a local wall time (day `d` of month `m`, `minutes` after midnight; overflows roll into the next
 * day) in `timeZone`. The offset is guessed at the wall time read as UTC, then taken again at the instant that
 * gives: across a change the second one is right. A wall time skipped by a spring-forward change comes out after
 * the gap (02:30 that never happened opens at 03:30); a repeated one (autumn) is its second occurrence.
 */
export function instantOf(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** The open intervals as instants from the local day of `nowMs` on, joined where one ends as the next begins (overnight). */
function openSpans(hours: BusinessHours, nowMs: number): [number, number][] {
  const today = wallTime(nowMs, hours.timeZone);
  const spans: [number, number][] = [];
  for (let k = 0; k < DAYS_AHEAD; k++) {
    const date = new Date(Date.UTC(today.y, today.m - 1, today.d + k));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    // getUTCDay(): 0 is Sunday; WEEKDAYS starts on Monday.
    for (const i of hours.week[WEEKDAYS[(date.getUTCDay() + 6) % 7]!]) {
      const span: [number, number] = [instantOf(y, m, d, i.from, hours.timeZone), instantOf(y, m, d, i.to, hours.timeZone)];
      const last = spans[spans.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else spans.push(span);
    }
  }
  return spans;
}

/** Whether the app's team is in at `nowMs` by its hours (null hours: always), when it opens next, and when that changes. */
export function hoursState(hours: BusinessHours | null, nowMs: number): HoursState {
  if (!hours) return { open: true, nextOpening: null, changesAt: null };
  for (const [start, end] of openSpans(hours, nowMs)) {
    if (start <= nowMs && nowMs < end) return { open: true, nextOpening: null, changesAt: new Date(end).toISOString() };
    if (start > nowMs) return { open: false, nextOpening: new Date(start).toISOString(), changesAt: new Date(start).toISOString() };
  }
  return { open: false, nextOpening: null, changesAt: null };
}
