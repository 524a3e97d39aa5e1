/**
 * The files the visitor is attaching to the next message (button, drop, paste): each uploaded at once with
 * XMLHttpRequest (for its upload progress), cancelable, retried on request, refused ones kept with the server's
 * reason so the view can say why. A reactive controller of the chat view: every change re-renders it. Sent files
 * go into the outbox with their message (outbox.ts), so a message with files is never lost; files still
 * uploading wait here for the next send. The files of a message not sent yet are kept (their File objects) until it
 * is: if its conversation is deleted meanwhile (its uploads went with it), they are uploaded again into the
 * conversation the panel is in now (outboxChanged).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AttachmentView } from '../shared/attachments.js';
import type { PanelSession } from './panel-session.js';
import type { OutboxEntry } from './outbox.js';

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

/** Sends a failed message again with the files uploaded anew (chat-actions.ts). */
export interface Resender {
  retry(clientId: string, attachments?: AttachmentView[]): void;
}

/** The session the files go to: its conversation (the panel's own origin is the widget server) and visitor token. */
export type UploadTarget = () => Pick<PanelSession, 'conversationId' | 'token'> | null;

/** An upload's end: the stored file's view, or why not (the server's reason, or `network`). */
type UploadResult = { view: AttachmentView } | { error: string };

/** Refusals that may pass on a later try: the message keeps waiting for the visitor's Retry instead of going without the file. */
const PASSING = new Set(['network', 'rate_limited']);

let nextKey = 1;

export class AttachmentUploads implements ReactiveController {
  uploads: Upload[] = [];
  private readonly requests = new Map<number, XMLHttpRequest>();
  /** The files of sent messages by attachment id, until their message is stored (outboxChanged). */
  private readonly sentFiles = new Map<string, File>();
  private readonly resending = new WeakSet<OutboxEntry>();
  /** Names of files a message had to go without (resendWithFiles): the tray says so until the next send. */
  notSent: string[] = [];

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

  /** The ready files went out with a message: off the list (uploads still running stay), kept until it is stored. */
  sent(): void {
    this.notSent = [];
    for (const u of this.uploads) if (u.state === 'done' && u.view) this.sentFiles.set(u.view.id, u.file);
    this.uploads = this.uploads.filter((u) => u.state !== 'done');
    this.host.requestUpdate();
  }

  /**
   * The outbox changed: only the files of its messages are still kept; a message the server refused for its files
   * (`invalid_attachment`: its conversation was deleted, and its uploads with it) goes again with them, once per
   * refusal (a Retry that is refused again is a new refusal).
   */
  outboxChanged(resender: Resender, outbox: readonly OutboxEntry[]): void {
    const wanted = new Set(outbox.flatMap((e) => e.attachments?.map((a) => a.id) ?? []));
    for (const id of this.sentFiles.keys()) if (!wanted.has(id)) this.sentFiles.delete(id);
    for (const e of outbox) {
      if (e.state !== 'failed' || e.error !== 'invalid_attachment' || this.resending.has(e)) continue;
      this.resending.add(e);
      void this.resendWithFiles(resender, e);
    }
  }

  /**
   * Sends the message again into the current conversation: each file still held here is uploaded again; a file
   * not held (the panel was reloaded since) or refused now goes without, and notSent names it. When an upload may
   * pass later (network, rate limit) nothing is sent: the message stays "Not sent" for the visitor's Retry.
   */
  private async resendWithFiles(resender: Resender, entry: OutboxEntry): Promise<void> {
    const views: AttachmentView[] = [];
    const dropped: string[] = [];
    for (const old of entry.attachments ?? []) {
      const file = this.sentFiles.get(old.id);
      const result: UploadResult = file ? await new Promise<UploadResult>((done) => this.upload(file, () => {}, done)) : { error: 'gone' };
      if ('view' in result) {
        views.push(result.view);
        this.sentFiles.set(result.view.id, file!);
      } else if (PASSING.has(result.error)) return;
      else dropped.push(old.name);
    }
    resender.retry(entry.clientId, views);
    if (!dropped.length) return;
    this.notSent = [...this.notSent, ...dropped];
    this.host.requestUpdate();
  }

  private change(upload: Upload, patch: Partial<Upload>): void {
    Object.assign(upload, patch);
    this.uploads = [...this.uploads];
    this.host.requestUpdate();
  }

  private start(upload: Upload): void {
    this.change(upload, { state: 'uploading', loaded: 0, error: undefined });
    this.upload(
      upload.file,
      (loaded) => this.change(upload, { loaded }),
      (result) => this.change(upload, 'view' in result ? { state: 'done', loaded: upload.file.size, view: result.view } : { state: 'failed', error: result.error }),
      upload.key,
    );
  }

  /**
   * Uploads `file` to the current conversation and calls `done` with the result as soon as the request ends (not a
   * promise: the tray changes in the same task as the answer). `key`: the tray's upload, so remove() and a
   * conversation's end can stop it (a stopped upload calls nothing).
   */
  private upload(file: File, onProgress: (loaded: number) => void, done: (result: UploadResult) => void, key?: number): void {
    const session = this.target();
    const id = session?.conversationId;
    if (!session || !id) return done({ error: 'network' });
    const url = `${location.origin}/v1/visitor/conversations/${encodeURIComponent(id)}/attachments`;
    const xhr = this.newRequest();
    if (key !== undefined) this.requests.set(key, xhr);
    xhr.open('POST', `${url}?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (key !== undefined) this.requests.delete(key);
      const body = xhr.response as { ok?: boolean; reason?: string; attachment?: AttachmentView } | null;
      done(xhr.status === 200 && body?.attachment ? { view: body.attachment } : { error: body?.reason ?? 'network' });
    };
    xhr.onerror = () => {
      if (key !== undefined) this.requests.delete(key);
      done({ error: 'network' });
    };
    xhr.send(file);
  }
}
