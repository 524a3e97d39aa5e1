/**
 * Visitor messages not yet acknowledged by the server. Each entry keeps its
 * clientId for its whole life, so a resend after a reconnect is stored once
 * (the server de-duplicates by clientId). Entries survive a reload of the
 * iframe through sessionStorage when it is usable, else they live in memory.
 * Past the cap a new message is refused with OutboxFullError so the view can
 * tell the visitor; nothing is dropped silently.
 */
import { LIMITS } from '../shared/wire-protocol.js';
import type { AttachmentView } from '../shared/attachments.js';

export type OutboxState = 'sending' | 'failed';

export interface OutboxEntry {
  clientId: string;
  text: string;
  createdAt: string;
  state: OutboxState;
  /** Why the server refused it, when failed. */
  error?: string;
  /** The visitor who wrote it (visitorUid), once a session has said who that is. */
  owner?: string;
  /** Files uploaded for it (their ids go with the send; kept here so a reload resends them too). */
  attachments?: AttachmentView[];
}

export class OutboxFullError extends Error {
  constructor(readonly cap: number) {
    super(`outbox full: ${cap} messages are still waiting to be sent`);
  }
}

export const OUTBOX_CAP = 50;

export interface OutboxOptions {
  /** Storage key; scoped per app so two widgets do not mix their queues. */
  key: string;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  cap?: number;
  newId?: () => string;
  now?: () => Date;
}

export class Outbox {
  private entries: OutboxEntry[] = [];
  /** The visitor this panel's session is for (see claim). */
  private owner?: string;
  private readonly storage: OutboxOptions['storage'];
  readonly cap: number;
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(private readonly options: OutboxOptions) {
    this.storage = options.storage === undefined ? safeSessionStorage() : options.storage;
    this.cap = options.cap ?? OUTBOX_CAP;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.now = options.now ?? (() => new Date());
    this.entries = this.load();
  }

  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Queues a message (its text may be empty with files); throws OutboxFullError past the cap, or a RangeError for text the server would refuse. */
  add(text: string, attachments?: AttachmentView[]): OutboxEntry {
    const trimmed = text.trim();
    if (!trimmed && !attachments?.length) throw new RangeError('empty message');
    if (trimmed.length > LIMITS.messageText) throw new RangeError(`message longer than ${LIMITS.messageText} characters`);
    if (this.entries.length >= this.cap) throw new OutboxFullError(this.cap);
    const entry: OutboxEntry = { clientId: this.newId(), text: trimmed, createdAt: this.now().toISOString(), state: 'sending', ...(this.owner ? { owner: this.owner } : {}), attachments };
    this.entries = [...this.entries, entry];
    this.save();
    return entry;
  }

  /** Entries to (re)send now, oldest first; failed ones wait for an explicit retry. */
  sendable(): OutboxEntry[] {
    return this.entries.filter((e) => e.state === 'sending');
  }

  /** The server stored it: forget it. Returns whether it was ours. */
  ack(clientId: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.clientId !== clientId);
    if (this.entries.length === before) return false;
    this.save();
    return true;
  }

  fail(clientId: string, error: string): void {
    this.update(clientId, { state: 'failed', error });
  }

  /**
   * Sends a failed entry again, with `attachments` instead of its files when given. An entry left with nothing to
   * send (no text, none of its files) is dropped: the view has said which files did not go.
   */
  retry(clientId: string, attachments?: AttachmentView[]): OutboxEntry | undefined {
    this.update(clientId, { state: 'sending', error: undefined, ...(attachments && { attachments }) });
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (entry && !entry.text && !entry.attachments?.length) return void this.ack(clientId);
    return entry;
  }

  /**
   * The session is for this visitor: what another visitor left unsent in this tab (a logout on a shared computer,
   * then a reload of the panel) is dropped, never sent as this one's; entries written before a session are theirs.
   */
  claim(visitorUid: string): void {
    this.owner = visitorUid;
    this.entries = this.entries.filter((e) => (e.owner ?? visitorUid) === visitorUid).map((e) => ({ ...e, owner: visitorUid }));
    this.save();
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  private update(clientId: string, patch: Partial<OutboxEntry>): void {
    this.entries = this.entries.map((e) => (e.clientId === clientId ? { ...e, ...patch } : e));
    this.save();
  }

  private load(): OutboxEntry[] {
    try {
      const raw = this.storage?.getItem(this.options.key);
      if (!raw) return [];
      const data: unknown = JSON.parse(raw);
      if (!Array.isArray(data)) return [];
      return data.filter(isEntry).slice(0, this.cap);
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      if (!this.storage) return;
      if (this.entries.length) this.storage.setItem(this.options.key, JSON.stringify(this.entries));
      else this.storage.removeItem(this.options.key);
    } catch {
      // Storage full or blocked: the queue still lives in memory.
    }
  }
}

function isEntry(e: unknown): e is OutboxEntry {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.clientId === 'string' &&
    o.clientId.length > 0 &&
    o.clientId.length <= LIMITS.clientId &&
    typeof o.text === 'string' &&
    typeof o.createdAt === 'string' &&
    (o.state === 'sending' || o.state === 'failed')
  );
}

function safeSessionStorage(): Storage | null {
  try {
    const s = window.sessionStorage;
    s.getItem('twt:probe');
    return s;
  } catch {
    return null;
  }
}
