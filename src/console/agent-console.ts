/**
 * <twt-agent-console>: the console's shell. Until an agent is signed in it
 * shows the sign-in (email and password: a session cookie, sign-in/); then the
 * inbox (<twt-inbox>, inbox/), and for admins the admin screens (admin/),
 * opened from the inbox's "Admin" button. The inbox signs out through
 * `twt-sign-out` (its detail `refused`: the server no longer takes the session).
 */
import { LitElement, css, html } from 'lit';
import type { ConsoleAgent } from '../shared/agent-accounts.js';
import { AgentApi } from './agent-api.js';
import { ConsoleSessionController } from './sign-in/session-controller.js';
import { ConsoleThemeController, consolePalette } from './theme.js';
import './admin/define.js';

export class AgentConsole extends LitElement {
  static override properties = {
    api: { state: true },
    adminOpen: { state: true },
  };

  private readonly session = new ConsoleSessionController(
    this,
    // The session cookie authenticates every call and the agent socket.
    () => (this.api = new AgentApi(null)),
    () => ((this.api = null), (this.adminOpen = false)),
  );
  /** Set while an agent is signed in: the inbox talks through it. */
  api: AgentApi | null = null;
  adminOpen = false;

  /** The console's one theme choice (theme.ts), so the page around the screens follows it too. */
  protected readonly theme = new ConsoleThemeController(this);

  static override styles = [
    consolePalette,
    css`
      :host { display: block; min-height: 100vh; min-height: 100dvh; background: var(--bg-soft); color: var(--fg); font: 14px/1.4 system-ui, sans-serif; }
    `,
  ];

  private onSignOut(e: CustomEvent<{ refused?: boolean } | null>): void {
    if (e.detail?.refused) this.session.lost();
    else void this.session.signOut();
  }

  /** The admin renamed themself or changed their own role: the whole console follows (no longer an admin: back to the inbox). */
  private onMeChanged(e: CustomEvent<ConsoleAgent>): void {
    this.session.agent = e.detail;
    if (e.detail.role !== 'admin') this.adminOpen = false;
    this.requestUpdate();
  }

  override render() {
    const gate = this.session.gate();
    if (gate !== null) return gate;
    if (this.adminOpen) return html`<twt-console-admin .me=${this.session.agent} @close=${() => (this.adminOpen = false)} @me-changed=${this.onMeChanged}></twt-console-admin>`;
    return html`<twt-inbox
      .api=${this.api}
      .me=${this.session.agent}
      @twt-open-admin=${() => (this.adminOpen = true)}
      @twt-sign-out=${this.onSignOut}
    ></twt-inbox>`;
  }
}
