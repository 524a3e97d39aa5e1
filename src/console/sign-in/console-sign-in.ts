/**
 * <twt-console-sign-in>: the console's sign-in form (email and password).
 * On success the server has set the session cookie and the element fires
 * `signed-in` with the agent; failures are announced (role=alert) and the
 * password field is cleared and focused for another try.
 *
 * @summary Agent console sign-in.
 * @fires signed-in - CustomEvent<ConsoleAgent>, bubbles and composed.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ConsoleAgent } from '../../shared/agent-accounts.js';
import { ConsoleThemeController, consoleTheme } from '../theme.js';
import { SignInError, signIn } from './session-api.js';

export class ConsoleSignIn extends LitElement {
  static override properties = {
    error: { state: true },
    busy: { state: true },
  };

  /** The console's theme choice, as the inbox set it (data-theme). */
  protected readonly theme = new ConsoleThemeController(this);
  error = '';
  busy = false;

  static override styles = [
    consoleTheme,
    css`
      :host { display: grid; place-items: center; min-height: 100vh; min-height: 100dvh; background: var(--bg-soft); padding: 16px; box-sizing: border-box; }
      .card { width: 100%; max-width: 380px; background: var(--bg); border: 1px solid var(--line); border-radius: 14px; padding: 28px 24px; box-sizing: border-box; box-shadow: 0 8px 28px rgb(0 0 0 / 0.08); }
      .brand { display: flex; align-items: center; gap: 10px; margin-bottom: 20px; }
      .logo { width: 36px; height: 36px; border-radius: 10px; background: var(--accent); color: var(--accent-fg); display: grid; place-items: center; font-weight: 800; }
      h1 { font-size: 20px; margin: 0; }
      p.lead { margin: 2px 0 0; color: var(--muted); font-size: 14px; }
      form { display: grid; gap: 14px; }
      .field { display: grid; gap: 6px; }
      input { width: 100%; padding: 11px 12px; }
      button.primary { padding: 11px 14px; margin-top: 4px; }
    `,
  ];

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = e.target as HTMLFormElement;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const passwordInput = form.elements.namedItem('password') as HTMLInputElement;
    this.busy = true;
    this.error = '';
    try {
      const agent = await signIn(email, passwordInput.value);
      this.dispatchEvent(new CustomEvent<ConsoleAgent>('signed-in', { detail: agent, bubbles: true, composed: true }));
    } catch (err) {
      this.error = messageFor(err);
      passwordInput.value = '';
      passwordInput.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<div class="card">
      <div class="brand">
        <div class="logo" aria-hidden="true">T</div>
        <div>
          <h1>Sign in</h1>
          <p class="lead">TWT agent console</p>
        </div>
      </div>
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required autofocus aria-describedby=${this.error ? 'error' : nothing} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby=${this.error ? 'error' : nothing} />
        </div>
        ${this.error ? html`<p id="error" class="error" role="alert">${this.error}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>`;
  }
}

function messageFor(err: unknown): string {
  if (!(err instanceof SignInError)) return 'Sign-in failed. Try again.';
  if (err.reason === 'sign_in_failed') return 'Wrong email or password.';
  if (err.reason === 'rate_limited') return `Too many failed sign-ins. Try again in ${Math.ceil((err.retryAfterSeconds ?? 60) / 60)} min.`;
  if (err.reason === 'malformed') return 'Enter your email and password.';
  return err.message;
}
