/**
 * The panel's away notice (part of the lazy chat UI): outside the app's business hours, or inside them with no
 * agent online (PanelState.agentsOnline, the launcher's presence), it says so and when the team is back ("We're
 * back Monday 9:00 AM", in the visitor's locale and time zone), and asks for an email so the team can follow up.
 * The composer stays usable meanwhile: messages written now are stored as always.
 *
 * The hours come from the server (GET /v1/visitor/away), asked again when they next change and whenever the
 * panel moves to another conversation.
 */
import { html, css, LitElement, nothing, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { HoursState } from '../shared/business-hours.js';
import { emailAddress, FOLLOW_UP_EMAIL_MAX } from '../shared/email.js';
import type { PanelSession, PanelState } from './panel-session.js';
import { awayState, leaveFollowUpEmail } from './visitor-requests.js';
import { activeLocale } from './localization.js';
import { sameDay, timeLabel } from './format.js';
import { baseStyles } from './styles.js';

/** The longest a timer waits before the hours are asked again (timers cannot wait past ~24 days; hours change weekly anyway). */
const RECHECK_MAX_MS = 6 * 3600_000;

export class TwtAwayNotice extends LitElement {
  static override properties = {
    session: { attribute: false },
    state: { attribute: false },
    hours: { state: true },
    email: { state: true },
    knownEmail: { state: true },
    editing: { state: true },
    problem: { state: true },
    saving: { state: true },
  };

  session: PanelSession | null = null;
  state: PanelState | null = null;
  /** The app's hours now; null until the server answered (nothing shows meanwhile, so nothing flickers). */
  hours: HoursState | null = null;
  /** The follow-up email stored on the conversation, or null. */
  email: string | null = null;
  /** The email the visitor left before (an earlier conversation of its own): the empty field starts with it. */
  knownEmail: string | null = null;
  /** The email field shows (no email yet, or the visitor changes it). */
  editing = true;
  problem: 'invalid' | 'failed' | null = null;
  saving = false;

  /** The conversation the hours and email were asked for. */
  private askedFor: string | null | undefined;
  private recheck: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.recheck);
    this.askedFor = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('state') && !changed.has('session')) return;
    const id = this.session?.conversationId ?? null;
    if (this.state?.phase === 'active' && id && id !== this.askedFor) void this.ask(id);
  }

  /** Asks the server for the hours (and the conversation's email); again when they change. */
  private async ask(id: string): Promise<void> {
    this.askedFor = id;
    clearTimeout(this.recheck);
    if (!this.session) return;
    try {
      const answer = await awayState(this.session);
      if (this.askedFor !== id) return;
      this.hours = answer.hours;
      this.email = answer.followUpEmail;
      this.knownEmail = answer.knownEmail ?? null;
      this.editing = !answer.followUpEmail;
      this.problem = null;
      if (answer.hours.changesAt) {
        const wait = Math.min(Math.max(Date.parse(answer.hours.changesAt) - Date.now(), 1000), RECHECK_MAX_MS);
        this.recheck = setTimeout(() => this.askedFor === id && void this.ask(id), wait);
      }
    } catch {
      // No answer (offline): the notice waits for the next conversation or reconnect.
      if (this.askedFor === id) this.askedFor = undefined;
    }
  }

  /** Outside the hours, or inside them with nobody online. */
  get away(): boolean {
    const h = this.hours;
    return !!h && !!this.state && this.state.phase === 'active' && (!h.open || this.state.agentsOnline === 0);
  }

  private readonly onSubmit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#away-email');
    const email = emailAddress(input?.value ?? '');
    if (!email || !this.session) return void (this.problem = 'invalid');
    this.saving = true;
    try {
      this.email = await leaveFollowUpEmail(this.session, email);
      this.editing = false;
      this.problem = null;
    } catch (err) {
      this.problem = (err as { reason?: string }).reason === 'invalid_email' ? 'invalid' : 'failed';
    } finally {
      this.saving = false;
    }
  };

  override render() {
    if (!this.away || !this.hours) return nothing;
    const h = this.hours;
    const status = !h.open
      ? h.nextOpening
        ? this.backAt(new Date(h.nextOpening))
        : msg("We're away right now.", { id: 'away.closed' })
      : msg('No one is online right now.', { id: 'away.nobody' });
    return html`<section class="away" aria-labelledby="away-title">
      <p id="away-title"><strong>${status}</strong> ${msg('Your messages are kept and answered when we are back.', { id: 'away.kept' })}</p>
      ${this.editing ? this.renderForm() : this.renderSaved()}
    </section>`;
  }

  private renderForm() {
    const invalid = this.problem === 'invalid';
    return html`<form @submit=${this.onSubmit} novalidate>
      <label for="away-email">${msg('Leave your email and we will follow up:', { id: 'away.email.label' })}</label>
      <div class="row">
        <input
          id="away-email"
          type="email"
          autocomplete="email"
          inputmode="email"
          maxlength=${FOLLOW_UP_EMAIL_MAX}
          .value=${this.email ?? this.knownEmail ?? ''}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${this.problem ? 'away-problem' : nothing}
        />
        <button type="submit" ?disabled=${this.saving}>${msg('Save', { id: 'away.email.save' })}</button>
      </div>
      ${this.problem
        ? html`<p id="away-problem" class="problem" role="alert">
            ${invalid ? msg('Please enter a valid email address.', { id: 'away.email.invalid' }) : msg('Your email could not be saved. Please try again.', { id: 'away.email.failed' })}
          </p>`
        : nothing}
    </form>`;
  }

  private renderSaved() {
    const email = this.email ?? '';
    return html`<p class="saved" role="status">
      ${msg(str`We'll follow up at ${email}.`, { id: 'away.email.saved' })}
      <button type="button" class="link" @click=${() => ((this.editing = true), (this.problem = null))}>${msg('Change', { id: 'away.email.change' })}</button>
    </p>`;
  }

  /** "We're back at 9:00 AM" (today), "…Monday 9:00 AM" (this week), or with the date further on; in the visitor's locale and time zone. */
  private backAt(at: Date): string {
    const now = new Date();
    if (sameDay(at, now)) {
      const time = timeLabel(at);
      return msg(str`We're back at ${time}.`, { id: 'away.back_today' });
    }
    const far = at.getTime() - now.getTime() > 6 * 86_400_000;
    const when = new Intl.DateTimeFormat(activeLocale(), { weekday: 'long', hour: 'numeric', minute: '2-digit', ...(far ? { day: 'numeric', month: 'long' } : {}) }).format(at);
    return msg(str`We're back ${when}.`, { id: 'away.back' });
  }

  static override styles = [
    baseStyles,
    css`
      .away {
        display: grid;
        gap: 6px;
        margin: 0;
        padding: 8px 16px;
        border-top: 1px solid var(--twt-border);
        background: var(--twt-banner-bg);
        color: var(--twt-banner-fg);
        font-size: 13px;
      }
      p {
        margin: 0;
      }
      form {
        display: grid;
        gap: 4px;
      }
      .row {
        display: flex;
        gap: 6px;
      }
      input {
        flex: 1;
        min-width: 0;
        padding: 6px 8px;
        border: 1px solid var(--twt-border);
        border-radius: 6px;
        background: var(--twt-bg);
        color: var(--twt-fg);
        font: inherit;
      }
      input::placeholder {
        color: var(--twt-muted);
        opacity: 1;
      }
      input[aria-invalid='true'] {
        border-color: var(--twt-danger);
      }
      button {
        padding: 4px 12px;
        border: 0;
        border-radius: 6px;
        background: var(--twt-accent);
        color: var(--twt-accent-fg);
      }
      button.link {
        padding: 0;
        background: none;
        color: inherit;
        text-decoration: underline;
      }
      .problem {
        color: inherit;
        font-weight: 600;
      }
    `,
  ];
}

if (!customElements.get('twt-away-notice')) customElements.define('twt-away-notice', TwtAwayNotice);
