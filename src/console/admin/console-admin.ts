/**
 * <twt-console-admin>: what admins manage in the console. Apps: create, name,
 * greeting, business hours, trusted domains, secret rotation with a grace period. Agents:
 * create with an initial password, rename, change role (the server keeps the
 * last admin one), deactivate, reset password, API keys (a new key is shown
 * once). Every change goes through the admin API, which refuses non-admins
 * (403); the console shows this element to admins only.
 *
 * @summary Admin screens of the agent console.
 * @fires close - the admin wants back to the inbox.
 * @fires me-changed - CustomEvent<ConsoleAgent>: the admin renamed themself or changed their own role.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { AdminAgent, AdminAgentKey, AdminApp, ConsoleAgent } from '../../shared/agent-accounts.js';
import { PASSWORD_MIN_LENGTH } from '../../shared/agent-accounts.js';
import type { ReplyTime } from '../../shared/wire-protocol.js';
import { ConsoleThemeController, consoleTheme } from '../theme.js';
import { adminApi } from './admin-api.js';
import { hoursFromForm, renderHoursForm } from './business-hours-form.js';
import '../sign-in/define.js';
import { ATTACHMENT_MAX_BYTES_CEILING, ATTACHMENT_TYPES, type AttachmentType } from '../../shared/attachments.js';

type Tab = 'agents' | 'apps';

/** Grace periods offered when rotating a secret (seconds). */
/** The panel header's "usually replies …" choices (REPLY_TIMES), as the console (English only) names them. */
const REPLY_TIME_CHOICES: ReadonlyArray<[ReplyTime | '', string]> = [
  ['', 'Not shown'],
  ['minutes', 'In a few minutes'],
  ['hours', 'In a few hours'],
  ['day', 'In a day'],
];

const GRACE_CHOICES: ReadonlyArray<[number, string]> = [
  [0, 'none: the old secret stops now'],
  [3600, '1 hour'],
  [86400, '1 day'],
  [7 * 86400, '7 days'],
];

export class ConsoleAdmin extends LitElement {
  static override properties = {
    me: { attribute: false },
    tab: { state: true },
    apps: { state: true },
    agents: { state: true },
    keys: { state: true },
    openKeysOf: { state: true },
    notice: { state: true },
    error: { state: true },
  };

  /** The console's theme choice, as the inbox set it (data-theme). */
  protected readonly theme = new ConsoleThemeController(this);
  /** The signed-in admin (its own row cannot be deactivated from here). */
  me: ConsoleAgent | null = null;
  tab: Tab = 'agents';
  apps: AdminApp[] = [];
  agents: AdminAgent[] = [];
  keys: AdminAgentKey[] = [];
  openKeysOf: number | null = null;
  /** A success message (a new key, shown once, lives here). */
  notice = '';
  error = '';

  static override styles = [
    consoleTheme,
    css`
      :host { display: block; background: var(--bg-soft); min-height: 100%; overflow: auto; }
      header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 12px 16px; border-bottom: 1px solid var(--line); background: var(--bg); }
      header h1 { font-size: 18px; margin: 0 auto 0 0; }
      [role='tablist'] { display: flex; gap: 4px; }
      [role='tab'][aria-selected='true'] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
      .body { padding: 16px; display: grid; gap: 16px; max-width: 980px; margin: 0 auto; }
      section, .card { background: var(--bg); border: 1px solid var(--line); border-radius: 12px; padding: 16px; }
      h2 { font-size: 16px; margin: 0 0 12px; }
      h3 { font-size: 15px; margin: 0; }
      form.hours { display: grid; gap: 8px; border-top: 1px solid var(--line); padding-top: 8px; }
      form.hours h4 { font-size: 14px; margin: 0; }
      form.hours p { margin: 0; }
      form.hours .grid { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); }
      form.hours button { justify-self: start; }
      form.grid { display: grid; gap: 10px; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); align-items: end; }
      .field { display: grid; gap: 4px; }
      ul.list { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
      .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
      .meta { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
      .pill { font-size: 12px; border: 1px solid var(--line); border-radius: 999px; padding: 1px 8px; }
      .pill.off { color: var(--danger); }
      .actions { margin-left: auto; display: flex; flex-wrap: wrap; gap: 6px; }
      .notice { background: var(--ok-bg); border-radius: 8px; padding: 8px 12px; margin: 0; overflow-wrap: anywhere; }
      code { font-size: 13px; overflow-wrap: anywhere; }
      .domains { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
      li.card { display: grid; gap: 12px; }
      .pill button { padding: 0 4px; border: 0; background: none; font-weight: 400; line-height: 1; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.run(async () => {
      [this.apps, this.agents] = await Promise.all([adminApi.apps(), adminApi.agents()]);
      if (this.openKeysOf !== null) this.keys = await adminApi.keys(this.openKeysOf);
    });
  }

  /** Runs an admin action: its error is announced; `ok`, if given, becomes the notice. */
  private async run(action: () => Promise<unknown>, ok = ''): Promise<boolean> {
    this.error = '';
    try {
      await action();
      if (ok) this.notice = ok;
      return true;
    } catch (err) {
      this.notice = '';
      this.error = (err as Error).message;
      return false;
    }
  }

  private field(form: HTMLFormElement, name: string): string {
    return ((form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '').trim();
  }

  // --- agents ------------------------------------------------------------------
  private async createAgent(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const email = this.field(form, 'email');
    const done = await this.run(async () => {
      const appid = this.field(form, 'appid');
      await adminApi.createAgent({ email, name: this.field(form, 'name'), password: (form.elements.namedItem('password') as HTMLInputElement).value, role: this.field(form, 'role') === 'admin' ? 'admin' : 'agent', appid: appid || null });
    }, `Agent ${email} created. Share the initial password with them privately.`);
    if (done) {
      form.reset();
      await this.load();
    }
  }

  private async saveAgent(e: Event, a: AdminAgent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const change = { name: this.field(form, 'name'), role: this.field(form, 'role') === 'admin' ? ('admin' as const) : ('agent' as const) };
    let saved: AdminAgent | null = null;
    if (!(await this.run(async () => (saved = await adminApi.updateAgent(a.id, change)), `${change.name} saved.`))) return;
    if (a.id === this.me?.id && saved) {
      const { deactivatedAt: _d, createdAt: _c, ...me } = saved as AdminAgent;
      this.dispatchEvent(new CustomEvent<ConsoleAgent>('me-changed', { detail: me, bubbles: true, composed: true }));
    }
    await this.load();
  }

  private async deactivate(a: AdminAgent): Promise<void> {
    if (!confirm(`Deactivate ${a.name}? Their sessions and API keys end at once.`)) return;
    if (await this.run(() => adminApi.deactivate(a.id), `${a.name} is deactivated.`)) await this.load();
  }

  private async resetPassword(e: Event, a: AdminAgent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (await this.run(() => adminApi.resetPassword(a.id, password), `Password of ${a.name} changed; their sessions ended.`)) form.reset();
  }

  private async toggleKeys(a: AdminAgent): Promise<void> {
    if (this.openKeysOf === a.id) {
      this.openKeysOf = null;
      return;
    }
    this.openKeysOf = a.id;
    this.keys = [];
    await this.run(async () => (this.keys = await adminApi.keys(a.id)));
  }

  private async createKey(e: Event, a: AdminAgent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    let key = '';
    if (await this.run(async () => (key = await adminApi.createKey(a.id, this.field(form, 'label'))))) {
      this.notice = `New API key for ${a.name} (shown this once, copy it now): ${key}`;
      form.reset();
      this.keys = await adminApi.keys(a.id);
    }
  }

  private async revokeKey(a: AdminAgent, k: AdminAgentKey): Promise<void> {
    if (!confirm(`Revoke key “${k.label || k.id}” of ${a.name}? Integrations using it stop at once.`)) return;
    if (await this.run(() => adminApi.revokeKey(a.id, k.id), 'Key revoked.')) this.keys = await adminApi.keys(a.id);
  }

  // --- apps --------------------------------------------------------------------
  private async createApp(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const domains = this.field(form, 'domains').split(/[\s,]+/).filter(Boolean);
    if (await this.run(() => adminApi.createApp({ name: this.field(form, 'name'), greeting: this.field(form, 'greeting'), domains }), 'App created.')) {
      form.reset();
      await this.load();
    }
  }

  private async saveApp(e: Event, app: AdminApp): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const add = this.field(form, 'add').split(/[\s,]+/).filter(Boolean);
    // Attachments: the largest file in MB, and the checked types.
    const attachmentMaxBytes = Math.round(Number(this.field(form, 'maxMb')) * 1024 * 1024);
    const attachmentTypes = [...form.querySelectorAll<HTMLInputElement>('input[name="types"]:checked')].map((c) => c.value as AttachmentType);
    if (
      await this.run(
        () => adminApi.updateApp(app.appid, { name: this.field(form, 'name'), greeting: this.field(form, 'greeting'), replyTime: this.field(form, 'replyTime') as ReplyTime | '', addDomains: add, attachmentMaxBytes, attachmentTypes }),
        `${app.name} saved.`,
      )
    )
      await this.load();
  }

  private async saveHours(e: Event, app: AdminApp): Promise<void> {
    e.preventDefault();
    const hours = hoursFromForm(e.target as HTMLFormElement);
    if (typeof hours === 'string') return void ((this.notice = ''), (this.error = hours));
    if (await this.run(() => adminApi.updateApp(app.appid, { hours }), `Business hours of ${app.name} saved.`)) await this.load();
  }

  private async removeDomain(app: AdminApp, domain: string): Promise<void> {
    if (await this.run(() => adminApi.updateApp(app.appid, { removeDomains: [domain] }), `${domain} removed.`)) await this.load();
  }

  private async rotate(e: Event, app: AdminApp): Promise<void> {
    e.preventDefault();
    const grace = Number(this.field(e.target as HTMLFormElement, 'grace'));
    if (!confirm(`Rotate the secret of ${app.name}?${grace ? '' : ' The old secret stops verifying logins now.'}`)) return;
    if (await this.run(() => adminApi.rotateSecret(app.appid, grace), `New secret for ${app.name}; deploy it to your site.`)) await this.load();
  }

  override render() {
    return html`
      <header>
        <h1>Administration</h1>
        <div role="tablist" aria-label="Administration">
          ${(['agents', 'apps'] as const).map(
            (t) => html`<button role="tab" aria-selected=${this.tab === t ? 'true' : 'false'} @click=${() => (this.tab = t)}>${t === 'agents' ? 'Agents' : 'Apps'}</button>`,
          )}
        </div>
        <button @click=${() => this.dispatchEvent(new Event('close', { bubbles: true, composed: true }))}>Back to inbox</button>
      </header>
      <div class="body">
        <div aria-live="polite">${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}</div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.tab === 'agents' ? this.renderAgents() : this.renderApps()}
      </div>
    `;
  }

  private appOptions(selected: string | null = null) {
    return html`${this.me?.appid === null ? html`<option value="" ?selected=${selected === null}>All apps</option>` : nothing}
      ${this.apps.map((a) => html`<option value=${a.appid} ?selected=${selected === a.appid}>${a.name} (${a.appid})</option>`)}`;
  }

  private renderAgents() {
    return html`
      <section aria-labelledby="profile">
        <h2 id="profile">Your profile</h2>
        <twt-console-avatar .agent=${this.me} @avatar-changed=${() => this.load()}></twt-console-avatar>
      </section>
      <section aria-labelledby="new-agent">
        <h2 id="new-agent">Add an agent</h2>
        <form class="grid" @submit=${this.createAgent}>
          <div class="field"><label for="a-name">Name</label><input id="a-name" name="name" required maxlength="100" autocomplete="off" /></div>
          <div class="field"><label for="a-email">Email</label><input id="a-email" name="email" type="email" required autocomplete="off" /></div>
          <div class="field">
            <label for="a-password">Initial password</label>
            <input id="a-password" name="password" type="password" required minlength=${PASSWORD_MIN_LENGTH} autocomplete="new-password" aria-describedby="a-password-hint" />
            <span id="a-password-hint" class="meta">At least ${PASSWORD_MIN_LENGTH} characters.</span>
          </div>
          <div class="field"><label for="a-role">Role</label><select id="a-role" name="role"><option value="agent">Agent</option><option value="admin">Admin</option></select></div>
          <div class="field"><label for="a-app">Apps</label><select id="a-app" name="appid">${this.appOptions()}</select></div>
          <button class="primary" type="submit">Add agent</button>
        </form>
      </section>
      <section aria-labelledby="agents-title">
        <h2 id="agents-title">Agents</h2>
        <ul class="list" aria-label="Agents">
          ${this.agents.map((a) => this.renderAgent(a))}
        </ul>
      </section>
    `;
  }

  private renderAgent(a: AdminAgent) {
    const active = a.deactivatedAt === null;
    return html`<li class="card" aria-label=${a.name}>
      <div class="row">
        <h3>${a.name}</h3>
        <span class="pill">${a.role === 'admin' ? 'Admin' : 'Agent'}</span>
        ${active ? nothing : html`<span class="pill off">Deactivated</span>`}
        <div class="actions">
          ${active ? html`<button @click=${() => this.toggleKeys(a)} aria-expanded=${this.openKeysOf === a.id ? 'true' : 'false'}>API keys</button>` : nothing}
          ${active && a.id !== this.me?.id ? html`<button class="danger" @click=${() => this.deactivate(a)}>Deactivate</button>` : nothing}
        </div>
      </div>
      <div class="meta">${a.email ?? 'no sign-in (integration)'} · ${a.appid ?? 'all apps'}</div>
      ${active
        ? html`<form class="row" @submit=${(e: Event) => this.saveAgent(e, a)}>
            <label class="visually-hidden" for="an-${a.id}">Name of ${a.name}</label>
            <input id="an-${a.id}" name="name" .value=${a.name} required maxlength="100" autocomplete="off" />
            <label class="visually-hidden" for="ar-${a.id}">Role of ${a.name}</label>
            <select id="ar-${a.id}" name="role">
              <option value="agent" ?selected=${a.role === 'agent'}>Agent</option>
              <option value="admin" ?selected=${a.role === 'admin'}>Admin</option>
            </select>
            <button type="submit">Save</button>
          </form>`
        : nothing}
      ${active && a.email
        ? html`<form class="row" @submit=${(e: Event) => this.resetPassword(e, a)}>
            <label class="visually-hidden" for="pw-${a.id}">New password for ${a.name}</label>
            <input id="pw-${a.id}" name="password" type="password" required minlength=${PASSWORD_MIN_LENGTH} placeholder="New password" autocomplete="new-password" />
            <button type="submit">Reset password</button>
          </form>`
        : nothing}
      ${this.openKeysOf === a.id ? this.renderKeys(a) : nothing}
    </li>`;
  }

  private renderKeys(a: AdminAgent) {
    return html`<div>
      <form class="row" @submit=${(e: Event) => this.createKey(e, a)}>
        <label class="visually-hidden" for="kl-${a.id}">Label of the new key</label>
        <input id="kl-${a.id}" name="label" maxlength="100" placeholder="Label (e.g. CRM sync)" />
        <button type="submit">Create key</button>
      </form>
      <ul class="list" aria-label="API keys of ${a.name}">
        ${this.keys.map(
          (k) => html`<li class="row">
            <span>${k.label || `key ${k.id}`}</span>
            <span class="meta">created ${new Date(k.createdAt).toLocaleDateString()} · ${k.lastUsedAt ? `used ${new Date(k.lastUsedAt).toLocaleString()}` : 'never used'}</span>
            ${k.revokedAt ? html`<span class="pill off">Revoked</span>` : html`<button class="danger" @click=${() => this.revokeKey(a, k)}>Revoke</button>`}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderApps() {
    return html`
      ${this.me?.appid === null
        ? html`<section aria-labelledby="new-app">
            <h2 id="new-app">Add an app</h2>
            <form class="grid" @submit=${this.createApp}>
              <div class="field"><label for="p-name">Name</label><input id="p-name" name="name" required maxlength="100" /></div>
              <div class="field"><label for="p-domains">Trusted domains</label><input id="p-domains" name="domains" required placeholder="example.com, *.example.com" /></div>
              <div class="field"><label for="p-greeting">Greeting</label><input id="p-greeting" name="greeting" maxlength="500" /></div>
              <button class="primary" type="submit">Add app</button>
            </form>
          </section>`
        : nothing}
      <ul class="list" aria-label="Apps">
        ${this.apps.map(
          (app) => html`<li class="card" aria-label=${app.name}>
            <div class="row"><h3>${app.name}</h3><code>${app.appid}</code>${app.disabled ? html`<span class="pill off">Disabled</span>` : nothing}</div>
            <form class="grid" @submit=${(e: Event) => this.saveApp(e, app)}>
              <div class="field"><label for="n-${app.appid}">Name</label><input id="n-${app.appid}" name="name" .value=${app.name} required maxlength="100" /></div>
              <div class="field"><label for="g-${app.appid}">Greeting</label><input id="g-${app.appid}" name="greeting" .value=${app.greeting} maxlength="500" /></div>
              <div class="field">
                <label for="rt-${app.appid}">Usually replies</label>
                <select id="rt-${app.appid}" name="replyTime">
                  ${REPLY_TIME_CHOICES.map(([v, label]) => html`<option value=${v} ?selected=${app.replyTime === v}>${label}</option>`)}
                </select>
              </div>
              <div class="field"><label for="d-${app.appid}">Add trusted domains</label><input id="d-${app.appid}" name="add" placeholder="shop.example.com" /></div>
              <div class="field">
                <label for="mb-${app.appid}">Largest attachment (MB)</label>
                <input id="mb-${app.appid}" name="maxMb" type="number" min="0.1" max=${ATTACHMENT_MAX_BYTES_CEILING / 1024 / 1024} step="0.1" .value=${String(Math.round((app.attachmentMaxBytes / 1024 / 1024) * 10) / 10)} required />
              </div>
              <fieldset class="field">
                <legend>Attachment types</legend>
                ${ATTACHMENT_TYPES.map((t) => html`<label><input type="checkbox" name="types" value=${t} .checked=${app.attachmentTypes.includes(t)} /> ${t}</label>`)}
              </fieldset>
              <button type="submit">Save</button>
            </form>
            ${renderHoursForm(app, (e: Event) => this.saveHours(e, app))}
            <div class="domains" aria-label="Trusted domains of ${app.name}">
              ${app.domains.map((d) => html`<span class="pill">${d} <button aria-label="Remove ${d}" @click=${() => this.removeDomain(app, d)}>×</button></span>`)}
            </div>
            <form class="row" @submit=${(e: Event) => this.rotate(e, app)}>
              <span class="meta">Secret <code>${app.secret}</code>${app.previousSecretUntil ? html` · previous secret accepted until ${new Date(app.previousSecretUntil).toLocaleString()}` : nothing}</span>
              <label for="gr-${app.appid}">Old secret stays valid</label>
              <select id="gr-${app.appid}" name="grace">${GRACE_CHOICES.map(([s, label]) => html`<option value=${s}>${label}</option>`)}</select>
              <button type="submit">Rotate secret</button>
            </form>
          </li>`,
        )}
      </ul>
    `;
  }
}
