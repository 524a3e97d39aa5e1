/**
 * <twt-agent-console>: the console's shell. Until the agent is known it shows
 * the sign-in (the agent key, kept in sessionStorage); then the inbox
 * (<twt-inbox>, inbox/twt-inbox.ts), which signs out through `twt-sign-out`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { AgentApi } from './agent-api.js';

const KEY_STORAGE = 'twt:agent-key';

export class AgentConsole extends LitElement {
  static override properties = {
    key: { state: true },
    api: { state: true },
    error: { state: true },
  };

  key: string | null = readKey();
  /** Set once the key is accepted: the inbox talks through it. */
  api: AgentApi | null = null;
  error = '';

  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
    form.login { max-width: 360px; margin: 15vh auto; display: grid; gap: 8px; padding: 0 16px; }
    form.login input, form.login button { font: inherit; padding: 6px 8px; }
    .error { color: light-dark(#cf222e, #ff7b72); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.key) void this.start(this.key);
  }

  private async start(key: string): Promise<void> {
    const api = new AgentApi(key);
    try {
      await api.view('open', 1);
    } catch (err) {
      this.error = (err as Error).message;
      this.signOut();
      return;
    }
    this.key = key;
    // A failed earlier sign-in's message must not linger.
    this.error = '';
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch {
      /* storage unavailable: the key lives in memory only */
    }
    this.api = api;
  }

  private signOut(): void {
    this.api = null;
    this.key = null;
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      /* ignore */
    }
  }

  override render() {
    if (this.key && this.api) return html`<twt-inbox .api=${this.api} @twt-sign-out=${() => this.signOut()}></twt-inbox>`;
    if (this.key) return nothing;
    return html`<form class="login" @submit=${(e: Event) => {
      e.preventDefault();
      const key = ((e.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement).value.trim();
      if (key) void this.start(key);
    }}>
      <h1>Agent console</h1>
      <label for="key">Agent key</label>
      <input id="key" name="key" type="password" autocomplete="off" required />
      <button type="submit">Sign in</button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </form>`;
  }
}

function readKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}
