/**
 * Files in the agent console: the files of a message (images inline, their box reserved from the width and
 * height the server read, opened full size in a new tab; other files as download links with name and size), and
 * the files an agent attaches to the next reply (button, drop onto the conversation, paste into the reply box),
 * each uploaded at once and listed with its state until the reply goes out.
 */
import { html, css, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { isImageType, type AttachmentView } from '../../shared/attachments.js';
import type { AgentApi } from '../agent-api.js';

export function fileSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${Math.round(bytes / 1e3)} kB` : `${bytes} B`;
}

export function renderFiles(list: readonly AttachmentView[] | undefined) {
  if (!list?.length) return nothing;
  return html`<ul class="files">
    ${list.map((a) =>
      isImageType(a.type)
        ? html`<li><a href=${a.url} target="_blank" rel="noopener noreferrer" title=${a.name}><img src=${a.url} alt=${a.name} width=${a.width ?? nothing} height=${a.height ?? nothing} loading="lazy" /></a></li>`
        : html`<li><a class="file" href=${a.url} download=${a.name} target="_blank" rel="noopener noreferrer">📄 ${a.name} <span class="size">(${fileSize(a.size)})</span></a></li>`,
    )}
  </ul>`;
}

interface Pending {
  key: number;
  name: string;
  state: 'uploading' | 'done' | 'failed';
  error?: string;
  view?: AttachmentView;
}

let nextKey = 1;

/** The files attached to the next reply of the open conversation. */
export class ReplyFiles implements ReactiveController {
  pending: Pending[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly api: () => AgentApi | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  add(conversationId: string, files: Iterable<File>): void {
    for (const file of files) {
      const p: Pending = { key: nextKey++, name: file.name, state: 'uploading' };
      this.pending = [...this.pending, p];
      const api = this.api();
      if (!api) continue;
      api.upload(conversationId, file).then(
        (view) => this.change(p, { state: 'done', view }),
        (err: Error) => this.change(p, { state: 'failed', error: err.message }),
      );
    }
    this.host.requestUpdate();
  }

  remove(key: number): void {
    this.pending = this.pending.filter((p) => p.key !== key);
    this.host.requestUpdate();
  }

  /** Ids of the uploaded files; `uploading`: some are still on their way (the reply waits for them). */
  ready(): { ids: string[]; uploading: boolean } {
    return { ids: this.pending.flatMap((p) => (p.state === 'done' && p.view ? [p.view.id] : [])), uploading: this.pending.some((p) => p.state === 'uploading') };
  }

  /** A reply went out, or another conversation was opened: the list starts over. */
  clear(): void {
    this.pending = [];
    this.host.requestUpdate();
  }

  private change(p: Pending, patch: Partial<Pending>): void {
    Object.assign(p, patch);
    this.pending = [...this.pending];
    this.host.requestUpdate();
  }

  render() {
    if (!this.pending.length) return nothing;
    return html`<ul class="reply-files" aria-label="Files to send">
      ${this.pending.map(
        (p) => html`<li>
          <span>${p.name}</span>
          ${p.state === 'uploading' ? html`<span class="muted">uploading…</span>` : p.state === 'failed' ? html`<span class="error" role="alert">${p.error}</span>` : html`<span class="muted">ready</span>`}
          <button type="button" aria-label="Remove ${p.name}" @click=${() => this.remove(p.key)}>✕</button>
        </li>`,
      )}
    </ul>`;
  }
}

export const fileStyles = css`
  .files { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-direction: column; gap: 4px; white-space: normal; }
  .files img { display: block; max-width: min(100%, 240px); max-height: 240px; height: auto; object-fit: contain; border-radius: 6px; background: var(--bg); }
  .files a.file { color: inherit; }
  form.reply { flex-wrap: wrap; }
  .reply-files { flex-basis: 100%; list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; }
  .reply-files li { display: flex; gap: 6px; align-items: center; }
  .reply-files .muted { color: var(--muted); }
  .reply-files button { border: 0; background: none; padding: 2px 4px; cursor: pointer; }
  .dropping { outline: 3px dashed var(--accent); outline-offset: -3px; }
`;
