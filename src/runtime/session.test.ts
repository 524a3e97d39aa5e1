import { expect } from '@open-wc/testing';
import type { SurfaceBoot } from '../shared/bridge-protocol.js';
import { Connection } from './connection.js';
import { PanelSession } from './panel-session.js';
import { ChatActions } from './chat-actions.js';
import { awayState, startConversation } from './visitor-requests.js';
import { FakeWebSocket, fakeFetch, message, sessionAnswer, sleep, until } from '../../test/helpers/browser/runtime-doubles.js';

const boot: SurfaceBoot = {
  appid: 'demo',
  hostOrigin: 'http://localhost:8000',
  locale: 'en',
  theme: 'light',
  visibility: 'minimized',
  sdkVersion: 't',
  scriptTagVersion: 'v1.2',
  app: { name: 'Demo', greeting: 'Hi!' },
};

function panel(
  opts: {
    session?: () => { status: number; body: unknown; headers?: Record<string, string> };
    other?: (url: string, init?: RequestInit) => { status: number; body: unknown } | null;
    sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const events: Array<{ name: string; payload: any }> = [];
  const win = new EventTarget() as unknown as Window;
  const f = fakeFetch({ session: opts.session, other: opts.other });
  const s = new PanelSession({
    boot,
    server: 'http://w.test',
    emit: (name, payload) => events.push({ name, payload }),
    fetch: f.fetch,
    WebSocket: FakeWebSocket,
    random: () => 0,
    win,
    storage: null,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  // What the chat UI does (chat-actions.ts, loaded with it) on this session.
  return { s, a: new ChatActions(s), events, win, calls: f.calls, names: () => events.map((e) => e.name) };
}

async function connected(_p: ReturnType<typeof panel>, lastSeq = 0) {
  await until(() => FakeWebSocket.instances.length > 0 && FakeWebSocket.latest.readyState === 0);
  const ws = FakeWebSocket.latest;
  ws.open();
  ws.receive({ type: 'ready', conversationId: 'c1', lastSeq, visitorReadSeq: 0, unread: 0, agentsOnline: 1 });
  await sleep(0);
  return ws;
}

/** The fake server accepts the connection's socket number `n`: opens it and says `ready`. */
async function accepted(n: number): Promise<FakeWebSocket> {
  await until(() => FakeWebSocket.instances.length === n, `socket ${n}`);
  const ws = FakeWebSocket.latest;
  ws.open();
  ws.receive({ type: 'ready', conversationId: 'c1', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 0 });
  return ws;
}

describe('PanelSession with a fake server', () => {
  beforeEach(() => FakeWebSocket.reset());

  it("takes the app's reply time from the session answer, and builds agents' avatar URLs on the widget server", async () => {
    const p = panel({ session: () => ({ status: 200, body: sessionAnswer({ app: { appid: 'demo', name: 'Demo', greeting: 'Hi!', agentsOnline: 1, replyTime: 'hours' } }) }) });
    expect(p.s.state.replyTime).to.equal('');
    await p.s.start();
    expect(p.s.state.replyTime).to.equal('hours');
    expect(p.s.avatarUrl(42)).to.equal('http://w.test/v1/apps/demo/agents/42/avatar');
    p.s.dispose();
  });

  it('reports the lifecycle in order and sends auth as the first frame', async () => {
    const p = panel();
    await p.s.start();
    const ws = await connected(p);
    expect(ws.url).to.equal('ws://w.test/v1/ws');
    expect(ws.sent[0]).to.include({ type: 'auth', lastSeq: 0 });
    expect(ws.sent[0].token).to.match(/^tok-/);
    expect(p.names()).to.deep.equal([
      'visitor_auth_ready',
      'runtime_activated',
      'unread_count_changed',
      'card_content',
      'connection_state_changed',
      'connection_state_changed',
      'session_connected',
    ]);
    expect(p.events[0].payload).to.deep.equal({ bs: 'bs1', bs_mm: 'mm1', fk_id: 'fk1', fkid: 'fk1', hasToken: true, source: 'initial', visitorUid: 'v1' });
    expect(p.calls[0].init?.body).to.include('"hostOrigin":"http://localhost:8000"');
    p.s.dispose();
  });

  it('boots from the session answer alone: its conversation list names the socket\'s conversation, no other request', async () => {
    const conv = { id: 'c9', lastSeq: 4, visitorReadSeq: 3, unread: 1, lastMessage: null, updatedAt: new Date().toISOString() };
    const p = panel({ session: () => ({ status: 200, body: sessionAnswer({ conversations: [conv] }) }) });
    await p.s.start();
    await until(() => FakeWebSocket.instances.length > 0);
    FakeWebSocket.latest.open();
    await until(() => FakeWebSocket.latest.sent.length > 0);
    expect(FakeWebSocket.latest.sent[0]).to.include({ type: 'auth', conversationId: 'c9' });
    expect(p.calls.map((c) => new URL(c.url).pathname)).to.deep.equal(['/v1/visitor/session']);
    p.s.dispose();
  });

  it('a panel disposed while its session request is out (its document unloading) reports nothing and opens no socket', async () => {
    for (const answer of [{ status: 503, body: { ok: false, reason: 'internal', message: 'cut off' } }, undefined]) {
      FakeWebSocket.reset();
      const p = panel(answer ? { session: () => answer } : {});
      const started = p.s.start();
      p.s.dispose();
      await started;
      expect(p.names(), answer ? 'a failed request' : 'an answered request').to.deep.equal([]);
      expect(FakeWebSocket.instances.length).to.equal(0);
    }
  });

  it('maps a refused session to bootstrap_failed and opens no socket', async () => {
    const p = panel({ session: () => ({ status: 403, body: { ok: false, reason: 'domain_not_whitelisted', message: 'no' } }) });
    await p.s.start();
    expect(p.events).to.deep.equal([{ name: 'bootstrap_failed', payload: { reason: 'domain_not_whitelisted', source: 'visitor_session', mode: 'embedded', message: 'no' } }]);
    expect(FakeWebSocket.instances).to.have.length(0);
  });

  it('waits out rate_limited session refusals (Retry-After, or the backoff when longer), then boots', async () => {
    let refusals = 3;
    const delays: number[] = [];
    const p = panel({
      session: () => (refusals-- > 0 ? { status: 429, body: { ok: false, reason: 'rate_limited', message: 'slow down' }, headers: { 'retry-after': '1' } } : { status: 200, body: sessionAnswer() }),
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await p.s.start();
    // random() = 0: the backoff is half its cap, 500, 1000, 2000 ms; Retry-After is 1000 ms.
    expect(delays).to.deep.equal([1000, 1000, 2000]);
    expect(p.calls.filter((c) => c.url.endsWith('/v1/visitor/session'))).to.have.length(4);
    expect(p.names()).to.not.include('bootstrap_failed');
    expect(p.names()[0]).to.equal('visitor_auth_ready');
    await connected(p);
    expect(p.s.state.status).to.equal('connected');
    p.s.dispose();
  });

  it('keeps unsent messages across a reconnect, resends them once, resumes after lastSeq without doubles', async () => {
    const p = panel();
    await p.s.start();
    let ws = await connected(p);
    ws.receive({ type: 'message', message: message(1, 'agent', 'hello') });
    ws.serverClose(1001);
    await sleep(0);
    expect(p.s.state.status).to.equal('reconnecting');
    expect(p.a.send('typed while offline')).to.equal(true);
    expect(p.s.state.outbox).to.have.length(1);
    await until(() => FakeWebSocket.instances.length === 2);
    ws = FakeWebSocket.latest;
    ws.open();
    expect(ws.sent[0]).to.include({ type: 'auth', lastSeq: 1, conversationId: 'c1' });
    ws.receive({ type: 'ready', conversationId: 'c1', lastSeq: 1, visitorReadSeq: 0, unread: 1, agentsOnline: 1 });
    await sleep(0);
    const sends = ws.sent.filter((f) => f.type === 'send');
    expect(sends).to.have.length(1);
    const clientId = sends[0].clientId;
    // The server re-delivers seq 1 and acks; nothing doubles.
    ws.receive({ type: 'message', message: message(1, 'agent', 'hello') });
    ws.receive({ type: 'ack', clientId, message: message(2, 'visitor', 'typed while offline', { clientId }) });
    ws.receive({ type: 'ack', clientId, message: message(2, 'visitor', 'typed while offline', { clientId }) });
    expect(p.s.state.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(p.s.state.outbox).to.have.length(0);
    expect(p.names().filter((n) => n === 'session_disconnected')).to.have.length(1);
    expect(p.names().filter((n) => n === 'session_connected')).to.have.length(2);
    p.s.dispose();
  });

  it('a message with files (no text) waits in the outbox like any other: resent after a reconnect with its file ids', async () => {
    const p = panel();
    await p.s.start();
    let ws = await connected(p);
    ws.serverClose(1001);
    await sleep(0);
    const file = { id: 'f_1', name: 'photo.png', type: 'image/png' as const, size: 10, width: 4, height: 3, url: '/v1/files/t/f_1' };
    expect(p.a.send('', [file])).to.equal(true);
    expect(p.s.state.outbox[0]!.attachments).to.deep.equal([file]);
    expect(p.a.send('  ')).to.equal(false);
    await until(() => FakeWebSocket.instances.length === 2);
    ws = FakeWebSocket.latest;
    ws.open();
    ws.receive({ type: 'ready', conversationId: 'c1', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 1 });
    await sleep(0);
    const sends = ws.sent.filter((f) => f.type === 'send');
    expect(sends).to.have.length(1);
    expect(sends[0]).to.include({ text: '' });
    expect(sends[0].attachments).to.deep.equal(['f_1']);
    p.s.dispose();
  });

  it('deleted: none of the conversation stays (messages, unread, card); the unsent message goes to the next conversation', async () => {
    const p = panel();
    await p.s.start();
    let ws = await connected(p);
    ws.receive({ type: 'message', message: message(1, 'agent', 'your order', { authorName: 'Ann' }) });
    ws.receive({ type: 'message', message: message(2, 'visitor', 'my card number') });
    expect(p.a.send('being sent')).to.equal(true);
    // Another conversation's deletion changes nothing here.
    ws.receive({ type: 'deleted', conversationId: 'c-other' });
    expect(p.s.state.messages).to.have.length(2);
    expect(p.s.state.unread).to.equal(1);
    ws.receive({ type: 'deleted', conversationId: 'c1' });
    expect(p.s.state.messages).to.deep.equal([]);
    expect(p.s.state.unread).to.equal(0);
    expect(p.s.conversationId).to.equal(null);
    expect(p.events.filter((e) => e.name === 'unread_count_changed').pop()!.payload).to.deep.equal({ count: 0 });
    expect(p.events.filter((e) => e.name === 'card_content').pop()!.payload).to.deep.equal({ card: null });
    expect(p.s.state.outbox.map((e) => e.text)).to.deep.equal(['being sent']);
    // The server closes GOING_AWAY; the panel resumes without naming the deleted conversation.
    ws.serverClose(1001);
    await until(() => FakeWebSocket.instances.length === 2);
    ws = FakeWebSocket.latest;
    ws.open();
    expect(ws.sent[0]).to.include({ type: 'auth', lastSeq: 0 });
    expect(ws.sent[0].conversationId).to.equal(undefined);
    ws.receive({ type: 'ready', conversationId: 'c2', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 1 });
    await sleep(0);
    const sends = ws.sent.filter((f) => f.type === 'send');
    expect(sends.map((f) => f.text)).to.deep.equal(['being sent']);
    ws.receive({ type: 'ack', clientId: sends[0].clientId, message: message(1, 'visitor', 'being sent', { conversationId: 'c2', clientId: sends[0].clientId }) });
    expect(p.s.state.messages.map((m) => [m.conversationId, m.seq])).to.deep.equal([['c2', 1]]);
    expect(p.s.state.outbox).to.have.length(0);
    p.s.dispose();
  });

  it('a ready for another conversation than the one shown (deleted while the panel was away) drops what was shown', async () => {
    const p = panel();
    await p.s.start();
    let ws = await connected(p);
    ws.receive({ type: 'message', message: message(1, 'agent', 'old') });
    ws.serverClose(1006);
    await until(() => FakeWebSocket.instances.length === 2);
    ws = FakeWebSocket.latest;
    ws.open();
    expect(ws.sent[0]).to.include({ conversationId: 'c1', lastSeq: 1 });
    ws.receive({ type: 'ready', conversationId: 'c9', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 1 });
    expect(p.s.state.messages).to.deep.equal([]);
    expect(p.s.state.unread).to.equal(0);
    // Its seq 1 is a new message, not a double of the old seq 1.
    ws.receive({ type: 'message', message: message(1, 'agent', 'new', { conversationId: 'c9' }) });
    expect(p.s.state.messages.map((m) => m.text)).to.deep.equal(['new']);
    p.s.dispose();
  });

  it('unread: counts agent messages, reports card content, markSeen sends read', async () => {
    const p = panel();
    await p.s.start();
    const ws = await connected(p);
    ws.receive({ type: 'message', message: message(1, 'agent', 'first', { authorName: 'Ann' }) });
    ws.receive({ type: 'message', message: message(2, 'agent', 'second') });
    expect(p.s.state.unread).to.equal(2);
    expect(p.events.filter((e) => e.name === 'unread_count_changed').map((e) => e.payload.count)).to.deep.equal([0, 1, 2]);
    expect(p.events.filter((e) => e.name === 'card_content').pop()!.payload).to.deep.equal({ card: { kind: 'message', text: 'second' } });
    p.s.markSeen(2);
    expect(ws.sent.filter((f) => f.type === 'read')).to.deep.equal([{ type: 'read', seq: 2 }]);
    expect(p.s.state.unread).to.equal(0);
    expect(p.events.filter((e) => e.name === 'card_content').pop()!.payload).to.deep.equal({ card: null });
    p.s.dispose();
  });

  it('card: an agent message of files only shows their names on the card, not an empty card', async () => {
    const p = panel();
    await p.s.start();
    const ws = await connected(p);
    const file = { id: 'f_9', name: 'invoice.pdf', type: 'application/pdf', size: 1200, url: 'https://w.example/v1/files/t/f_9' } as const;
    ws.receive({ type: 'message', message: { ...message(1, 'agent', '', { authorName: 'Ann' }), attachments: [file] } });
    expect(p.events.filter((e) => e.name === 'card_content').pop()!.payload).to.deep.equal({ card: { kind: 'message', text: '📎 invoice.pdf', author: 'Ann' } });
    p.s.dispose();
  });

  it('4001 gets a fresh token and reconnects once; a second 4001 ends in auth_closed', async () => {
    const p = panel();
    await p.s.start();
    let ws = await connected(p);
    const firstToken = ws.sent[0].token;
    ws.serverClose(4001);
    await until(() => FakeWebSocket.instances.length === 2);
    expect(p.calls.filter((c) => c.url.endsWith('/v1/visitor/session'))).to.have.length(2);
    // The refresh presents the visitor's clue from the first session.
    expect(JSON.parse(String(p.calls.filter((c) => c.url.endsWith('/v1/visitor/session'))[1].init!.body)).clue).to.deep.equal({ bs: 'bs1', bs_mm: 'mm1', fk_id: 'fk1' });
    ws = FakeWebSocket.latest;
    ws.open();
    expect(ws.sent[0].token).to.not.equal(firstToken);
    ws.serverClose(4001);
    await until(() => p.names().includes('auth_closed'));
    expect(p.events.find((e) => e.name === 'auth_closed')!.payload).to.include({ closeCode: 4001, reason: 'token_expired', source: 'ws', terminal: 'visitor' });
    await sleep(50);
    expect(FakeWebSocket.instances).to.have.length(2);
  });

  it('4003/4004/4005 end the session without reconnecting', async () => {
    for (const [code, reason] of [[4003, 'token_revoked'], [4004, 'app_disabled'], [4005, 'visitor_banned']] as const) {
      FakeWebSocket.reset();
      const p = panel();
      await p.s.start();
      const ws = await connected(p);
      ws.serverClose(code);
      await sleep(30);
      expect(p.events.find((e) => e.name === 'auth_closed')!.payload).to.deep.equal({
        message: reason,
        reason,
        source: 'ws',
        clearToken: true,
        closeAuthType: reason,
        closeCode: code,
        terminal: 'visitor',
      });
      expect(p.s.state.phase).to.equal('auth_closed');
      expect(FakeWebSocket.instances).to.have.length(1);
      expect(p.events.filter((e) => e.name === 'connection_state_changed').pop()!.payload.status).to.equal('disconnected');
    }
  });

  it('a refused message is marked failed and can be retried', async () => {
    const p = panel();
    await p.s.start();
    const ws = await connected(p);
    p.a.send('x');
    const clientId = ws.sent.find((f) => f.type === 'send').clientId;
    ws.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: clientId });
    expect(p.s.state.outbox[0].state).to.equal('failed');
    p.a.retry(clientId);
    expect(ws.sent.filter((f) => f.type === 'send')).to.have.length(2);
    p.s.dispose();
  });
});

describe('Connection: backoff, online, pagehide', () => {
  beforeEach(() => FakeWebSocket.reset());

  function conn(random = () => 1, options: Partial<ConstructorParameters<typeof Connection>[0]> = {}) {
    const statuses: string[] = [];
    const win = new EventTarget() as unknown as Window;
    const c = new Connection({
      url: 'ws://w.test/v1/ws',
      authFrame: () => ({ type: 'auth', token: 't', lastSeq: 0 }),
      refreshToken: async () => undefined,
      onFrame: () => undefined,
      onStatus: (s) => statuses.push(s),
      onAuthClosed: () => undefined,
      WebSocket: FakeWebSocket,
      random,
      win,
      backoff: { min: 400, max: 1000, factor: 2 },
      ...options,
    });
    return { c, statuses, win };
  }

  /** Backoff waits the connection asked for, fired only when the test says so. */
  function scheduler() {
    const waits: Array<{ ms: number; run: () => void; cancelled: boolean }> = [];
    const schedule = (run: () => void, ms: number) => {
      const w = { ms, run, cancelled: false };
      waits.push(w);
      return () => void (w.cancelled = true);
    };
    return { waits, schedule, fire: (i: number) => waits[i]!.run() };
  }

  it('waits a jittered, growing delay between failed attempts', async () => {
    const randoms = [1, 0];
    const { waits, schedule, fire } = scheduler();
    const { c } = conn(() => randoms.shift() ?? 1, { schedule });
    c.start();
    await until(() => FakeWebSocket.instances.length === 1);
    FakeWebSocket.latest.serverClose(1006);
    await until(() => waits.length === 1);
    // Equal jitter over min 400: half fixed, half random (random() = 1 here).
    expect(waits.map((w) => w.ms)).to.deep.equal([400]);
    expect(FakeWebSocket.instances.length, 'no attempt before the wait ends').to.equal(1);
    fire(0);
    await until(() => FakeWebSocket.instances.length === 2);
    FakeWebSocket.latest.serverClose(1006);
    await until(() => waits.length === 2);
    // The cap doubled (800); random() = 0 keeps only its fixed half.
    expect(waits.map((w) => w.ms)).to.deep.equal([400, 400]);
    expect(FakeWebSocket.instances.length).to.equal(2);
    fire(1);
    await until(() => FakeWebSocket.instances.length === 3);
    FakeWebSocket.latest.serverClose(1006);
    await until(() => waits.length === 3);
    expect(waits[2]!.ms, 'capped at max 1000, at least half of it').to.be.within(500, 1000);
    c.stop();
  });

  it('reconnects at once when the browser comes back online', async () => {
    const { waits, schedule } = scheduler();
    const { c, win } = conn(() => 1, { schedule });
    c.start();
    await until(() => FakeWebSocket.instances.length === 1);
    FakeWebSocket.latest.serverClose(1006);
    await until(() => waits.length === 1);
    win.dispatchEvent(new Event('online'));
    await until(() => FakeWebSocket.instances.length === 2);
    // "At once": the backoff wait never ran; `online` cut it short.
    expect(waits[0]!.cancelled).to.equal(true);
    c.stop();
  });

  it('offline drops an open socket at once and reports disconnected; online reconnects at once', async () => {
    const { waits, schedule } = scheduler();
    const { c, win, statuses } = conn(() => 1, { schedule });
    c.start();
    const ws = await accepted(1);
    win.dispatchEvent(new Event('offline'));
    expect(ws.readyState).to.equal(3);
    expect(c.status).to.equal('disconnected');
    expect(c.send({ type: 'send', clientId: 'a', text: 'kept in the outbox' })).to.equal(false);
    // The retry fails while offline: still disconnected, then a backoff wait.
    await until(() => FakeWebSocket.instances.length === 2);
    FakeWebSocket.latest.serverClose(1006);
    expect(c.status).to.equal('disconnected');
    await until(() => waits.length === 1);
    win.dispatchEvent(new Event('online'));
    await until(() => FakeWebSocket.instances.length === 3);
    expect(waits.every((w) => w.cancelled), 'online did not wait for the backoff').to.equal(true);
    FakeWebSocket.latest.open();
    FakeWebSocket.latest.receive({ type: 'ready', conversationId: 'c1', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 0 });
    expect(statuses).to.deep.equal(['connecting', 'connected', 'disconnected', 'reconnecting', 'connected']);
    c.stop();
  });

  /** A connected socket with a controllable clock; the visitor's tab visibility through `doc`. */
  async function liveConn(opts: { answer: boolean }) {
    let clock = 1_000_000;
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' }) as unknown as Document & { visibilityState: string };
    const { c, statuses } = conn(Math.random, { doc, now: () => clock, pingIntervalMs: 40, visibleCheckMs: 60, backoff: { min: 10, max: 20, factor: 2 } });
    c.start();
    const ws = await accepted(1);
    // The server answers every ping at once (or never, for a dead link).
    const send = ws.send.bind(ws);
    ws.send = (data: string) => {
      send(data);
      if (opts.answer && JSON.parse(data).type === 'ping') queueMicrotask(() => ws.receive({ type: 'pong' }));
    };
    return { c, ws, doc, statuses, advance: (ms: number) => (clock += ms) };
  }
  const pings = (ws: FakeWebSocket) => ws.sent.filter((f) => f.type === 'ping').length;

  it('a hidden tab (timers throttled to minutes) keeps a live socket: no false timeout', async () => {
    const { c, ws, statuses, advance } = await liveConn({ answer: true });
    for (let i = 0; i < 6; i++) {
      // Every tick comes five minutes after the previous one, as in a long-hidden tab.
      advance(5 * 60_000);
      const before = pings(ws);
      await until(() => pings(ws) > before, 'the next ping', { timeout: 500 });
    }
    expect(c.status).to.equal('connected');
    expect(FakeWebSocket.instances).to.have.length(1);
    expect(statuses).to.deep.equal(['connecting', 'connected']);
    c.stop();
  });

  it('a ping left unanswered means a dead socket: it reconnects', async () => {
    const { c, ws, advance } = await liveConn({ answer: false });
    await until(() => pings(ws) === 1, 'the first ping', { timeout: 500 });
    advance(30_000);
    await until(() => FakeWebSocket.instances.length === 2, 'a second socket', { timeout: 1000 });
    expect(c.status).to.equal('reconnecting');
    expect(pings(ws), 'no second ping into a dead socket').to.equal(1);
    c.stop();
  });

  it('back to visible: a ping checks the socket at once; unanswered, it reconnects (resume from lastSeq)', async () => {
    const live = await liveConn({ answer: true });
    live.doc.visibilityState = 'visible';
    live.doc.dispatchEvent(new Event('visibilitychange'));
    expect(pings(live.ws), 'a ping right away').to.equal(1);
    live.advance(120);
    await sleep(120);
    expect(live.c.status).to.equal('connected');
    live.c.stop();

    FakeWebSocket.reset();
    const dead = await liveConn({ answer: false });
    dead.doc.visibilityState = 'hidden';
    dead.doc.dispatchEvent(new Event('visibilitychange'));
    expect(pings(dead.ws), 'nothing on hide').to.equal(0);
    dead.doc.visibilityState = 'visible';
    dead.doc.dispatchEvent(new Event('visibilitychange'));
    expect(pings(dead.ws)).to.equal(1);
    dead.advance(100);
    await until(() => FakeWebSocket.instances.length === 2, 'a second socket', { timeout: 500 });
    dead.c.stop();
  });

  it('closes on pagehide (bfcache) and reopens on pageshow, one socket at a time', async () => {
    const { c, win, statuses } = conn();
    c.start();
    const ws = await accepted(1);
    win.dispatchEvent(new Event('pagehide'));
    expect(ws.readyState).to.equal(3);
    expect(c.status).to.equal('disconnected');
    await sleep(50);
    expect(FakeWebSocket.instances).to.have.length(1);
    win.dispatchEvent(new Event('pageshow'));
    await until(() => FakeWebSocket.instances.length === 2);
    expect(statuses).to.deep.equal(['connecting', 'connected', 'disconnected', 'connecting']);
    c.stop();
  });
});

describe('PanelSession: resolve, rating and history', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('takes the status from ready and status frames; rates with the token; lists and reads past conversations', async () => {
    const rating = { value: 'good' as const, comment: 'thanks!', ratedAt: '2026-01-01T00:00:00.000Z' };
    const p = panel({
      other: (url, init) =>
        url.endsWith('/v1/visitor/conversations/c1/rating')
          ? { status: 200, body: { ok: true, rating } }
          : url.endsWith('/v1/visitor/conversations')
            ? { status: 200, body: { ok: true, conversations: [{ id: 'c0', lastSeq: 1, visitorReadSeq: 1, unread: 0, lastMessage: message(1, 'agent'), updatedAt: rating.ratedAt, status: 'resolved', rating: null }] } }
            : url.includes('/v1/visitor/messages?') && url.includes('conversation=c0') && (init?.headers as Record<string, string>)?.authorization?.startsWith('Bearer ')
              ? { status: 200, body: { ok: true, messages: [message(1, 'agent', 'old answer')] } }
              : null,
    });
    await p.s.start();
    await until(() => FakeWebSocket.instances.length > 0);
    const ws = FakeWebSocket.latest;
    ws.open();
    ws.receive({ type: 'ready', conversationId: 'c1', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 1, status: 'resolved', rating: null });
    await until(() => p.s.state.conversationStatus === 'resolved');
    expect(p.s.conversationId).to.equal('c1');
    await p.a.rate('good', 'thanks!');
    expect(p.s.state.rating).to.deep.equal(rating);
    const call = p.calls.find((c) => c.url.endsWith('/rating'))!;
    expect(call.init?.method).to.equal('POST');
    expect((call.init?.headers as Record<string, string>).authorization).to.match(/^Bearer tok-/);
    expect(JSON.parse(String(call.init?.body))).to.deep.equal({ rating: 'good', comment: 'thanks!' });
    // Another conversation's status frame is not this one's; this one's reopen clears the offer.
    ws.receive({ type: 'status', conversationId: 'c9', status: 'open', rating: null });
    await sleep(0);
    expect(p.s.state.conversationStatus).to.equal('resolved');
    ws.receive({ type: 'status', conversationId: 'c1', status: 'open', rating });
    await until(() => p.s.state.conversationStatus === 'open');
    // History.
    expect((await p.a.pastConversations()).map((c) => c.id)).to.deep.equal(['c0']);
    expect((await p.a.readConversation('c0')).map((m) => m.text)).to.deep.equal(['old answer']);
    p.s.dispose();
  });

  it('a new conversation (visitor-requests.ts): asked with the token, the chat empties and a new socket resumes on it; away state too', async () => {
    const p = panel({
      other: (url, init) =>
        url.endsWith('/v1/visitor/conversations') && init?.method === 'POST'
          ? { status: 200, body: { ok: true, conversation: { id: 'c2', lastSeq: 0, visitorReadSeq: 0, unread: 0, lastMessage: null, updatedAt: '2026-01-01T00:00:00.000Z', status: 'open', rating: null } } }
          : url.includes('/v1/visitor/away?conversation=c1')
            ? { status: 200, body: { ok: true, hours: { open: false, nextOpening: '2026-01-05T08:00:00.000Z', changesAt: '2026-01-05T08:00:00.000Z' }, followUpEmail: 'ann@example.com' } }
            : null,
    });
    await p.s.start();
    await until(() => FakeWebSocket.instances.length > 0);
    const first = FakeWebSocket.latest;
    first.open();
    first.receive({ type: 'ready', conversationId: 'c1', lastSeq: 1, visitorReadSeq: 1, unread: 0, agentsOnline: 0, status: 'resolved', rating: null });
    first.receive({ type: 'message', message: message(1, 'agent', 'old one', { conversationId: 'c1' }) });
    await until(() => p.s.state.messages.length === 1);
    const away = await awayState(p.s);
    expect(away.hours.open).to.equal(false);
    expect(away.followUpEmail).to.equal('ann@example.com');
    await startConversation(p.s);
    const call = p.calls.find((c) => c.init?.method === 'POST' && c.url.endsWith('/v1/visitor/conversations'))!;
    expect((call.init?.headers as Record<string, string>).authorization).to.match(/^Bearer tok-/);
    expect(p.s.conversationId).to.equal('c2');
    expect(p.s.state.messages).to.deep.equal([]);
    expect(p.s.state.conversationStatus).to.equal('open');
    expect(first.readyState, 'the old socket is closed').to.equal(3);
    await until(() => FakeWebSocket.latest !== first);
    const second = FakeWebSocket.latest;
    second.open();
    await until(() => second.sent.length > 0);
    expect(second.sent[0]).to.include({ type: 'auth', conversationId: 'c2', lastSeq: 0 });
    p.s.dispose();
  });
});
