// The panel's attachments: files in messages (images inline with their size reserved, opened full size in a new
// tab; other files as a download link with name and size), the tray of files being attached (progress, cancel,
// retry, a localized error for a refused file), attaching by the button's input, drop and paste, sending files
// with the message, and axe in both themes. The upload itself is a unit-test double of XMLHttpRequest here; the
// e2e test (test/node/e2e/attachments.test.ts) uploads to the real server.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { applyLocale, setupLocalization } from './localization.js';
import { installTokens } from './styles.js';
import { TwtChatView } from './chat-view.js';
import { AttachmentUploads } from './attachment-uploads.js';
import { fileSize, messageLine } from './attachment-views.js';
import type { PanelSession, PanelState } from './panel-session.js';
import type { AttachmentView } from '../shared/attachments.js';
import { message } from '../../test/helpers/browser/runtime-doubles.js';

customElements.get('twt-chat-view') || customElements.define('twt-chat-view', TwtChatView);
setupLocalization();
installTokens(document);

const DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const IMAGE: AttachmentView = { id: 'f_img', name: 'photo.png', type: 'image/png', size: 2048, width: 400, height: 300, url: DOT };
const PDF: AttachmentView = { id: 'f_pdf', name: 'Résumé.pdf', type: 'application/pdf', size: 2_400_000, url: '/v1/files/t/f_pdf' };

/** A double of XMLHttpRequest: records what was sent; the test answers it. */
class FakeRequest extends EventTarget {
  static made: FakeRequest[] = [];
  upload = { onprogress: null as ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  response: unknown = null;
  responseType = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  aborted = false;
  constructor() {
    super();
    FakeRequest.made.push(this);
  }
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
  }
  answer(status: number, response: unknown) {
    this.status = status;
    this.response = response;
    this.onload?.();
  }
}

function fakeSession(patch: Partial<PanelState> = {}) {
  const sent: Array<[string, AttachmentView[] | undefined]> = [];
  const state: PanelState = {
    phase: 'active',
    status: 'connected',
    messages: [message(1, 'visitor', '', { attachments: [IMAGE, PDF] }), message(2, 'agent', 'here is the manual', { authorName: 'Ann', attachments: [PDF] })],
    outbox: [{ clientId: 'c1', text: '', createdAt: new Date().toISOString(), state: 'failed', error: 'x', attachments: [IMAGE] }],
    unread: 0,
    visitorReadSeq: 2,
    agentsOnline: 1,
    agentTyping: null,
    appName: 'Demo shop',
    greeting: '',
    replyTime: '',
    outboxFull: false,
    authClosed: null,
    conversationStatus: 'open',
    rating: null,
    ...patch,
  };
  const session = {
    subscribe: (fn: (s: PanelState) => void) => (fn(state), () => undefined),
    send: (text: string, files?: AttachmentView[]) => (sent.push([text, files]), true),
    conversationId: 'c_now',
    token: 'visitor-token',
    markSeen() {},
    retry() {},
    typing() {},
    avatarUrl: () => DOT,
  } as unknown as PanelSession;
  return { session, sent };
}

async function chatView(patch: Partial<PanelState> = {}) {
  const { session, sent } = fakeSession(patch);
  const el = await fixture(html`<div style="height:600px;width:380px"><twt-chat-view .session=${session} .actions=${session} .visibility=${'maximized'}></twt-chat-view></div>`);
  const view = el.querySelector('twt-chat-view') as TwtChatView;
  await view.updateComplete;
  return { view, sent };
}
const q = (view: TwtChatView, sel: string) => view.shadowRoot!.querySelector<HTMLElement>(sel);
const qa = (view: TwtChatView, sel: string) => [...view.shadowRoot!.querySelectorAll<HTMLElement>(sel)];

describe('attachments in messages', () => {
  it('an image is inline at its aspect ratio, its box reserved from width/height, and opens full size in a new tab', async () => {
    const { view } = await chatView();
    const img = q(view, '.msg.visitor .files img') as HTMLImageElement;
    expect(img.getAttribute('width')).to.equal('400');
    expect(img.getAttribute('height')).to.equal('300');
    expect(img.alt).to.equal('photo.png');
    // 240 px wide at most: the box is 240 x 180 whatever the image's load state.
    const box = img.getBoundingClientRect();
    expect(Math.round(box.width)).to.equal(240);
    expect(Math.round(box.height)).to.equal(180);
    const link = img.closest('a')!;
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('rel')).to.include('noopener');
    // A message of files only shows no empty bubble.
    expect(getComputedStyle(q(view, '.msg.visitor .bubble')!).display).to.equal('none');
  });

  it('a file is a download link with its name and size', async () => {
    const { view } = await chatView();
    const file = q(view, '.msg.agent .files a.file') as HTMLAnchorElement;
    expect(file.getAttribute('href')).to.equal('/v1/files/t/f_pdf');
    expect(file.getAttribute('download')).to.equal('Résumé.pdf');
    expect(file.textContent).to.include('Résumé.pdf').and.include('2.4 MB');
    // Pending messages show their files too (the outbox keeps them).
    expect(qa(view, '.pending .files img')).to.have.length(1);
    expect(fileSize(830, 'en')).to.equal('830 byte');
    expect(messageLine({ text: '', attachments: [IMAGE, PDF] })).to.equal('📎 photo.png, Résumé.pdf');
    expect(messageLine({ text: 'hi', attachments: [IMAGE] })).to.equal('hi');
    expect(fileSize(830_000, 'de')).to.equal('830 kB');
  });
});

describe('attaching files', () => {
  beforeEach(() => (FakeRequest.made = []));
  const file = (name: string, size = 1000, type = 'image/png') => new File([new Uint8Array(size)], name, { type });
  const uploadsOf = (view: TwtChatView) => {
    // The view's own controller, its requests made by the double.
    const uploads = (view as unknown as { uploads: AttachmentUploads }).uploads;
    (uploads as unknown as { newRequest: () => unknown }).newRequest = () => new FakeRequest();
    return uploads;
  };

  it('uploads with progress, then sends the files with the message; the tray empties', async () => {
    const { view, sent } = await chatView();
    const uploads = uploadsOf(view);
    uploads.add([file('a.png', 1000)]);
    await view.updateComplete;
    const req = FakeRequest.made[0]!;
    expect(req.url).to.equal(`${location.origin}/v1/visitor/conversations/c_now/attachments?name=a.png`);
    expect(req.headers.authorization).to.equal('Bearer visitor-token');
    req.upload.onprogress!({ loaded: 400 });
    await view.updateComplete;
    expect((q(view, '.tray progress') as HTMLProgressElement).value).to.equal(400);
    req.answer(200, { ok: true, attachment: { ...IMAGE, name: 'a.png' } });
    await view.updateComplete;
    expect(q(view, '.tray progress')).to.equal(null);
    (q(view, 'button.send') as HTMLButtonElement).click();
    await view.updateComplete;
    expect(sent).to.deep.equal([['', [{ ...IMAGE, name: 'a.png' }]]]);
    expect(q(view, '.tray')).to.equal(null);
  });

  it('cancel stops the upload; a refused file says why (localized) and cannot be retried; a network failure can', async () => {
    const { view } = await chatView();
    const uploads = uploadsOf(view);
    uploads.add([file('big.bin'), file('virus.png'), file('flaky.png')]);
    await view.updateComplete;
    const [big, virus, flaky] = FakeRequest.made;
    (qa(view, '.tray button[aria-label^="Cancel"]')[0] as HTMLButtonElement).click();
    await view.updateComplete;
    expect(big!.aborted).to.equal(true);
    virus!.answer(415, { ok: false, reason: 'type_not_allowed', message: 'no' });
    flaky!.onerror!();
    await view.updateComplete;
    const rows = qa(view, '.tray .upload');
    expect(rows).to.have.length(2);
    expect(rows[0]!.querySelector('[role="alert"]')!.textContent).to.equal('This type of file cannot be sent.');
    expect(rows[0]!.textContent).to.not.include('Retry');
    expect(rows[1]!.querySelector('[role="alert"]')!.textContent).to.equal('The file could not be uploaded.');
    (rows[1]!.querySelector('button.link') as HTMLButtonElement).click();
    expect(FakeRequest.made).to.have.length(4);
    await applyLocale('de');
    await waitUntil(() => q(view, '.tray [role="alert"]')!.textContent === 'Dieser Dateityp kann nicht gesendet werden.', 'the refusal in German');
    await applyLocale('en');
  });

  it('a message refused for its files (its conversation deleted) goes again: held files uploaded again, others named as not sent; once per refusal; a network failure waits for Retry', async () => {
    const { session, sent } = fakeSession({ outbox: [] });
    const retried: Array<[string, AttachmentView[] | undefined]> = [];
    let push: (s: PanelState) => void = () => {};
    let state!: PanelState;
    session.subscribe((s) => (state = s));
    Object.assign(session, { subscribe: (fn: (s: PanelState) => void) => ((push = fn), fn(state), () => undefined), retry: (id: string, files?: AttachmentView[]) => retried.push([id, files]) });
    const el = await fixture(html`<div style="height:600px;width:380px"><twt-chat-view .session=${session} .actions=${session} .visibility=${'maximized'}></twt-chat-view></div>`);
    const view = el.querySelector('twt-chat-view') as TwtChatView;
    const uploads = uploadsOf(view);
    // The visitor sends a.png with a message: the panel holds the file until the message is stored.
    uploads.add([file('a.png')]);
    const first = { ...IMAGE, id: 'f_a', name: 'a.png' };
    FakeRequest.made[0]!.answer(200, { ok: true, attachment: first });
    await view.updateComplete;
    (q(view, 'button.send') as HTMLButtonElement).click();
    expect(sent).to.deep.equal([['', [first]]]);
    // Refused: a.png (held) and Résumé.pdf (not held: sent before a reload) were in the deleted conversation.
    const refused = { clientId: 'c9', text: 'my papers', createdAt: new Date().toISOString(), state: 'failed' as const, error: 'invalid_attachment', attachments: [first, PDF] };
    push({ ...state, outbox: [refused] });
    await waitUntil(() => FakeRequest.made.length === 2, 'a.png uploaded again');
    expect(FakeRequest.made[1]!.url).to.equal(`${location.origin}/v1/visitor/conversations/c_now/attachments?name=a.png`);
    // The same refusal seen again is not handled twice.
    push({ ...state, outbox: [refused] });
    await view.updateComplete;
    expect(FakeRequest.made).to.have.length(2);
    const again = { ...first, id: 'f_a2' };
    FakeRequest.made[1]!.answer(200, { ok: true, attachment: again });
    await waitUntil(() => retried.length === 1, 'the message sent again');
    expect(retried).to.deep.equal([['c9', [again]]]);
    // As the session's outbox has it now: sending, with the file uploaded again.
    push({ ...state, outbox: [{ ...refused, state: 'sending', error: undefined, attachments: [again] }] });
    await view.updateComplete;
    expect(q(view, '[role="alert"]')!.textContent).to.include('These files were not sent').and.include('Résumé.pdf').and.not.include('a.png');
    // A new refusal whose upload fails on the network: nothing is sent, the message waits for Retry.
    push({ ...state, outbox: [{ ...refused, attachments: [again] }] });
    await waitUntil(() => FakeRequest.made.length === 3, 'uploaded again');
    FakeRequest.made[2]!.onerror!();
    await view.updateComplete;
    expect(retried).to.have.length(1);
    // The next message sent clears the notice.
    (q(view, '#composer') as HTMLTextAreaElement).value = 'next';
    (q(view, 'button.send') as HTMLButtonElement).click();
    await view.updateComplete;
    expect(view.shadowRoot!.textContent).to.not.include('These files were not sent');
  });

  it('its conversation deleted: the tray’s files wait, failed, for a retry into the next one; no announcement of it stays', async () => {
    let state!: PanelState;
    fakeSession({ messages: [] }).session.subscribe((s) => (state = s));
    const { session } = fakeSession();
    let push: (s: PanelState) => void = () => {};
    Object.assign(session, { subscribe: (fn: (s: PanelState) => void) => ((push = fn), fn(state), () => undefined) });
    const el = await fixture(html`<div style="height:600px;width:380px"><twt-chat-view .session=${session} .actions=${session} .visibility=${'maximized'}></twt-chat-view></div>`);
    const view = el.querySelector('twt-chat-view') as TwtChatView;
    push({ ...state, messages: [message(1, 'agent', 'your card is on file', { authorName: 'Ann' })] });
    await view.updateComplete;
    expect(q(view, '[aria-live]')!.textContent).to.include('your card is on file');
    const uploads = uploadsOf(view);
    uploads.add([file('done.png'), file('running.png')]);
    await view.updateComplete;
    FakeRequest.made[0]!.answer(200, { ok: true, attachment: { ...IMAGE, name: 'done.png' } });
    const running = FakeRequest.made[1]!;
    // Deleted: the session forgets it (no conversation until the socket is ready in the next one).
    Object.assign(session, { conversationId: null });
    push({ ...state, messages: [] });
    await view.updateComplete;
    expect(q(view, '[aria-live]')!.textContent!.trim()).to.equal('');
    expect(running.aborted).to.equal(true);
    expect(uploads.ready()).to.deep.equal([]);
    const rows = qa(view, '.tray .upload');
    expect(rows.map((r) => r.querySelector('[role="alert"]')?.textContent)).to.deep.equal(['The file could not be uploaded.', 'The file could not be uploaded.']);
    // In the next conversation: a retry uploads there, and its agent messages are announced from seq 1 on.
    Object.assign(session, { conversationId: 'c_next' });
    push({ ...state, messages: [message(1, 'agent', 'welcome back', { conversationId: 'c_next' })] });
    await view.updateComplete;
    expect(q(view, '[aria-live]')!.textContent).to.include('welcome back');
    (rows[0]!.querySelector('button.link') as HTMLButtonElement).click();
    expect(FakeRequest.made.at(-1)!.url).to.equal(`${location.origin}/v1/visitor/conversations/c_next/attachments?name=done.png`);
  });

  it('files come from the button’s input, a drop on the panel, and a paste into the composer', async () => {
    const { view } = await chatView();
    uploadsOf(view);
    const input = q(view, 'input[type="file"]') as HTMLInputElement;
    const picked = new DataTransfer();
    picked.items.add(file('picked.png'));
    input.files = picked.files;
    input.dispatchEvent(new Event('change'));
    const dropped = new DataTransfer();
    dropped.items.add(file('dropped.pdf', 10, 'application/pdf'));
    q(view, '.panel')!.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    await view.updateComplete;
    expect(q(view, '.panel')!.classList.contains('dropping')).to.equal(true);
    q(view, '.panel')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    const pasted = new DataTransfer();
    pasted.items.add(file('pasted.png'));
    q(view, '#composer')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    await view.updateComplete;
    expect(qa(view, '.tray .name').map((n) => n.textContent)).to.deep.equal(['picked.png', 'dropped.pdf', 'pasted.png']);
    expect(q(view, '.panel')!.classList.contains('dropping')).to.equal(false);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with files in messages and in the tray (${theme})`, async () => {
      document.documentElement.dataset.theme = theme;
      const { view } = await chatView();
      const uploads = uploadsOf(view);
      uploads.add([file('uploading.png'), file('refused.exe')]);
      await view.updateComplete;
      FakeRequest.made[1]!.answer(413, { ok: false, reason: 'too_large', message: 'no' });
      await waitUntil(() => q(view, '.tray [role="alert"]') !== null);
      await expect(view).to.be.accessible();
      delete document.documentElement.dataset.theme;
    });
  }
});
