import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LOCALES, TARGET_LOCALES } from '../shared/locales.js';
import type { SurfaceBridge } from './surface-bridge.js';
import { applyLocale, setupLocalization } from './localization.js';
import { installTokens, LIGHT, DARK } from './styles.js';
import { TwtLauncherApp } from './launcher-app.js';
import { launcherFirstPaint } from './launcher-look.js';
import { TwtCardApp } from './card-app.js';
import { TwtChatView } from './chat-view.js';
import type { PanelSession, PanelState } from './panel-session.js';
import { message, sleep } from '../../test/helpers/browser/runtime-doubles.js';

customElements.get('twt-launcher-app') || customElements.define('twt-launcher-app', TwtLauncherApp);
customElements.get('twt-card-app') || customElements.define('twt-card-app', TwtCardApp);
customElements.get('twt-chat-view') || customElements.define('twt-chat-view', TwtChatView);
setupLocalization();
installTokens(document);

function fakeBridge() {
  const emitted: string[] = [];
  const bridge = { emit: (name: string) => emitted.push(name) } as unknown as SurfaceBridge;
  return { bridge, emitted };
}

const DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
/** Agent 7 has an avatar; any other agent's fails to load (the route's 404). */
const avatarUrl = (id: number) => (id === 7 ? DOT : 'data:image/png;base64,bm90IGFuIGltYWdl');

function fakeSession(patch: Partial<PanelState> = {}) {
  const sent: string[] = [];
  const state: PanelState = {
    phase: 'active',
    status: 'connected',
    messages: [message(1, 'agent', 'Hi, see https://example.com/a <b>bold</b>', { authorName: 'Ann', authorAgentId: 7, createdAt: new Date(Date.now() - 86_400_000 * 3).toISOString() }), message(2, 'visitor', 'thanks')],
    outbox: [{ clientId: 'c1', text: 'pending one', createdAt: new Date().toISOString(), state: 'sending' }, { clientId: 'c2', text: 'failed one', createdAt: new Date().toISOString(), state: 'failed', error: 'x' }],
    unread: 0,
    visitorReadSeq: 2,
    agentsOnline: 1,
    agentTyping: 'Ann',
    appName: 'Demo shop',
    greeting: 'Welcome!',
    replyTime: 'minutes',
    outboxFull: false,
    authClosed: null,
    conversationStatus: 'open',
    rating: null,
    ...patch,
  };
  const rated: [string, string][] = [];
  const read: string[] = [];
  const seen: number[] = [];
  let listener: ((s: PanelState) => void) | null = null;
  let current = state;
  const session = {
    subscribe: (fn: (s: PanelState) => void) => ((listener = fn), fn(current), () => undefined),
    send: (t: string) => (sent.push(t), true),
    // As the real session: the server's answer becomes the state's rating.
    async rate(value: 'good' | 'bad', comment: string) {
      rated.push([value, comment]);
      if (comment === 'refuse me') throw new Error('not_resolved');
      current = { ...current, rating: { value, comment: comment.trim() || null, ratedAt: new Date().toISOString() } };
      listener?.(current);
    },
    conversationId: 'c_now',
    // The visitor's conversations (the history): the current one, a resolved one, one never written in.
    async pastConversations() {
      if (patch.appName === 'history fails') throw new Error('network');
      const at = new Date(Date.now() - 86_400_000 * 8).toISOString();
      return [
        { id: 'c_now', lastSeq: 2, visitorReadSeq: 2, unread: 0, lastMessage: message(2, 'visitor', 'thanks'), updatedAt: new Date().toISOString(), status: 'open', rating: null },
        { id: 'c_old', lastSeq: 1, visitorReadSeq: 1, unread: 0, lastMessage: message(1, 'agent', 'Your parcel <i>left</i>', { createdAt: at }), updatedAt: at, status: 'resolved', rating: null },
        { id: 'c_empty', lastSeq: 0, visitorReadSeq: 0, unread: 0, lastMessage: null, updatedAt: at, status: 'open', rating: null },
      ];
    },
    async readConversation(id: string) {
      read.push(id);
      return [message(1, 'visitor', 'where is my parcel?'), message(2, 'agent', 'Your parcel <i>left</i>')];
    },
    markSeen(seq: number) {
      seen.push(seq);
    },
    retry() {},
    typing() {},
    avatarUrl,
  } as unknown as PanelSession;
  return { session, sent, rated, read, seen };
}

async function chatView(patch: Partial<PanelState> = {}) {
  const { bridge, emitted } = fakeBridge();
  const { session, sent, rated, read, seen } = fakeSession(patch);
  const el = await fixture<TwtChatView>(html`<div style="height:500px"><twt-chat-view .session=${session} .actions=${session} .bridge=${bridge} .visibility=${'maximized'}></twt-chat-view></div>`);
  const view = el.querySelector('twt-chat-view') as TwtChatView;
  await view.updateComplete;
  return { view, emitted, sent, rated, read, seen };
}

const sourceIds = async () => {
  const xml = await (await fetch('/locales/de.xlf')).text();
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  return [...doc.querySelectorAll('trans-unit')].map((u) => ({ id: u.getAttribute('id')!, source: u.querySelector('source')!.textContent! }));
};

describe('localization', () => {
  afterEach(() => applyLocale('en'));

  it('every target locale has every message, translated (no English left)', async () => {
    const ids = await sourceIds();
    expect(ids.length).to.be.greaterThan(25);
    // Words that are the same in the target language.
    const same = new Set(['de:panel.title', 'de:card.agent', 'fr:panel.messages']);
    for (const l of TARGET_LOCALES) {
      const mod = await import(`./locales/${l}.ts`);
      for (const { id, source } of ids) {
        const t = mod.templates[id];
        expect(t, `${l} lacks ${id}`).to.not.equal(undefined);
        const text = typeof t === 'string' ? t : t.strings.join('');
        if (!same.has(`${l}:${id}`)) expect(text.trim(), `${l}:${id} is English`).to.not.equal(source.replace(/<x[^>]*\/>/g, '').trim());
      }
    }
  });

  it('renders the launcher label in all 9 locales', async () => {
    const labels = new Set<string>();
    for (const l of LOCALES) {
      expect(await applyLocale(l)).to.equal(l);
      const el = await fixture<TwtLauncherApp>(html`<twt-launcher-app .view=${{ visibility: 'minimized', unreadCount: 3 }}></twt-launcher-app>`);
      const label = el.shadowRoot!.querySelector('button')!.getAttribute('aria-label')!;
      expect(label).to.include('3');
      labels.add(label);
      expect(document.documentElement.lang).to.equal(l);
    }
    expect(labels.size).to.equal(9);
  });

  it('normalises and refuses locales', async () => {
    expect(await applyLocale('zh-Hant')).to.equal('zh-tw');
    expect(await applyLocale('pt-BR')).to.equal('pt');
    expect(await applyLocale('xx')).to.equal(null);
    expect(document.documentElement.lang).to.equal('pt');
  });
});

describe('launcher and card', () => {
  it('launcher: label, aria-expanded, badge, asks the host to toggle', async () => {
    const { bridge, emitted } = fakeBridge();
    const el = await fixture<TwtLauncherApp>(html`<twt-launcher-app .bridge=${bridge} .view=${{ visibility: 'minimized', unreadCount: 3 }}></twt-launcher-app>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).to.equal('Open chat, 3 unread messages');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(el.shadowRoot!.querySelector('.badge')!.textContent).to.equal('3');
    button.click();
    expect(emitted).to.deep.equal(['request_toggle']);
    el.view = { visibility: 'maximized', unreadCount: 0 };
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(el.shadowRoot!.querySelector('.badge')).to.equal(null);
  });

  it('launcher: shows the site icon (config icon) while closed, the chat icon if the image fails', async () => {
    const dot = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    const el = await fixture<TwtLauncherApp>(html`<twt-launcher-app .icon=${dot} .view=${{ visibility: 'minimized', unreadCount: 2 }}></twt-launcher-app>`);
    const img = () => el.shadowRoot!.querySelector<HTMLImageElement>('img.icon');
    expect(img()!.getAttribute('src')).to.equal(dot);
    expect(img()!.alt, 'decorative: the button has the label').to.equal('');
    expect(el.shadowRoot!.querySelector('.badge')!.textContent, 'the unread badge stays').to.equal('2');
    el.view = { visibility: 'maximized', unreadCount: 0 };
    await el.updateComplete;
    expect(img(), 'open: the close icon').to.equal(null);
    el.view = { visibility: 'minimized', unreadCount: 0 };
    el.icon = 'data:image/png;base64,bm90IGFuIGltYWdl';
    await el.updateComplete;
    expect(img()).to.exist;
    await waitUntil(() => img() === null, 'a broken image falls back to the chat icon');
    expect(el.shadowRoot!.querySelector('button svg')).to.exist;
  });

  it('launcher: when its window gets focus (the host returning focus), the button takes it', async () => {
    const el = await fixture<TwtLauncherApp>(html`<twt-launcher-app .view=${{ visibility: 'minimized', unreadCount: 0 }}></twt-launcher-app>`);
    const button = el.shadowRoot!.querySelector('button')!;
    // Booleans, not elements: a failing comparison of DOM nodes is serialised badly by the runner.
    expect(el.shadowRoot!.activeElement === null, 'nothing focused at first').to.equal(true);
    window.dispatchEvent(new FocusEvent('focus'));
    expect(el.shadowRoot!.activeElement === button, 'the button took focus').to.equal(true);
    el.remove();
    button.blur();
    window.dispatchEvent(new FocusEvent('focus'));
    expect(el.shadowRoot!.activeElement === null, 'no listener left after removal').to.equal(true);
  });

  it("launcher: its page's first paint (a declarative shadow root) is drawn like the live button, which takes it over", async () => {
    const { documentStyle, shadowRoot } = launcherFirstPaint('light');
    // An element name not defined yet, as on the launcher page before surface.js has run.
    const box = document.createElement('div');
    document.body.append(box);
    box.setHTMLUnsafe(`${documentStyle}<twt-launcher-app-first-paint>${shadowRoot}</twt-launcher-app-first-paint>`);
    const el = box.querySelector('twt-launcher-app-first-paint')!;
    const painted = el.shadowRoot!.querySelector('button')!;
    expect([painted.getAttribute('aria-label'), painted.getBoundingClientRect().width, getComputedStyle(painted).backgroundColor]).to.deep.equal(['Open chat', 56, 'rgb(29, 78, 216)']);
    customElements.define('twt-launcher-app-first-paint', class extends TwtLauncherApp {});
    const live = el as TwtLauncherApp;
    expect(live.shadowRoot!.querySelectorAll('button, style').length, 'one button, no leftover of the first paint').to.equal(1);
    const button = live.shadowRoot!.querySelector('button')!;
    expect([button.getAttribute('aria-label'), button.getBoundingClientRect().width, button.querySelector('svg path')!.getAttribute('d')]).to.deep.equal(['Open chat', 56, painted.querySelector('svg path')!.getAttribute('d')]);
    box.remove();
  });

  it("launcher: its dark page's first paint has the dark theme's accent, as the live button on a dark site", async () => {
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    const painted: Record<string, string> = {};
    for (const theme of ['light', 'dark'] as const) {
      // A page of its own (as launcher.html and launcher-dark.html are), untouched by this page's tokens.
      const { documentStyle, shadowRoot } = launcherFirstPaint(theme);
      const frame = document.createElement('iframe');
      frame.srcdoc = `<!doctype html><head>${documentStyle}</head><body><twt-launcher-app>${shadowRoot}</twt-launcher-app></body>`;
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      await loaded;
      const button = frame.contentDocument!.querySelector('twt-launcher-app')!.shadowRoot!.querySelector('button')!;
      painted[theme] = frame.contentWindow!.getComputedStyle(button).backgroundColor;
      frame.remove();
    }
    expect(painted).to.deep.equal({ light: rgb(LIGHT.accent), dark: rgb(DARK.accent) });
  });

  it('card: shows the message, maximizes on click, dismisses', async () => {
    const { bridge, emitted } = fakeBridge();
    const el = await fixture<TwtCardApp>(html`<twt-card-app .bridge=${bridge} .view=${{ visibility: 'minimized', unreadCount: 1, card: { kind: 'message', text: '<i>x</i>', author: 'Ann' } }}></twt-card-app>`);
    expect(el.shadowRoot!.querySelector('.text')!.textContent).to.equal('<i>x</i>');
    expect(el.shadowRoot!.querySelector('i')).to.equal(null);
    (el.shadowRoot!.querySelector('.open') as HTMLButtonElement).click();
    (el.shadowRoot!.querySelector('.dismiss') as HTMLButtonElement).click();
    expect(emitted).to.deep.equal(['request_maximize', 'request_dismiss_card']);
    el.view = { visibility: 'maximized', unreadCount: 0, card: { kind: 'greeting', text: 'Hi' } };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.card')).to.equal(null);
  });
});

describe('chat view', () => {
  it('renders text safely with safe links, delivery states, typing and a day separator', async () => {
    const { view } = await chatView();
    const root = view.shadowRoot!;
    expect(root.querySelector('b')).to.equal(null);
    const a = root.querySelector('.bubble a') as HTMLAnchorElement;
    expect(a.href).to.equal('https://example.com/a');
    expect(a.rel).to.equal('noopener noreferrer');
    expect(root.querySelectorAll('.day').length).to.equal(2);
    expect(root.querySelector('.pending .meta')!.textContent).to.include('Sending');
    expect(root.querySelector('.failed .retry')).to.not.equal(null);
    expect(root.querySelector('.typing')!.textContent).to.include('Ann is typing');
    expect(root.querySelector('h1')!.textContent).to.equal('Demo shop');
  });

  it("heads each run of an agent's messages with its avatar and name; an agent without avatar gets the name only", async () => {
    const now = new Date().toISOString();
    const { view } = await chatView({
      messages: [
        message(1, 'agent', 'hi', { authorName: 'Ann', authorAgentId: 7, createdAt: now }),
        message(2, 'agent', 'still me', { authorName: 'Ann', authorAgentId: 7, createdAt: now }),
        message(3, 'agent', 'Bo here', { authorName: 'Bo', authorAgentId: 8, createdAt: now }),
        message(4, 'visitor', 'thanks', { createdAt: now }),
        message(5, 'agent', 'welcome', { authorName: 'Ann', authorAgentId: 7, createdAt: now }),
        message(6, 'system', 'note', { createdAt: now }),
      ],
    });
    const root = view.shadowRoot!;
    const froms = [...root.querySelectorAll('.msg[data-seq]')].map((li) => li.querySelector('.from')?.textContent!.trim() ?? null);
    expect(froms).to.deep.equal(['Ann', null, 'Bo', null, 'Ann', null]);
    expect(root.querySelector('.from')!.getAttribute('aria-hidden'), 'the name is read once, from the visually hidden label').to.equal('true');
    const faces = [...root.querySelectorAll<HTMLImageElement>('.msg .face')];
    expect(faces.map((f) => f.getAttribute('src'))).to.deep.equal([DOT, avatarUrl(8), DOT]);
    expect(faces[0]!.alt).to.equal('');
    await waitUntil(() => faces[0]!.complete && faces[0]!.naturalWidth > 0, 'the avatar loads');
    await waitUntil(() => faces[1]!.hidden, 'a missing avatar hides (no broken-image icon)');
    expect(faces[0]!.hidden).to.equal(false);
  });

  it('the header says how soon the team replies, named after the last agent who answered, else the app, in every locale', async () => {
    const team = async (patch: Partial<PanelState>) => (await chatView(patch)).view.shadowRoot!.querySelector('.team')?.textContent ?? null;
    expect(await team({})).to.equal('Ann, usually replies in a few minutes');
    const answered = [message(1, 'agent', 'a', { authorName: 'Ann' }), message(2, 'agent', 'b', { authorName: 'Bo' }), message(3, 'system', 'c'), message(4, 'visitor', 'd')];
    expect(await team({ messages: answered, replyTime: 'hours' })).to.equal('Bo, usually replies in a few hours');
    expect(await team({ messages: [], replyTime: 'day' })).to.equal('Demo shop, usually replies within a day');
    expect(await team({ replyTime: '' }), 'not said: no line').to.equal(null);
    const texts = new Set<string>();
    try {
      for (const l of LOCALES) {
        await applyLocale(l);
        const t = (await team({ messages: [], replyTime: 'minutes' }))!;
        expect(t).to.include('Demo shop');
        texts.add(t);
      }
    } finally {
      await applyLocale('en');
    }
    expect(texts.size).to.equal(9);
  });

  it('Enter sends, Shift+Enter does not, Escape asks to minimize', async () => {
    const { view, sent, emitted } = await chatView();
    const ta = view.shadowRoot!.querySelector('textarea')!;
    ta.value = 'line one';
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, composed: true }));
    expect(sent).to.deep.equal([]);
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(sent).to.deep.equal(['line one']);
    expect(ta.value).to.equal('');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(emitted).to.deep.equal(['request_minimize']);
  });

  it('disables the composer until authenticated and shows banners and the auth_closed state', async () => {
    let { view } = await chatView({ phase: 'booting', status: 'disconnected' });
    expect(view.shadowRoot!.querySelector('textarea')!.disabled).to.equal(true);
    ({ view } = await chatView({ status: 'reconnecting' }));
    expect(view.shadowRoot!.querySelector('.banner')!.textContent).to.include('Reconnecting');
    ({ view } = await chatView({ phase: 'auth_closed', status: 'disconnected' }));
    expect(view.shadowRoot!.querySelector('.error[role="alert"]')!.textContent).to.include('ended');
    expect(view.shadowRoot!.querySelector('textarea')!.disabled).to.equal(true);
  });
});

describe('rating a resolved conversation', () => {
  const resolved = { conversationStatus: 'resolved', agentTyping: null } as const;
  const q = (view: TwtChatView, sel: string) => view.shadowRoot!.querySelector(sel) as HTMLElement | null;

  it('is offered only when an agent resolved the conversation', async () => {
    expect(q((await chatView()).view, 'form.rating')).to.equal(null);
    expect(q((await chatView({ ...resolved, phase: 'booting' })).view, 'form.rating')).to.equal(null);
    const { view } = await chatView(resolved);
    expect(q(view, '#rating-title')!.textContent).to.include('How did we do?');
    expect(q(view, '#rating-comment'), 'the comment field waits for a choice').to.equal(null);
    expect(view.shadowRoot!.querySelector('#composer')!.hasAttribute('disabled'), 'writing again stays possible (it reopens)').to.equal(false);
  });

  it('good / bad, an optional comment, send; thanks after, and the choice can be changed (re-rating)', async () => {
    const { view, rated } = await chatView(resolved);
    q(view, 'button.rate.good')!.click();
    await view.updateComplete;
    expect(q(view, 'button.rate.good')!.getAttribute('aria-pressed')).to.equal('true');
    const comment = q(view, '#rating-comment') as HTMLTextAreaElement;
    expect(comment.maxLength).to.equal(500);
    comment.value = 'thanks!';
    (q(view, 'form.rating') as HTMLFormElement).requestSubmit();
    await waitUntil(() => rated.length === 1 && q(view, '#rating-comment') === null);
    expect(rated).to.deep.equal([['good', 'thanks!']]);
    expect(q(view, '#rating-title')!.textContent).to.include('Thanks for your feedback');
    expect(q(view, 'button.rate.good')!.getAttribute('aria-pressed')).to.equal('true');
    // Change it: bad, without a comment.
    q(view, 'button.rate.bad')!.click();
    await view.updateComplete;
    (q(view, 'form.rating') as HTMLFormElement).requestSubmit();
    await waitUntil(() => rated.length === 2 && q(view, '#rating-comment') === null);
    expect(rated[1]).to.deep.equal(['bad', '']);
    expect(q(view, 'button.rate.bad')!.getAttribute('aria-pressed')).to.equal('true');
  });

  it('a refused rating or a comment with control characters says so and keeps the text', async () => {
    const { view, rated } = await chatView(resolved);
    q(view, 'button.rate.bad')!.click();
    await view.updateComplete;
    const comment = q(view, '#rating-comment') as HTMLTextAreaElement;
    comment.value = 'bell\u0007';
    (q(view, 'form.rating') as HTMLFormElement).requestSubmit();
    await waitUntil(() => q(view, '.rating [role="alert"]') !== null);
    expect(rated, 'never sent').to.deep.equal([]);
    comment.value = 'refuse me';
    (q(view, 'form.rating') as HTMLFormElement).requestSubmit();
    await waitUntil(() => rated.length === 1);
    await view.updateComplete;
    expect(q(view, '.rating [role="alert"]')!.textContent).to.include('could not be sent');
    expect((q(view, '#rating-comment') as HTMLTextAreaElement).value).to.equal('refuse me');
  });
});

describe('past conversations', () => {
  const q = (view: TwtChatView, sel: string) => view.shadowRoot!.querySelector(sel) as HTMLElement | null;

  it('lists the visitor’s conversations (not the empty one), opens a past one read only, and goes back to the live chat', async () => {
    const { view, read, seen } = await chatView({ agentTyping: null });
    q(view, '.header .past')!.click();
    await waitUntil(() => view.shadowRoot!.querySelectorAll('.history li').length === 2);
    expect(q(view, '.chat:not([hidden]) #composer'), 'no composer in the history').to.equal(null);
    const rows = [...view.shadowRoot!.querySelectorAll('.history li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows[0]).to.include('Current');
    expect(rows[1]).to.include('Resolved').and.include('Your parcel <i>left</i>');
    expect(q(view, '.history i'), 'text, never markup').to.equal(null);
    // A past conversation opens to read, without a composer, and its messages are no read marks of the live one.
    (q(view, '.history button[data-id="c_old"]') as HTMLButtonElement).click();
    await waitUntil(() => q(view, '.list.past') !== null);
    expect(read).to.deep.equal(['c_old']);
    expect(q(view, '.list.past')!.textContent).to.include('where is my parcel?');
    expect(q(view, '.chat:not([hidden]) #composer')).to.equal(null);
    expect(q(view, '.chat:not([hidden]) .notice')!.textContent).to.include('to read');
    const seenBefore = seen.length;
    await sleep(50);
    expect(seen.length, 'no read mark from the past conversation').to.equal(seenBefore);
    // Back to the list, then back to the chat; the current conversation's row also leads to the chat.
    (q(view, '.history-nav .back') as HTMLButtonElement).click();
    await waitUntil(() => q(view, '.history') !== null);
    (q(view, '.history button[data-id="c_now"]') as HTMLButtonElement).click();
    await waitUntil(() => q(view, '.history') === null);
    expect(q(view, '.chat:not([hidden]) #composer')).to.not.equal(null);
  });

  it('says so when the list cannot be loaded', async () => {
    const { view } = await chatView({ appName: 'history fails' });
    q(view, '.header .past')!.click();
    await waitUntil(() => q(view, '.history-nav + [role="alert"]') !== null);
    expect(q(view, '[role="alert"]')!.textContent).to.include('could not be loaded');
    (q(view, '.history-nav .back') as HTMLButtonElement).click();
    await waitUntil(() => q(view, '.history-nav') === null);
  });
});

describe('accessibility (axe) in both themes', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every surface passes axe (${theme})`, async () => {
      document.documentElement.dataset.theme = theme;
      const launcher = await fixture(html`<twt-launcher-app .view=${{ visibility: 'minimized', unreadCount: 2 }}></twt-launcher-app>`);
      await expect(launcher).to.be.accessible();
      const card = await fixture(html`<twt-card-app .view=${{ visibility: 'minimized', unreadCount: 1, card: { kind: 'message', text: 'Hello', author: 'Ann' } }}></twt-card-app>`);
      await expect(card).to.be.accessible();
      const { view } = await chatView({ status: 'reconnecting', outboxFull: true });
      await sleep(50);
      await expect(view).to.be.accessible();
      // The rating offered after a resolve, with its comment field open.
      const rating = (await chatView({ conversationStatus: 'resolved', rating: { value: 'good', comment: 'ok', ratedAt: new Date().toISOString() } })).view;
      (rating.shadowRoot!.querySelector('button.rate.bad') as HTMLElement).click();
      await rating.updateComplete;
      await expect(rating).to.be.accessible();
      // The history list, and a past conversation open to read.
      const past = (await chatView({ agentTyping: null })).view;
      (past.shadowRoot!.querySelector('.header .past') as HTMLElement).click();
      await waitUntil(() => past.shadowRoot!.querySelectorAll('.history li').length === 2);
      await expect(past).to.be.accessible();
      (past.shadowRoot!.querySelector('.history button[data-id="c_old"]') as HTMLElement).click();
      await waitUntil(() => past.shadowRoot!.querySelector('.list.past') !== null);
      await expect(past).to.be.accessible();
      delete document.documentElement.dataset.theme;
    });
  }
});

describe('colour contrast (WCAG AA)', () => {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a: string, b: string) => {
    const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m);
    return (x + 0.05) / (y + 0.05);
  };
  for (const [name, t] of [['light', LIGHT], ['dark', DARK]] as const) {
    it(`text pairs reach 4.5:1 (${name})`, () => {
      const pairs: Array<[string, string]> = [
        [t.fg, t.bg], [t.muted, t.bg], [t.fg, t.surface], [t.muted, t.surface], [t.accentFg, t.accent], [t.link, t.surface],
        [t.link, t.bg], [t.danger, t.bg], [t.bannerFg, t.bannerBg], [t.badgeFg, t.badgeBg],
      ];
      for (const [fg, bg] of pairs) expect(ratio(fg, bg), `${fg} on ${bg}`).to.be.at.least(4.5);
    });
  }
});
