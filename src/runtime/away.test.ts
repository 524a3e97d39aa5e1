// The panel's away notice (hours closed, or nobody online: when the team is back and a follow-up email) and
// "Start a new conversation" (from past conversations and after a resolve), in the lazy chat UI; axe in both themes.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupLocalization, applyLocale } from './localization.js';
import { installTokens } from './styles.js';
import { TwtChatView } from './chat-view.js';
import type { TwtAwayNotice } from './away-notice.js';
import type { PanelSession, PanelState } from './panel-session.js';
import type { HoursState } from '../shared/business-hours.js';
import { message } from '../../test/helpers/browser/runtime-doubles.js';

customElements.get('twt-chat-view') || customElements.define('twt-chat-view', TwtChatView);
setupLocalization();
installTokens(document);

interface Request {
  path: string;
  method: string;
  body: unknown;
  authorization: string;
}

/** A session double whose `api.request` plays the server's away routes (a unit-test double of server/http/away-api.ts). */
function awaySession(opts: { hours: HoursState; state?: Partial<PanelState>; followUpEmail?: string | null; knownEmail?: string | null; failStart?: boolean }) {
  const requests: Request[] = [];
  const moved: string[] = [];
  let listener: ((s: PanelState) => void) | null = null;
  let current: PanelState = {
    phase: 'active',
    status: 'connected',
    messages: [message(1, 'visitor', 'hello?')],
    outbox: [],
    unread: 0,
    visitorReadSeq: 1,
    agentsOnline: 1,
    agentTyping: null,
    appName: 'Demo shop',
    greeting: 'Welcome!',
    replyTime: '',
    outboxFull: false,
    authClosed: null,
    conversationStatus: 'open',
    rating: null,
    ...opts.state,
  };
  let email = opts.followUpEmail ?? null;
  const session = {
    token: 'tok-1',
    conversationId: 'c_now',
    subscribe: (fn: (s: PanelState) => void) => ((listener = fn), fn(current), () => undefined),
    setState(patch: Partial<PanelState>) {
      current = { ...current, ...patch };
      listener?.(current);
    },
    api: {
      async request(path: string, init: RequestInit) {
        const headers = init.headers as Record<string, string>;
        const body = init.body ? JSON.parse(String(init.body)) : undefined;
        requests.push({ path, method: init.method ?? 'GET', body, authorization: headers.authorization });
        if (path.startsWith('/v1/visitor/away')) return { ok: true, hours: opts.hours, followUpEmail: email, knownEmail: email ?? opts.knownEmail ?? null };
        if (path.endsWith('/email')) {
          if (body.email === 'refused@example.com') throw Object.assign(new Error('refused'), { reason: 'invalid_email' });
          email = body.email;
          return { ok: true, followUpEmail: email };
        }
        if (path === '/v1/visitor/conversations') {
          if (opts.failStart) throw new Error('network');
          return { ok: true, conversation: { id: 'c_new', lastSeq: 0 } };
        }
        throw new Error(`unexpected ${path}`);
      },
    },
    moveTo(id: string) {
      moved.push(id);
      (session as { conversationId: string }).conversationId = id;
      session.setState({ messages: [], conversationStatus: 'open', rating: null });
    },
    async pastConversations() {
      return [{ id: 'c_now', lastSeq: 1, visitorReadSeq: 1, unread: 0, lastMessage: message(1, 'visitor', 'hello?'), updatedAt: new Date().toISOString(), status: 'open', rating: null }];
    },
    markSeen() {},
    typing() {},
    send: () => true,
    avatarUrl: () => 'data:,',
  };
  return { session: session as unknown as PanelSession & typeof session, requests, moved };
}

async function view(opts: Parameters<typeof awaySession>[0]) {
  const s = awaySession(opts);
  const el = await fixture<HTMLElement>(html`<div style="height:600px"><twt-chat-view .session=${s.session} .actions=${s.session} .visibility=${'maximized'}></twt-chat-view></div>`);
  const chat = el.querySelector('twt-chat-view') as TwtChatView;
  await chat.updateComplete;
  const notice = () => chat.shadowRoot!.querySelector('twt-away-notice') as TwtAwayNotice;
  const q = (sel: string) => notice().shadowRoot!.querySelector(sel) as HTMLElement | null;
  return { ...s, chat, notice, q };
}

/** Next Monday 09:00 local, at least two days away: a weekday the notice names. */
function nextMondayNine(): Date {
  const d = new Date();
  d.setHours(9, 0, 0, 0);
  do d.setDate(d.getDate() + 1);
  while (d.getDay() !== 1 || d.getTime() - Date.now() < 2 * 86_400_000);
  return d;
}
const sq = (v: { chat: TwtChatView }, sel: string) => v.chat.shadowRoot!.querySelector(sel) as HTMLElement | null;
const closedUntil = (d: Date): HoursState => ({ open: false, nextOpening: d.toISOString(), changesAt: d.toISOString() });
const OPEN: HoursState = { open: true, nextOpening: null, changesAt: null };

describe('away notice', () => {
  afterEach(() => applyLocale('en'));

  it('outside the hours: says when the team is back (weekday and time, in the locale) and keeps the composer usable', async () => {
    const monday = nextMondayNine();
    const v = await view({ hours: closedUntil(monday) });
    await waitUntil(() => v.q('.away'), 'the notice shows');
    const text = v.q('#away-title')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.include("We're back Monday");
    expect(text).to.include(new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(monday));
    expect(text).to.include('Your messages are kept');
    expect(v.requests[0]).to.deep.include({ path: '/v1/visitor/away?conversation=c_now', method: 'GET', authorization: 'Bearer tok-1' });
    expect((v.chat.shadowRoot!.querySelector('#composer') as HTMLTextAreaElement).disabled).to.equal(false);
    // In German, with the German weekday.
    await applyLocale('de');
    await waitUntil(() => v.q('#away-title')!.textContent!.includes('Montag'));
    expect(v.q('#away-title')!.textContent).to.include('wieder da');
  });

  it('inside the hours: shows only while no agent is online (the launcher’s presence), live', async () => {
    const v = await view({ hours: OPEN, state: { agentsOnline: 1 } });
    await waitUntil(() => v.requests.length === 1);
    await v.notice().updateComplete;
    expect(v.q('.away'), 'an agent is online').to.equal(null);
    v.session.setState({ agentsOnline: 0 });
    await waitUntil(() => v.q('.away'));
    expect(v.q('#away-title')!.textContent).to.include('No one is online right now.');
    v.session.setState({ agentsOnline: 2 });
    await waitUntil(() => v.q('.away') === null);
  });

  it('asks for an email: checked by the shared rule first, saved on the conversation, then shown and changeable', async () => {
    const v = await view({ hours: closedUntil(nextMondayNine()) });
    await waitUntil(() => v.q('#away-email'));
    const input = v.q('#away-email') as HTMLInputElement;
    expect(v.q('label[for="away-email"]')!.textContent).to.include('Leave your email');
    input.value = 'not an email';
    (v.q('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => v.q('#away-problem'));
    expect(v.q('#away-problem')!.textContent).to.include('valid email');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(v.requests.filter((r) => r.path.endsWith('/email')), 'nothing sent').to.have.length(0);
    // The server's refusal reads the same.
    input.value = 'refused@example.com';
    (v.q('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => v.requests.some((r) => r.path.endsWith('/email')));
    await waitUntil(() => v.q('#away-problem')?.textContent?.includes('valid email'));
    input.value = '  ann@example.com ';
    (v.q('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => v.q('.saved'));
    const posted = v.requests.filter((r) => r.path.endsWith('/email')).pop()!;
    expect(posted).to.deep.include({ path: '/v1/visitor/conversations/c_now/email', method: 'POST', body: { email: 'ann@example.com' } });
    expect(v.q('.saved')!.textContent).to.include("We'll follow up at ann@example.com.");
    (v.q('.saved button') as HTMLButtonElement).click();
    await waitUntil(() => v.q('#away-email'));
    expect((v.q('#away-email') as HTMLInputElement).value).to.equal('ann@example.com');
  });

  it('the email field starts with the email this visitor left before (on an earlier conversation), still to be saved here', async () => {
    const v = await view({ hours: closedUntil(nextMondayNine()), knownEmail: 'earlier@example.com' });
    await waitUntil(() => v.q('#away-email'));
    expect((v.q('#away-email') as HTMLInputElement).value).to.equal('earlier@example.com');
    expect(v.q('.saved')).to.equal(null);
  });

  it('an email already left on the conversation is shown, not asked again', async () => {
    const v = await view({ hours: closedUntil(nextMondayNine()), followUpEmail: 'bo@example.com' });
    await waitUntil(() => v.q('.saved'));
    expect(v.q('.saved')!.textContent).to.include('bo@example.com');
    expect(v.q('#away-email')).to.equal(null);
  });
});

describe('start a new conversation', () => {

  it('from past conversations: the server makes one, the live chat moves there, empty, with the composer focused', async () => {
    const v = await view({ hours: OPEN });
    sq(v, '.header .past')!.click();
    await waitUntil(() => sq(v, '.history-nav .start-new'));
    sq(v, '.history-nav .start-new')!.click();
    await waitUntil(() => v.moved.length === 1 && sq(v, '.history') === null);
    expect(v.moved).to.deep.equal(['c_new']);
    expect(v.requests.find((r) => r.path === '/v1/visitor/conversations')).to.deep.include({ method: 'POST', authorization: 'Bearer tok-1' });
    expect(sq(v, '.list')!.textContent).to.not.include('hello?');
    expect(v.chat.shadowRoot!.activeElement?.id).to.equal('composer');
    // The away notice asks again for the new conversation.
    await waitUntil(() => v.requests.some((r) => r.path === '/v1/visitor/away?conversation=c_new'));
  });

  it('past conversations, while open, follow live: the deleted one leaves the list, a new one joins it', async () => {
    const v = await view({ hours: OPEN });
    const summary = (id: string, text: string) => ({ id, lastSeq: 1, visitorReadSeq: 1, unread: 0, lastMessage: message(1, 'visitor', text), updatedAt: new Date().toISOString(), status: 'open', rating: null });
    let listed = [summary('c_now', 'hello?'), summary('c_old', 'an old question')];
    Object.assign(v.session, { pastConversations: async () => listed });
    sq(v, '.header .past')!.click();
    await waitUntil(() => sq(v, '.history')?.textContent?.includes('an old question'));
    expect(sq(v, '.history')!.textContent).to.include('hello?');
    // c_now is deleted: the session forgets it (no conversation until the socket is ready again).
    listed = [summary('c_old', 'an old question')];
    (v.session as { conversationId: string | null }).conversationId = null;
    v.session.setState({ messages: [] });
    await waitUntil(() => !sq(v, '.history')!.textContent!.includes('hello?'), 'the deleted conversation to leave the list');
    // The socket is ready in a new conversation, which has a message: it joins the list.
    listed = [summary('c_next', 'a fresh start'), summary('c_old', 'an old question')];
    (v.session as { conversationId: string | null }).conversationId = 'c_next';
    v.session.setState({ messages: [message(1, 'visitor', 'a fresh start')] });
    await waitUntil(() => sq(v, '.history')!.textContent!.includes('a fresh start'), 'the new conversation to join the list');
  });

  it('after a resolve, beside the rating; a failure says so', async () => {
    const v = await view({ hours: OPEN, state: { conversationStatus: 'resolved' }, failStart: true });
    const button = sq(v, 'form.rating .start-new')!;
    expect(button.textContent).to.include('Start a new conversation');
    button.click();
    await waitUntil(() => sq(v, 'form.rating [role="alert"]'));
    expect(sq(v, 'form.rating [role="alert"]')!.textContent).to.include('could not be started');
    expect(v.moved).to.deep.equal([]);
  });
});

describe('away and start-new pass axe in both themes', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`(${theme})`, async () => {
      document.documentElement.dataset.theme = theme;
      try {
        const v = await view({ hours: closedUntil(nextMondayNine()), state: { conversationStatus: 'resolved' } });
        await waitUntil(() => v.q('#away-email'));
        (v.q('#away-email') as HTMLInputElement).value = 'nope';
        (v.q('form') as HTMLFormElement).requestSubmit();
        await waitUntil(() => v.q('#away-problem'));
        await expect(v.chat).to.be.accessible();
        (v.q('#away-email') as HTMLInputElement).value = 'ann@example.com';
        (v.q('form') as HTMLFormElement).requestSubmit();
        await waitUntil(() => v.q('.saved'));
        await expect(v.chat).to.be.accessible();
        sq(v, '.header .past')!.click();
        await waitUntil(() => sq(v, '.history-nav .start-new'));
        await expect(v.chat).to.be.accessible();
      } finally {
        delete document.documentElement.dataset.theme;
      }
    });
  }
});
