/**
 * An app's business hours: a time zone (IANA name, checked with Intl) and a weekly schedule, per weekday zero or
 * more open intervals "HH:MM-HH:MM". One rule for the admin screen (src/console/admin) and the server
 * (server/business-hours.ts computes "open now" and "next opening" from it). No DOM, no Node.
 *
 * Overnight hours are written as two intervals: one to 24:00, the next day's from 00:00 ("22:00-24:00" on
 * Friday, "00:00-02:00" on Saturday). An interval that ends before it starts is refused with that hint, so a
 * schedule never means two things.
 */

/** The weekdays in the order the admin screen lists them; the index of each is its JavaScript `getDay()` minus 1, Sunday last. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One open interval, in minutes after the local midnight: 0 <= from < to <= 1440. */
export interface OpenInterval {
  from: number;
  to: number;
}

/** A weekly schedule: every weekday's open intervals, sorted and not overlapping (a day without any is closed). */
export type WeeklySchedule = Record<Weekday, OpenInterval[]>;

/** An app's business hours, or null: always open (the default). */
export interface BusinessHours {
  timeZone: string;
  week: WeeklySchedule;
}

/** Intervals a day may have (more is a mistake, not a schedule). */
export const INTERVALS_PER_DAY_MAX = 6;

/** Whether `tz` is an IANA time zone this runtime knows (Intl is the judge: "Europe/Berlin", "UTC", not "CET+1"). */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** "HH:MM" as minutes after midnight ("24:00" = 1440, only as an end), or null. */
function minutesOf(hhmm: string): number | null {
  const m = TIME.exec(hhmm.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

const two = (n: number) => String(n).padStart(2, '0');
/** Minutes after midnight as "HH:MM". */
export const hhmm = (minutes: number): string => `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;

/** One day's intervals as the admin screen edits them: "09:00-12:00, 13:00-17:30" ('' = closed). */
export function dayText(intervals: readonly OpenInterval[]): string {
  return intervals.map((i) => `${hhmm(i.from)}-${hhmm(i.to)}`).join(', ');
}

/** Parses one day's text ("09:00-12:00, 13:00-17:30", '' = closed); a string is the problem. */
export function parseDay(text: string): OpenInterval[] | string {
  const pairs: { from: string; to: string }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [from, to, ...rest] = part.split('-');
    if (to === undefined || rest.length) return `"${part}" is not an interval HH:MM-HH:MM`;
    pairs.push({ from: from!.trim(), to: to.trim() });
  }
  return checkDay(pairs);
}

/** Checks one day's intervals given as "HH:MM" pairs; sorted intervals, or the problem. */
function checkDay(raw: readonly { from: unknown; to: unknown }[]): OpenInterval[] | string {
  if (raw.length > INTERVALS_PER_DAY_MAX) return `at most ${INTERVALS_PER_DAY_MAX} intervals a day`;
  const out: OpenInterval[] = [];
  for (const r of raw) {
    const from = typeof r.from === 'string' ? minutesOf(r.from) : null;
    const to = typeof r.to === 'string' ? minutesOf(r.to) : null;
    if (from === null || to === null || from === 1440) return `"${String(r.from)}-${String(r.to)}" is not an interval HH:MM-HH:MM (00:00 to 24:00)`;
    if (to <= from) return `"${String(r.from)}-${String(r.to)}" ends before it starts: for overnight hours, close the day at 24:00 and open the next one at 00:00`;
    out.push({ from, to });
  }
  out.sort((a, b) => a.from - b.from);
  for (let i = 1; i < out.length; i++) if (out[i]!.from < out[i - 1]!.to) return `${dayText([out[i - 1]!])} and ${dayText([out[i]!])} overlap`;
  return out;
}

/**
 * Checks business hours as the admin API receives them: null (always open) or
 * `{timeZone, week: {mon: [{from: "09:00", to: "17:00"}], …}}` (a weekday left out is closed).
 * The checked value, or a string saying what is wrong.
 */
export function checkBusinessHours(v: unknown): BusinessHours | null | string {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return 'hours must be null or {timeZone, week}';
  const { timeZone, week } = v as { timeZone?: unknown; week?: unknown };
  if (!isTimeZone(timeZone)) return `timeZone must be an IANA time zone such as Europe/Berlin (got ${JSON.stringify(timeZone)})`;
  if (typeof week !== 'object' || week === null || Array.isArray(week)) return 'week must be an object of weekdays (mon … sun)';
  for (const k of Object.keys(week)) if (!(WEEKDAYS as readonly string[]).includes(k)) return `unknown weekday ${JSON.stringify(k)} (mon … sun)`;
  const out = {} as WeeklySchedule;
  for (const day of WEEKDAYS) {
    const raw = (week as Record<string, unknown>)[day] ?? [];
    if (!Array.isArray(raw) || raw.some((r) => typeof r !== 'object' || r === null)) return `${day}: a list of {from, to}`;
    const checked = checkDay(raw as { from: unknown; to: unknown }[]);
    if (typeof checked === 'string') return `${day}: ${checked}`;
    out[day] = checked;
  }
  return { timeZone, week: out };
}

/** Business hours as the admin API sends and receives them (times as "HH:MM"). */
export interface BusinessHoursJson {
  timeZone: string;
  week: Record<Weekday, { from: string; to: string }[]>;
}

export function businessHoursJson(h: BusinessHours): BusinessHoursJson {
  const week = {} as BusinessHoursJson['week'];
  for (const d of WEEKDAYS) week[d] = h.week[d].map((i) => ({ from: hhmm(i.from), to: hhmm(i.to) }));
  return { timeZone: h.timeZone, week };
}

/**
 * Whether the team is in now, as the visitor's panel is told (GET /v1/visitor/away). `open`: inside the app's
 * hours (always, when it has none). `nextOpening`: when the hours open next (ISO 8601), null while open or
 * when no day has hours. `changesAt`: the next opening or closing (ISO), when the panel asks again.
 */
export interface HoursState {
  open: boolean;
  nextOpening: string | null;
  changesAt: string | null;
}
