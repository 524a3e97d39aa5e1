import { expect } from '@open-wc/testing';
import { linkify, safeHref } from './linkify.js';
import { backoffDelay } from '../shared/backoff.js';
import { Outbox, OutboxFullError } from './outbox.js';
import { UnreadTracker } from './unread.js';
import { Conversation } from './conversation.js';
import { ThemeController } from './theme.js';
import { parseLogin, parseViewState } from './surface-commands.js';
import { message } from '../../test/helpers/browser/runtime-doubles.js';

describe('linkify', () => {
  it('links http(s) and www URLs, trimming sentence punctuation', () => {
    expect(linkify('see https://a.example/x?y=1. ok')).to.deep.equal([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://a.example/x?y=1', href: 'https://a.example/x?y=1' },
      { kind: 'text', text: '. ok' },
    ]);
    expect(linkify('www.example.com')[0]).to.deep.equal({ kind: 'link', text: 'www.example.com', href: 'https://www.example.com/' });
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')[1]).to.include({ text: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });
  it('never links other schemes and keeps markup as text', () => {
    for (const t of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.example', '<img src=x onerror=alert(1)>']) {
      expect(linkify(t).every((p) => p.kind === 'text')).to.equal(true, t);
    }
    expect(safeHref('javascript://example.com/%0aalert(1)')).to.equal(null);
    expect(linkify('')).to.deep.equal([]);
  });
});

describe('backoff', () => {
  it('is 0 at first, grows, is capped, and is jittered', () => {
    expect(backoffDelay(0, () => 0.5)).to.equal(0);
    expect(backoffDelay(1, () => 0)).to.equal(500);
    expect(backoffDelay(1, () => 1)).to.equal(1000);
    expect(backoffDelay(3, () => 1)).to.equal(4000);
    expect(backoffDelay(50, () => 1)).to.equal(30000);
    expect(backoffDelay(50, () => 0)).to.equal(15000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(4)));
    expect(spread.size).to.be.greaterThan(5);
  });
});

describe('Outbox', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };
  it('keeps entries across instances (reload) until acked', () => {
    const storage = memory();
    const a = new Outbox({ key: 'k', storage });
    const e = a.add('  hello ');
    expect(e.text).to.equal('hello');
    const b = new Outbox({ key: 'k', storage });
    expect(b.sendable().map((x) => x.clientId)).to.deep.equal([e.clientId]);
    expect(b.ack(e.clientId)).to.equal(true);
    expect(b.ack(e.clientId)).to.equal(false);
    expect(new Outbox({ key: 'k', storage }).size).to.equal(0);
  });
  it('drops what another visitor left unsent in this tab, and keeps what was written before a session', () => {
    const storage = memory();
    const a = new Outbox({ key: 'k', storage });
    a.claim('visitor-a');
    a.add('from A');
    // The panel reloads after a logout: a new anonymous visitor's session claims the tab.
    const b = new Outbox({ key: 'k', storage });
    const early = b.add('from B, before the session');
    b.claim('visitor-b');
    expect(b.list().map((e) => e.text)).to.deep.equal([early.text]);
    expect(new Outbox({ key: 'k', storage }).list().map((e) => e.owner)).to.deep.equal(['visitor-b']);
    // The same visitor after a reload keeps their own.
    const again = new Outbox({ key: 'k', storage });
    again.claim('visitor-b');
    expect(again.size).to.equal(1);
  });
  it('refuses past the cap, and refuses empty or too long text', () => {
    const o = new Outbox({ key: 'k', storage: null, cap: 2 });
    o.add('a');
    o.add('b');
    expect(() => o.add('c')).to.throw(OutboxFullError);
    expect(() => o.add('   ')).to.throw(RangeError);
    expect(() => new Outbox({ key: 'x', storage: null }).add('x'.repeat(4001))).to.throw(RangeError);
    expect(o.size).to.equal(2);
  });
  it('survives throwing or corrupted storage', () => {
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => { throw new Error('x'); } };
    const o = new Outbox({ key: 'k', storage: throwing });
    o.add('still queued');
    expect(o.size).to.equal(1);
    const bad = memory();
    bad.setItem('k', '{"not":"a list"}');
    expect(new Outbox({ key: 'k', storage: bad }).size).to.equal(0);
    bad.setItem('k', '[{"clientId":1},{"clientId":"ok","text":"t","createdAt":"x","state":"sending"}]');
    expect(new Outbox({ key: 'k', storage: bad }).size).to.equal(1);
  });
  it('fails and retries an entry', () => {
    const o = new Outbox({ key: 'k', storage: null });
    const e = o.add('x');
    o.fail(e.clientId, 'invalid_text');
    expect(o.sendable()).to.have.length(0);
    o.retry(e.clientId);
    expect(o.sendable()).to.have.length(1);
  });
  it('retries with files uploaded again instead of its own; an entry left with nothing to send is dropped', () => {
    const o = new Outbox({ key: 'k', storage: null });
    const file = (id: string) => ({ id, name: `${id}.png`, type: 'image/png' as const, size: 1, url: `/v1/files/t/${id}` });
    const withText = o.add('see attached', [file('f_old')]);
    const filesOnly = o.add('', [file('f_gone')]);
    for (const e of [withText, filesOnly]) o.fail(e.clientId, 'invalid_attachment');
    expect(o.retry(withText.clientId, [file('f_new')])!.attachments!.map((a) => a.id)).to.deep.equal(['f_new']);
    expect(o.retry(filesOnly.clientId, [])).to.equal(undefined);
    expect(o.list().map((e) => e.clientId)).to.deep.equal([withText.clientId]);
  });
});

describe('UnreadTracker and Conversation', () => {
  it('counts agent messages above the read position and reports each change once', () => {
    const reports: number[] = [];
    const u = new UnreadTracker((c) => reports.push(c));
    u.report();
    u.add(message(1, 'agent'));
    u.add(message(2, 'visitor'));
    u.add(message(3, 'agent'));
    u.add(message(3, 'agent'));
    expect(u.count).to.equal(2);
    expect(u.markRead(1)).to.equal(true);
    expect(u.markRead(1)).to.equal(false);
    expect(u.markRead(3)).to.equal(true);
    expect(reports).to.deep.equal([0, 1, 2, 1, 0]);
    expect(u.newestUnread([message(1, 'agent'), message(3, 'agent')])).to.equal(null);
  });
  it('orders by seq and drops duplicates and malformed messages', () => {
    const c = new Conversation();
    expect(c.add(message(2, 'agent'))).to.equal(true);
    expect(c.add(message(1, 'visitor'))).to.equal(true);
    expect(c.add(message(2, 'agent'))).to.equal(false);
    expect(c.add({ seq: 'x' } as never)).to.equal(false);
    expect(c.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(c.lastSeq).to.equal(2);
  });
});

describe('ThemeController', () => {
  it('resolves system from prefers-color-scheme and follows its changes', () => {
    const root = document.createElement('div');
    const mq = Object.assign(new EventTarget(), { matches: true, media: '' }) as unknown as MediaQueryList;
    const t = new ThemeController(root, () => mq);
    t.set('light');
    expect(root.dataset.theme).to.equal('light');
    t.set('system');
    expect(root.dataset.theme).to.equal('dark');
    (mq as unknown as { matches: boolean }).matches = false;
    mq.dispatchEvent(new Event('change'));
    expect(root.dataset.theme).to.equal('light');
    t.set('dark');
    (mq as unknown as { matches: boolean }).matches = false;
    mq.dispatchEvent(new Event('change'));
    expect(root.dataset.theme).to.equal('dark');
  });
});

describe('set_view validation', () => {
  it('accepts a view and refuses bad shapes', () => {
    expect(parseViewState({ visibility: 'minimized', unreadCount: 2, card: { kind: 'greeting', text: 'Hi' } })).to.deep.equal({
      visibility: 'minimized',
      unreadCount: 2,
      card: { kind: 'greeting', text: 'Hi' },
    });
    expect(parseViewState({ visibility: 'maximized', unreadCount: 0, fullScreen: true })).to.deep.equal({ visibility: 'maximized', unreadCount: 0, fullScreen: true });
    expect(parseViewState({ visibility: 'maximized', unreadCount: 0, fullScreen: false })).to.deep.equal({ visibility: 'maximized', unreadCount: 0, fullScreen: false });
    expect(parseViewState({ visibility: 'minimized', unreadCount: 1, fullScreen: false, sound: true })).to.deep.equal({ visibility: 'minimized', unreadCount: 1, fullScreen: false, sound: true });
    for (const bad of [null, [], { visibility: 'x', unreadCount: 0 }, { visibility: 'hidden', unreadCount: -1 }, { visibility: 'hidden', unreadCount: 0, card: { kind: 'html', text: '' } }, { visibility: 'maximized', unreadCount: 0, fullScreen: 'yes' }, { visibility: 'minimized', unreadCount: 0, sound: 'on' }]) {
      expect(() => parseViewState(bad)).to.throw();
    }
  });
});

describe('login payload', () => {
  const triple = { sbs: 'u1', sbs_mm: 'a'.repeat(32), ranstr: 'r' };
  it('keeps a referer of 2000 characters, as config and the server accept it; caps the rest as the server does', () => {
    const referer = 'https://shop.example/' + 'p'.repeat(2000 - 'https://shop.example/'.length);
    const { profile } = parseLogin({ ...triple, referer: referer + 'cut', name: 'n'.repeat(300) });
    expect(profile.referer).to.equal(referer);
    expect(profile.name).to.have.length(200);
  });
  it('refuses without the full triple', () => {
    expect(() => parseLogin({ sbs: 'u1', sbs_mm: 'x' })).to.throw('login needs sbs, sbs_mm and ranstr');
  });
});
