/**
 * <twt-console-avatar>: the signed-in agent's avatar, and a file picker to
 * change or remove it (PNG, JPEG, WebP or GIF up to AVATAR_MAX_BYTES; the
 * server checks the content, not the name). Fires `avatar-changed`.
 *
 * @summary The agent's own avatar.
 * @fires avatar-changed - Event, after an upload or removal.
 */
import { LitElement, css, html, nothing } from 'lit';
import { AVATAR_MAX_BYTES, type ConsoleAgent } from '../../shared/agent-accounts.js';
import { consoleControls } from '../theme.js';

export class ConsoleAvatar extends LitElement {
  static override properties = {
    agent: { attribute: false },
    error: { state: true },
    version: { state: true },
    has: { state: true },
  };

  agent: ConsoleAgent | null = null;
  error = '';
  /** Bumped after a change, so the <img> reloads. */
  version = 0;
  /** Whether there is an avatar, once changed here (`agent` is the parent's, never written). */
  has: boolean | null = null;

  static override styles = [
    consoleControls,
    css`
      :host { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
      .face { width: 48px; height: 48px; border-radius: 50%; object-fit: cover; background: var(--line); display: grid; place-items: center; font-weight: 700; }
      input[type='file'] { max-width: 100%; }
    `,
  ];

  private async upload(body: Blob | null): Promise<void> {
    this.error = '';
    if (body && body.size > AVATAR_MAX_BYTES) {
      this.error = `The image must be at most ${AVATAR_MAX_BYTES / 1024} KB.`;
      return;
    }
    const res = await fetch('/v1/agent/me/avatar', { method: 'POST', body: body ?? new Blob([]), credentials: 'same-origin' }).catch(() => null);
    const data = await res?.json().catch(() => null);
    if (!res?.ok) {
      this.error = data?.message ?? 'The upload failed.';
      return;
    }
    this.has = body !== null;
    this.version++;
    this.dispatchEvent(new Event('avatar-changed', { bubbles: true, composed: true }));
  }

  override render() {
    const a = this.agent;
    if (!a) return nothing;
    return html`
      ${(this.has ?? a.hasAvatar) ? html`<img class="face" alt="Your avatar" src="/v1/agent/agents/${a.id}/avatar?v=${this.version}" />` : html`<span class="face" aria-hidden="true">${a.name.slice(0, 1).toUpperCase()}</span>`}
      <label for="avatar-file">Avatar (PNG, JPEG, WebP or GIF)</label>
      <input id="avatar-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" @change=${(e: Event) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) void this.upload(file);
      }} />
      ${(this.has ?? a.hasAvatar) ? html`<button @click=${() => this.upload(null)}>Remove avatar</button>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }
}
