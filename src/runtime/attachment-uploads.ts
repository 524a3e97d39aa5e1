/**
 * The files the visitor is attaching to the next message (button, drop, paste): each uploaded at once with
 * XMLHttpRequest (for its upload progress), cancelable, retried on request, refused ones kept with the server's
 * reason so the view can say why. A reactive controller of the chat view: every change re-renders it. Sent files
 * go into the outbox with their message (outbox.ts), so a message with files is never lost; files still
 * uploading wait here for the next send.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AttachmentView } from '../shared/attachments.js';
import type { PanelSession } from './panel-session.js';

export type UploadState = 'uploading' | 'done' | 'failed';

export interface Upload {
  key: number;
  file: File;
  state: UploadState;
  /** Bytes sent so far (of file.size). */
  loaded: number;
  /** The server's refusal reason (`too_large`, `type_not_allowed`, `rate_limited`…) or `network`. */
  error?: string;
  view?: AttachmentView;
}

/** The session the files go to: its conversation (the panel's own origin is the widget server) and visitor token. */
export type UploadTarget = () => Pick<PanelSession, 'conversationId' | 'token'> | null;

let nextKey = 1;

export class AttachmentUploads implements ReactiveController {
  uploads: Upload[] = [];
  private readonly requests = new Map<number, XMLHttpRequest>();

  /** `newRequest`: a test double's XMLHttpRequest. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: UploadTarget,
    private readonly newRequest: () => XMLHttpRequest = () => new XMLHttpRequest(),
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    for (const xhr of this.requests.values()) xhr.abort();
    this.requests.clear();
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      const upload: Upload = { key: nextKey++, file, state: 'uploading', loaded: 0 };
      this.uploads = [...this.uploads, upload];
      this.start(upload);
    }
    this.host.requestUpdate();
  }

  /** Stops an upload (or drops a finished or refused one) and takes it off the list. */
  remove(key: number): void {
    this.requests.get(key)?.abort();
    this.requests.delete(key);
    this.uploads = this.uploads.filter((u) => u.key !== key);
    this.host.requestUpdate();
  }

  retry(key: number): void {
    const upload = this.uploads.find((u) => u.key === key);
    if (upload?.state === 'failed') this.start(upload);
  }

  /**
   * The conversation these files were uploaded to is gone (deleted, or left for a new one): they cannot go with a
   * message there any more. Each stays listed, failed, for the visitor to retry into the current conversation.
   */
  conversationGone(): void {
    for (const xhr of this.requests.values()) xhr.abort();
    this.requests.clear();
    for (const u of this.uploads) Object.assign(u, { state: 'failed', error: 'gone', view: undefined });
    this.uploads = [...this.uploads];
    this.host.requestUpdate();
  }

  /** The uploaded files, ready to go with a message. */
  ready(): AttachmentView[] {
    return this.uploads.flatMap((u) => (u.state === 'done' && u.view ? [u.view] : []));
  }

  /** The ready files went out with a message: off the list (uploads still running stay). */
  sent(): void {
    this.uploads = this.uploads.filter((u) => u.state !== 'done');
    this.host.requestUpdate();
  }

  private change(upload: Upload, patch: Partial<Upload>): void {
    Object.assign(upload, patch);
    this.uploads = [...this.uploads];
    this.host.requestUpdate();
  }

  private start(upload: Upload): void {
    const session = this.target();
    const id = session?.conversationId;
    if (!session || !id) return this.change(upload, { state: 'failed', error: 'network' });
    const url = `${location.origin}/v1/visitor/conversations/${encodeURIComponent(id)}/attachments`;
    const xhr = this.newRequest();
    this.requests.set(upload.key, xhr);
    this.change(upload, { state: 'uploading', loaded: 0, error: undefined });
    xhr.open('POST', `${url}?name=${encodeURIComponent(upload.file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => this.change(upload, { loaded: e.loaded });
    xhr.onload = () => {
      this.requests.delete(upload.key);
      const body = xhr.response as { ok?: boolean; reason?: string; attachment?: AttachmentView } | null;
      if (xhr.status === 200 && body?.attachment) this.change(upload, { state: 'done', loaded: upload.file.size, view: body.attachment });
      else this.change(upload, { state: 'failed', error: body?.reason ?? 'network' });
    };
    xhr.onerror = () => {
      this.requests.delete(upload.key);
      this.change(upload, { state: 'failed', error: 'network' });
    };
    xhr.send(upload.file);
  }
}
