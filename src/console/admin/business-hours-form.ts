/**
 * The business-hours part of an app's admin card: a time zone and, per weekday, its open intervals as text
 * ("09:00-12:00, 13:00-17:30"; empty = closed; overnight = "22:00-24:00" then "00:00-02:00" the next day), or
 * "always open". Read with the shared rule (src/shared/business-hours.ts), which the server checks again.
 */
import { html, nothing } from 'lit';
import type { AdminApp } from '../../shared/agent-accounts.js';
import { WEEKDAYS, dayText, hhmm, isTimeZone, parseDay, type BusinessHoursJson, type Weekday } from '../../shared/business-hours.js';

const DAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** A new schedule starts on the admin's own time zone. */
const ownTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The time zones this browser knows, for the field's suggestions (older browsers: none, the field still takes any). */
const timeZones = (): string[] => (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];

/**
 * The form's value as the admin API takes it (`hours`): null for always open, else the checked schedule; a string
 * says what is wrong (shown as the admin screen's error).
 */
export function hoursFromForm(form: HTMLFormElement): BusinessHoursJson | null | string {
  const data = new FormData(form);
  if (data.get('always') === 'on') return null;
  const timeZone = String(data.get('timeZone') ?? '').trim();
  if (!isTimeZone(timeZone)) return `“${timeZone}” is not a time zone (an IANA name such as Europe/Berlin)`;
  const week = {} as BusinessHoursJson['week'];
  for (const day of WEEKDAYS) {
    const parsed = parseDay(String(data.get(day) ?? ''));
    if (typeof parsed === 'string') return `${DAY_NAMES[day]}: ${parsed}`;
    week[day] = parsed.map((i) => ({ from: hhmm(i.from), to: hhmm(i.to) }));
  }
  return { timeZone, week };
}

/** The fields of `app`'s business hours (ids prefixed by the appid); `onSubmit` saves them. */
export function renderHoursForm(app: AdminApp, onSubmit: (e: Event) => void) {
  const h = app.hours;
  const id = (s: string) => `${s}-${app.appid}`;
  const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return html`<form class="hours" @submit=${onSubmit} aria-labelledby=${id('hours')}>
    <h4 id=${id('hours')}>Business hours</h4>
    <p class="meta">Outside them, or when no agent is online, visitors are told when you are back and asked for an email. Overnight: 22:00-24:00, then 00:00-02:00 the next day.</p>
    <div class="row">
      <input type="checkbox" id=${id('always')} name="always" .checked=${h === null} />
      <label for=${id('always')}>Always open (no hours)</label>
    </div>
    <div class="field">
      <label for=${id('tz')}>Time zone</label>
      <input id=${id('tz')} name="timeZone" .value=${h?.timeZone ?? ownTimeZone()} list=${id('zones')} autocomplete="off" />
      <datalist id=${id('zones')}>${timeZones().map((z) => html`<option value=${z}></option>`)}</datalist>
    </div>
    <div class="grid">
      ${WEEKDAYS.map(
        (day) => html`<div class="field">
          <label for=${id(day)}>${DAY_NAMES[day]}</label>
          <input
            id=${id(day)}
            name=${day}
            placeholder="closed"
            .value=${h ? dayText(h.week[day].map((i) => ({ from: toMinutes(i.from), to: toMinutes(i.to) }))) : day === 'sat' || day === 'sun' ? '' : '09:00-17:00'}
          />
        </div>`,
      )}
    </div>
    <button type="submit">Save hours</button>
    ${h ? nothing : html`<span class="meta">Now: always open.</span>`}
  </form>`;
}
