/**
 * How attachments look in the panel: in a message (images inline at their own aspect ratio, the space reserved
 * from the width and height the server read, so nothing shifts when they load; opened full size in a new tab;
 * other files as a download link with name and size), and the tray of files being attached to the next message
 * (progress, cancel, retry, and why a refused file was refused).
 */
import { html, css, nothing, svg } from 'lit';
import { msg, str } from '@lit/localize';
import { isImageType, type AttachmentView } from '../shared/attachments.js';
export { messageLine } from '../shared/message-line.js';
import type { AttachmentUploads, Upload } from './attachment-uploads.js';
import { activeLocale } from './localization.js';

/** "2.4 MB", "830 kB" in the visitor's language. */
export function fileSize(bytes: number, locale: string = activeLocale()): string {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : bytes >= 1e3 ? [bytes / 1e3, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** Why an upload failed, for the visitor. */
export function uploadError(reason: string | undefined): string {
  switch (reason) {
    case 'too_large':
      return msg('This file is too large to send.', { id: 'panel.attach.too_large' });
    case 'type_not_allowed':
      return msg('This type of file cannot be sent.', { id: 'panel.attach.type_not_allowed' });
    case 'empty':
      return msg('This file is empty.', { id: 'panel.attach.empty' });
    case 'rate_limited':
      return msg('Too many files at once. Try again in a moment.', { id: 'panel.attach.rate_limited' });
    default:
      return msg('The file could not be uploaded.', { id: 'panel.attach.failed' });
  }
}

export const attachIcon = svg`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M21 11.5l-8.6 8.6a5 5 0 0 1-7-7l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"></path></svg>`;

/** A message's files, under its text. */
export function renderAttachments(list: readonly AttachmentView[] | undefined) {
  if (!list?.length) return nothing;
  return html`<ul class="files">
    ${list.map((a) =>
      isImageType(a.type)
        ? html`<li>
            <a class="image" href=${a.url} target="_blank" rel="noopener noreferrer" title=${a.name}
              ><img src=${a.url} alt=${a.name} width=${a.width ?? nothing} height=${a.height ?? nothing} loading="lazy"
            /></a>
          </li>`
        : html`<li>
            <a class="file" href=${a.url} download=${a.name} target="_blank" rel="noopener noreferrer"
              ><span class="name">${a.name}</span> <span class="size">${fileSize(a.size)}</span></a
            >
          </li>`,
    )}
  </ul>`;
}

/** The files being attached to the next message. */
export function renderTray(uploads: AttachmentUploads) {
  const names = uploads.notSent.join(', ');
  return html`${names
      ? html`<p class="notice" role="alert">${msg(str`These files were not sent, as the conversation they were for was closed: ${names}. Please attach them again.`, { id: 'panel.attach.not_sent' })}</p>`
      : nothing}
    ${uploads.uploads.length ? html`<ul class="tray" aria-label=${msg('Files to send', { id: 'panel.attach.tray' })}>${uploads.uploads.map((u) => renderUpload(uploads, u))}</ul>` : nothing}`;
}

function renderUpload(uploads: AttachmentUploads, u: Upload) {
  const name = u.file.name;
  return html`<li class="upload ${u.state}">
    <span class="name">${name}</span>
    ${u.state === 'uploading'
      ? html`<progress max=${u.file.size || 1} value=${u.loaded} aria-label=${msg(str`Uploading ${name}`, { id: 'panel.attach.uploading' })}></progress>`
      : u.state === 'failed'
        ? html`<span class="error" role="alert">${uploadError(u.error)}</span>
            ${u.error === 'too_large' || u.error === 'type_not_allowed' || u.error === 'empty'
              ? nothing
              : html`<button type="button" class="link" @click=${() => uploads.retry(u.key)}>${msg('Retry', { id: 'panel.retry' })}</button>`}`
        : html`<span class="size">${fileSize(u.file.size)}</span>`}
    <button type="button" class="link" aria-label=${u.state === 'uploading' ? msg(str`Cancel ${name}`, { id: 'panel.attach.cancel' }) : msg(str`Remove ${name}`, { id: 'panel.attach.remove' })} @click=${() => uploads.remove(u.key)}>✕</button>
  </li>`;
}

export const attachmentStyles = css`
  .bubble:empty {
    display: none;
  }
  .files {
    list-style: none;
    margin: 4px 0 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  /* The width and height attributes give the box its aspect ratio before the image loads (no layout shift). */
  .files .image img {
    display: block;
    max-width: min(100%, 240px);
    max-height: 240px;
    height: auto;
    object-fit: contain;
    border-radius: 10px;
    background: var(--twt-surface);
  }
  .files .file {
    display: inline-flex;
    gap: 6px;
    padding: 8px 12px;
    border-radius: 10px;
    border: 1px solid var(--twt-border);
    background: var(--twt-bg);
    color: var(--twt-link);
    overflow-wrap: anywhere;
  }
  .files .size,
  .tray .size {
    color: var(--twt-muted);
  }
  .tray {
    list-style: none;
    margin: 0;
    padding: 6px 12px 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 12px;
  }
  .upload {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .upload .name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .upload progress {
    width: 80px;
  }
  .upload .error {
    color: var(--twt-danger);
  }
  .link {
    border: 0;
    background: none;
    color: var(--twt-link);
    padding: 4px;
    font: inherit;
    cursor: pointer;
  }
  .attach {
    width: 38px;
    height: 38px;
    border: 0;
    border-radius: 50%;
    background: none;
    color: var(--twt-fg);
    display: grid;
    place-items: center;
  }
  .attach:disabled {
    opacity: 0.6;
  }
  .dropping {
    outline: 3px dashed var(--twt-accent);
    outline-offset: -3px;
  }
`;
