/**
 * The console's sign-in state as a reactive controller: on connect it asks
 * the server who is signed in (the session cookie is HttpOnly, so only the
 * server knows), then holds the agent until sign-out or until the server
 * refuses the session (expired, deactivated: call `lost()`).
 *
 * A host element plugs it in with a few lines:
 *   session = new ConsoleSessionController(this, (agent) => this.startInbox(agent), () => this.stopInbox());
 *   render(): this.session.gate() ?? <the inbox>, with this.session.signOut() on a button
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ConsoleAgent } from '../../shared/agent-accounts.js';
import { currentAgent, signOut } from './session-api.js';
import './define.js';

export class ConsoleSessionController implements ReactiveController {
  /** The signed-in agent, or null. */
  agent: ConsoleAgent | null = null;
  /** Still asking the server whether a session exists. */
  checking = true;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onSignedIn: (agent: ConsoleAgent) => void,
    private readonly onSignedOut: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void currentAgent().then((agent) => {
      this.checking = false;
      if (agent) this.signedIn(agent);
      else this.host.requestUpdate();
    });
  }

  private signedIn(agent: ConsoleAgent): void {
    this.agent = agent;
    this.host.requestUpdate();
    this.onSignedIn(agent);
  }

  /** Ends the session on the server, then shows the sign-in form. */
  async signOut(): Promise<void> {
    await signOut();
    this.lost();
  }

  /** The server no longer accepts the session (the socket was refused, a call got 401): back to the sign-in form. */
  lost(): void {
    if (!this.agent) return;
    this.agent = null;
    this.onSignedOut();
    this.host.requestUpdate();
  }

  /** What to render instead of the console while nobody is signed in (null once someone is). */
  gate(): TemplateResult | typeof nothing | null {
    if (this.agent) return null;
    if (this.checking) return nothing;
    return html`<twt-console-sign-in style="grid-column: 1 / -1" @signed-in=${(e: CustomEvent<ConsoleAgent>) => this.signedIn(e.detail)}></twt-console-sign-in>`;
  }
}
