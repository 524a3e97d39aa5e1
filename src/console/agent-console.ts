/**
 * <twt-agent-console>: the agent side of the demo. Sign in (email and
 * password: a session cookie, sign-in/), see conversations update live, open
 * one, reply. Admins also get the admin screens (admin/).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { AgentConversation, AgentServerFrame, MessageView } from '../shared/wire-protocol.js';
import { LIMITS } from '../shared/wire-protocol.js';
import { AgentApi } from './agent-api.js';
import { ConsoleSessionController } from './sign-in/session-controller.js';
import './admin/define.js';

export class AgentConsole extends LitElement {
  static override properties = {
    adminOpen: { state: true },
    conversations: { state: true },
    selected: { state: true },
    messages: { state: true },
    status: { state: true },
    error: { state: true },
    typing: { state: true },
  };

  private session = new ConsoleSessionController(
    this,
    () => void this.start(),
    () => this.stopLive(),
  );
  adminOpen = false;
  conversations: AgentConversation[] = [];
  selected: string | null = null;
  messages: MessageView[] = [];
  status = 'offline';
  error = '';
  typing: Record<string, boolean> = {};
  private api: AgentApi | null = null;
  private live: ReturnType<AgentApi['live']> | null = null;
  private typingTimer?: ReturnType<typeof setTimeout>;

  static override styles = css`
    :host { display: grid; grid-template-columns: minmax(220px, 320px) 1fr; height: 100vh; font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; }
    aside { border-right: 1px solid #d0d7de; overflow: auto; }
    header { padding: 8px 12px; border-bottom: 1px solid #d0d7de; display: flex; justify-content: space-between; align-items: center; gap: 8px; }
    ul { list-style: none; margin: 0; padding: 0; }
    li button { width: 100%; text-align: left; padding: 8px 12px; border: 0; border-bottom: 1px solid #eaeef2; background: none; font: inherit; cursor: pointer; display: grid; gap: 2px; }
    li button[aria-current='true'] { background: #ddf4ff; }
    .name { font-weight: 600; display: flex; align-items: center; gap: 6px; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: #8c959f; }
    .dot.on { background: #1a7f37; }
    .badge { margin-left: auto; background: #cf222e; color: #fff; border-radius: 10px; padding: 0 7px; font-size: 12px; }
    .preview { color: #57606a; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    main { display: grid; grid-template-rows: auto 1fr auto auto; min-height: 0; }
    ol { list-style: none; margin: 0; padding: 12px; overflow: auto; display: flex; flex-direction: column; gap: 6px; }
    ol li { max-width: 70%; padding: 6px 10px; border-radius: 10px; background: #f6f8fa; white-space: pre-wrap; overflow-wrap: anywhere; }
    ol li.agent { align-self: flex-end; background: #0969da; color: #fff; }
    .meta { font-size: 11px; opacity: 0.75; }
    .typing { padding: 0 12px; color: #57606a; min-height: 1.4em; }
    form.reply { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #d0d7de; }
    textarea { flex: 1; resize: vertical; min-height: 2.5em; font: inherit; }
    .error { color: #cf222e; }
    .empty { padding: 24px; color: #57606a; }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live?.stop();
  }

  private async start(): Promise<void> {
    this.api = new AgentApi(null);
    try {
      this.conversations = await this.api.conversations();
    } catch (err) {
      this.error = (err as Error).message;
      this.session.lost();
      return;
    }
    this.error = '';
    this.live = this.api.live(
      (f) => this.onFrame(f),
      (s) => {
        this.status = s;
        if (s === 'online') void this.refresh();
        if (s === 'refused') this.session.lost();
      },
    );
  }

  private stopLive(): void {
    this.live?.stop();
    this.live = null;
    this.adminOpen = false;
    this.conversations = [];
    this.selected = null;
    this.messages = [];
  }

  private async refresh(): Promise<void> {
    if (!this.api) return;
    this.conversations = await this.api.conversations().catch(() => this.conversations);
    if (this.selected) await this.loadMessages();
  }

  private onFrame(f: AgentServerFrame): void {
    if (f.type === 'conversation') {
      const rest = this.conversations.filter((c) => c.id !== f.conversation.id);
      this.conversations = [f.conversation, ...rest].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    } else if (f.type === 'message' && f.conversationId === this.selected) {
      this.addMessages([f.message]);
      if (f.message.author === 'visitor') void this.api?.markRead(f.conversationId, f.message.seq);
    } else if (f.type === 'typing') {
      this.typing = { ...this.typing, [f.conversationId]: f.typing };
    }
  }

  private addMessages(list: MessageView[]): void {
    const bySeq = new Map(this.messages.map((m) => [m.seq, m]));
    for (const m of list) bySeq.set(m.seq, m);
    this.messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    void this.updateComplete.then(() => {
      const ol = this.renderRoot.querySelector('ol');
      if (ol) ol.scrollTop = ol.scrollHeight;
    });
  }

  private async open(id: string): Promise<void> {
    this.selected = id;
    this.messages = [];
    await this.loadMessages();
  }

  private async loadMessages(): Promise<void> {
    const id = this.selected;
    if (!id || !this.api) return;
    const after = this.messages.at(-1)?.seq ?? 0;
    const list = await this.api.messages(id, after).catch(() => []);
    if (id !== this.selected) return;
    this.addMessages(list);
    const last = this.messages.at(-1);
    if (last) await this.api.markRead(id, last.seq).catch(() => {});
  }

  private async reply(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const area = form.querySelector('textarea')!;
    const text = area.value.trim();
    if (!text || !this.selected || !this.api) return;
    this.error = '';
    try {
      const m = await this.api.send(this.selected, text, crypto.randomUUID());
      area.value = '';
      this.addMessages([m]);
      this.live?.typing(this.selected, false);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private onInput(): void {
    if (!this.selected) return;
    this.live?.typing(this.selected, true);
    clearTimeout(this.typingTimer);
    const id = this.selected;
    this.typingTimer = setTimeout(() => this.live?.typing(id, false), 3000);
  }

  private onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      (e.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  override render() {
    const gate = this.session.gate();
    if (gate !== null) return gate;
    if (this.adminOpen) return html`<twt-console-admin style="grid-column: 1 / -1" .me=${this.session.agent} @close=${() => (this.adminOpen = false)}></twt-console-admin>`;
    const current = this.conversations.find((c) => c.id === this.selected);
    return html`
      <aside aria-label="Conversations">
        <header><strong>Conversations</strong><span role="status">${this.status}</span>
          ${this.session.agent?.role === 'admin' ? html`<button @click=${() => (this.adminOpen = true)}>Admin</button>` : nothing}
          <button @click=${() => this.session.signOut()}>Sign out</button></header>
        ${this.conversations.length ? nothing : html`<p class="empty">No conversations yet.</p>`}
        <ul>
          ${this.conversations.map(
            (c) => html`<li>
              <button aria-current=${c.id === this.selected ? 'true' : 'false'} @click=${() => this.open(c.id)}>
                <span class="name"><span class="dot ${c.online ? 'on' : ''}" aria-label=${c.online ? 'online' : 'offline'} role="img"></span>${visitorLabel(c)}
                  ${c.unread && c.id !== this.selected ? html`<span class="badge" aria-label="${c.unread} unread">${c.unread}</span>` : nothing}</span>
                <span class="preview">${c.lastMessage?.text ?? ''}</span>
              </button>
            </li>`,
          )}
        </ul>
      </aside>
      <main>
        ${current
          ? html`<header><strong>${visitorLabel(current)}</strong><span>${current.appid}${current.visitor.email ? ' · ' + current.visitor.email : ''}</span></header>
              <ol aria-live="polite" aria-label="Messages">
                ${this.messages.map((m) => html`<li class=${m.author}><div>${m.text}</div><div class="meta">${m.authorName ?? m.author} · ${new Date(m.createdAt).toLocaleTimeString()}</div></li>`)}
              </ol>
              <div class="typing" aria-live="polite">${this.typing[current.id] ? 'Visitor is typing…' : ''}</div>
              <form class="reply" @submit=${this.reply}>
                <label for="reply" class="visually-hidden" hidden>Reply</label>
                <textarea id="reply" aria-label="Reply" maxlength=${LIMITS.messageText} @input=${this.onInput} @keydown=${this.onKeydown}></textarea>
                <button type="submit">Send</button>
              </form>
              ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`
          : html`<p class="empty">Select a conversation.</p>`}
      </main>
    `;
  }
}

function visitorLabel(c: AgentConversation): string {
  return c.visitor.name || c.visitor.nickname || c.visitor.businessUser || c.visitor.visitorUid;
}
