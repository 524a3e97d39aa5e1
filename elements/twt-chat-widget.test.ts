import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../src/host/define.js';
import { TwtChatWidget } from './twt-chat-widget.js';
import { domEventName } from '../src/shared/bridge-protocol.js';
import { readIdentity } from '../src/host/identity-storage.js';
import { W, frame, control, report, next, sleep, until, bootWidget, widgetElement, cleanPage, waitConnected } from '../test/helpers/browser/host-double.js';

describe('<twt-chat-widget>', () => {
  afterEach(() => {
    cleanPage();
    localStorage.clear();
  });

  it('boots from attributes alone: bootstrap, three light-DOM surfaces, the lifecycle in order', async () => {
    const el = widgetElement();
    const seen: string[] = [];
    for (const n of ['initialized', 'iframe_loaded', 'bridge_ready', 'runtime_mounted', 'visitor_auth_ready', 'runtime_activated', 'session_connected'])
      el.addEventListener(domEventName(n), () => seen.push(n));
    const activated = next(el, 'runtime_activated');
    document.body.append(el);
    await activated;
    expect(seen.slice(0, 1)).to.deep.equal(['initialized']);
    expect(seen).to.include.members(['iframe_loaded', 'bridge_ready', 'runtime_mounted', 'visitor_auth_ready', 'runtime_activated']);
    expect(seen.indexOf('bridge_ready')).to.be.lessThan(seen.indexOf('runtime_mounted'));
    // The spec's order: the panel's iframe_loaded comes before bridge_ready, however the hello and load race.
    expect(seen.indexOf('iframe_loaded')).to.be.lessThan(seen.indexOf('bridge_ready'));
    expect(frame('card'), 'no card iframe until there is a card to show').to.equal(null);
    for (const s of ['launcher', 'panel'] as const) {
      const f = frame(s)!;
      expect(f, s).to.exist;
      expect(f.title).to.not.equal('');
      expect(f.src.startsWith(`${W}/widget/${s}.html?appid=demo#`)).to.be.true;
    }
    expect(document.querySelector('iframe[data-twt-widget-surface="launcher"]')!.closest('twt-launcher')).to.exist;
    expect(el.initialized).to.be.true;
    expect(el.visibility).to.equal('minimized');
  });

  it('hands the panel its boot data over the bridge, not in the URL', async () => {
    // Values long enough that the URL's random nonce cannot contain them by chance (it once held "s1").
    await bootWidget({ language: 'zh-Hans', theme: 'dark', sbs: 'business-user-4711', 'sbs-mm': 'signature-of-4711', ranstr: 'nonce-of-4711', name: 'Ann Visitorname' });
    const r = await report('panel');
    expect(r.boot).to.include({ appid: 'demo', hostOrigin: location.origin, locale: 'zh-cn', theme: 'dark', visibility: 'minimized', sdkVersion: '1.2.0' });
    expect(r.boot!.login).to.deep.equal({ sbs: 'business-user-4711', sbs_mm: 'signature-of-4711', ranstr: 'nonce-of-4711' });
    expect(r.boot!.profile).to.include({ name: 'Ann Visitorname', referer: location.href, source_title: document.title });
    expect(r.boot!.app).to.deep.equal({ name: 'Double App', greeting: 'Hello from the double' });
    expect(frame('panel')!.src).to.not.contain('business-user').and.not.contain('signature-of').and.not.contain('Visitorname');
    // the surface got the current view right after connecting
    expect(r.commands.some((c) => c.name === 'set_view' && c.payload.visibility === 'minimized')).to.be.true;
  });

  it('the icon attribute reaches the launcher (only) in its boot data', async () => {
    await bootWidget({ icon: 'https://shop.example/launcher.png' });
    await until(async () => (await report('launcher')).boot, 'the launcher to connect');
    expect((await report('launcher')).boot!.icon).to.equal('https://shop.example/launcher.png');
    expect((await report('panel')).boot!.icon).to.equal(undefined);
    expect(frame('launcher')!.src).to.not.contain('launcher.png');
  });

  it("with the site's own icon, the launcher is shown once it reports the icon drawn (its page's first paint is the default button)", async () => {
    await bootWidget({ icon: 'https://shop.example/launcher.png' });
    await waitConnected('launcher');
    expect(getComputedStyle(frame('launcher')!).visibility, 'connected, not drawn yet').to.equal('hidden');
    control('launcher', { double: 'emit', name: 'launcher_drawn' });
    await until(() => getComputedStyle(frame('launcher')!).visibility === 'visible', 'the launcher shown');
    expect(frame('launcher')!.getAttribute('aria-hidden')).to.equal('false');
  });

  it('without an icon the launcher is shown at once; in the dark theme its page is the dark one', async () => {
    await bootWidget({ theme: 'dark' });
    expect(getComputedStyle(frame('launcher')!).visibility).to.equal('visible');
    expect(new URL(frame('launcher')!.src).pathname).to.equal('/widget/launcher-dark.html');
    expect(new URL(frame('panel')!.src).pathname).to.equal('/widget/panel.html');
  });

  it('visibility: maximize, minimize, toggle, hide keeps iframes, show returns to minimized; events and set_view follow', async () => {
    const el = await bootWidget();
    const events: string[] = [];
    el.addEventListener('twt-visibility-changed', (e) => events.push((e as CustomEvent).detail.visibility));
    await el.maximize();
    expect(el.visibility).to.equal('maximized');
    expect(getComputedStyle(frame('panel')!).visibility).to.equal('visible');
    await el.toggle();
    expect(el.visibility).to.equal('minimized');
    expect(getComputedStyle(frame('panel')!).visibility).to.equal('hidden');
    await el.toggle();
    await el.hide();
    expect(getComputedStyle(frame('launcher')!).visibility).to.equal('hidden');
    expect(frame('panel') && frame('launcher')).to.exist;
    await el.show();
    expect(el.visibility).to.equal('minimized');
    expect(events).to.deep.equal(['maximized', 'minimized', 'maximized', 'hidden', 'minimized']);
    await until(async () => (await report('launcher')).commands.filter((c) => c.name === 'set_view').length >= 6, 'set_view on the launcher');
    const launcher = await report('launcher');
    expect(launcher.commands.filter((c) => c.name === 'set_view').map((c) => c.payload.visibility)).to.include.members(['maximized', 'hidden']);
  });

  it('surfaces request visibility changes: launcher click toggles, panel close minimizes, card opens', async () => {
    const el = await bootWidget();
    control('launcher', { double: 'emit', name: 'request_toggle' });
    expect((await next(el, 'visibility_changed')).visibility).to.equal('maximized');
    control('panel', { double: 'emit', name: 'request_minimize' });
    expect((await next(el, 'visibility_changed')).visibility).to.equal('minimized');
    control('panel', { double: 'emit', name: 'card_content', payload: { card: { kind: 'message', text: 'Hi!' } } });
    await waitConnected('card');
    control('card', { double: 'emit', name: 'request_maximize' });
    expect((await next(el, 'visibility_changed')).visibility).to.equal('maximized');
    // a surface may only send its own requests: the launcher cannot send lifecycle events
    let forged = false;
    el.addEventListener('twt-unread-count-changed', () => (forged = true));
    control('launcher', { double: 'emit', name: 'unread_count_changed', payload: { count: 9 } });
    // Ordering sentinel: a request the launcher may send, after the forged event on the same port.
    control('launcher', { double: 'emit', name: 'request_toggle' });
    expect((await next(el, 'visibility_changed')).visibility).to.equal('minimized');
    expect(forged).to.be.false;
  });

  it('unread count and the marketing card', async () => {
    const el = await bootWidget();
    control('panel', { double: 'emit', name: 'unread_count_changed', payload: { count: 3 } });
    expect(await next(el, 'unread_count_changed')).to.deep.equal({ count: 3 });
    expect(el.unreadCount).to.equal(3);
    control('panel', { double: 'emit', name: 'card_content', payload: { card: null } });
    // Ordering sentinel: the next event on the same port has been handled, so the empty card was too.
    control('panel', { double: 'emit', name: 'unread_count_changed', payload: { count: 3 } });
    expect(await next(el, 'unread_count_changed')).to.deep.equal({ count: 3 });
    expect(frame('card'), 'no card iframe without a card').to.equal(null);
    control('panel', { double: 'emit', name: 'card_content', payload: { card: { kind: 'message', text: 'Hi!', author: 'Bo' } } });
    await until(() => !!frame('card'), 'the card iframe, created for its first card');
    await waitConnected('card');
    await until(() => getComputedStyle(frame('card')!).visibility === 'visible', 'the card to show');
    await until(async () => (await report('card')).commands.at(-1)?.payload.card, 'set_view with the card');
    const card = await report('card');
    expect(card.commands.at(-1)).to.deep.equal({ name: 'set_view', payload: { visibility: 'minimized', unreadCount: 3, card: { kind: 'message', text: 'Hi!', author: 'Bo' } } });
    control('card', { double: 'emit', name: 'request_dismiss_card' });
    await until(() => getComputedStyle(frame('card')!).visibility === 'hidden', 'the card to hide');
    // A new card reuses the same iframe.
    const cardFrame = frame('card');
    control('panel', { double: 'emit', name: 'card_content', payload: { card: { kind: 'message', text: 'Again' } } });
    await until(() => getComputedStyle(frame('card')!).visibility === 'visible', 'the card to show again');
    expect(frame('card')).to.equal(cardFrame);
    expect(document.querySelectorAll('iframe[data-twt-widget-surface="card"]').length).to.equal(1);
  });

  it('commands: set_language normalises, set_theme, login; refusals reject with a reason', async () => {
    const el = await bootWidget();
    await el.setLanguage('EN_us');
    await el.setTheme('system');
    expect(el.themeSetting).to.equal('system');
    await el.login({ sbs: 'a', sbs_mm: 'b', ranstr: 'c', name: 'N' });
    const panel = await report('panel');
    const names = panel.commands.filter((c) => c.name !== 'set_view');
    expect(names).to.deep.equal([
      { name: 'set_language', payload: { locale: 'en' } },
      { name: 'set_theme', payload: { theme: 'system' } },
      { name: 'login', payload: { sbs: 'a', sbs_mm: 'b', ranstr: 'c', name: 'N' } },
    ]);
    const launcher = await report('launcher');
    expect(launcher.commands.some((c) => c.name === 'set_language' && c.payload.locale === 'en')).to.be.true;
    const reasons = await Promise.all([el.setLanguage('xx'), el.setTheme('neon'), el.login({ sbs: 'a' })].map((p) => p.then(() => 'ok', (e) => e.reason)));
    expect(reasons).to.deep.equal(['unsupported_locale', 'invalid_payload', 'login_failed']);
    control('panel', { double: 'refuse', command: 'login', reason: 'login_failed' });
    await report('panel'); // the double handled the control message (window messages are ordered)
    const err: any = await el.login({ sbs: 'a', sbs_mm: 'b', ranstr: 'c' }).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect(err.reason).to.equal('login_failed');
  });

  it('queues calls made while booting and delivers them in order', async () => {
    const el = widgetElement();
    document.body.append(el);
    const done = Promise.all([el.setLanguage('de'), el.maximize(), el.setTheme('dark')]);
    expect(el.initialized).to.be.false;
    await done;
    expect(el.visibility).to.equal('maximized');
    const panel = await report('panel');
    expect(panel.commands.filter((c) => c.name !== 'set_view').map((c) => c.name)).to.deep.equal(['set_language', 'set_theme']);
  });

  it('calls queued while booting run right after the initialized listeners (a call made in one goes first), in call order', async () => {
    const el = widgetElement();
    const seen: string[] = [];
    el.addEventListener('twt-visibility-changed', (e) => seen.push((e as CustomEvent).detail.visibility));
    el.addEventListener('twt-initialized', () => void el.hide(), { once: true });
    const initialized = next(el, 'initialized');
    document.body.append(el);
    const calls = [el.maximize(), el.minimize(), el.toggle()];
    await initialized;
    // Already run: an await on `initialized` sees their effects.
    expect(seen).to.deep.equal(['hidden', 'maximized', 'minimized', 'maximized']);
    await Promise.all(calls);
    expect(el.visibility).to.equal('maximized');
  });

  it('calls waiting for the widget or for the panel reject with the teardown error; later calls wait for the next boot', async () => {
    const el = widgetElement();
    document.body.append(el);
    el.init(); // booting now (connecting boots it a microtask later)
    const booting = [el.maximize(), el.setTheme('dark'), el.login({ sbs: 'a', sbs_mm: 'b', ranstr: 'c' })];
    el.destroy();
    const errors = await Promise.all(booting.map((p) => p.then(() => null, (e) => e)));
    expect(errors.map((e) => e?.reason)).to.deep.equal(['destroyed', 'destroyed', 'destroyed']);
    expect(errors[1]).to.equal(errors[0]); // the one teardown error
    // Destroyed, not failed: a call waits for the next init().
    const next1 = el.maximize();
    el.init();
    await next1;
    expect(el.visibility).to.equal('maximized');
    // Ready, the panel not connected yet: the command waits for it, and fails on teardown like the rest.
    el.destroy();
    const ready = next(el, 'initialized');
    el.init();
    await ready;
    const waiting = el.setLanguage('de').then(() => null, (e) => e);
    el.destroy();
    expect((await waiting)?.reason).to.equal('destroyed');
  });

  it('a call queued while booting rejects with the bootstrap failure; calls after it with bootstrap_failed', async () => {
    const el = widgetElement('refused-app');
    const failed = next(el, 'bootstrap_failed');
    document.body.append(el);
    const queued = el.maximize().then(() => null, (e) => e);
    await failed;
    expect((await queued)?.reason).to.equal('domain_not_whitelisted');
    expect((await el.maximize().then(() => null, (e) => e))?.reason).to.equal('bootstrap_failed');
  });

  it('visitor_auth_ready writes the clue first-party; the next boot hands it back over the bridge', async () => {
    const el = await bootWidget();
    expect(JSON.parse(localStorage.getItem('twt:identity:demo')!)).to.deep.equal({ bs: 'bs-new', bs_mm: 'bsmm-new', fk_id: 'fk-new' });
    el.destroy();
    el.init();
    await next(el, 'bridge_ready');
    const r = await report('panel');
    expect(r.boot!.clue).to.deep.equal({ bs: 'bs-new', bs_mm: 'bsmm-new', fk_id: 'fk-new' });
  });

  it('logout(): forgets the login and the clue, and boots a new anonymous panel (no destroyed; the lifecycle again)', async () => {
    const el = await bootWidget({ sbs: 'user-a', 'sbs-mm': 'sig-a', ranstr: 'nonce-a' });
    await el.maximize();
    expect(readIdentity('demo', 'local')).to.deep.equal({ bs: 'bs-new', bs_mm: 'bsmm-new', fk_id: 'fk-new' });
    const oldPanel = frame('panel')!;
    const seen: string[] = [];
    for (const n of ['destroyed', 'initialized', 'bridge_ready']) el.addEventListener(domEventName(n), () => seen.push(n));
    const done = el.logout();
    // Synchronously: the old panel (and the messages it showed) is gone, the clue reads as none.
    expect(oldPanel.isConnected).to.be.false;
    expect(readIdentity('demo', 'local')).to.equal(undefined);
    await done;
    const r = await waitConnected('panel');
    expect(r.boot!.login, 'the attributes still hold the triple: it stays dropped').to.equal(undefined);
    expect(r.boot!.clue).to.equal(undefined);
    expect(el.visibility).to.equal('minimized');
    await until(() => seen.includes('bridge_ready'), 'bridge_ready again');
    expect(seen).to.deep.equal(['initialized', 'bridge_ready']);
    // A live change keeps it dropped; a new login() logs in.
    el.setAttribute('theme', 'dark');
    await el.setTheme('dark');
    await el.login({ sbs: 'user-b', sbs_mm: 'sig-b', ranstr: 'nonce-b' });
    const after = await report('panel');
    expect(after.commands.filter((c) => c.name === 'login').map((c) => c.payload.sbs)).to.deep.equal(['user-b']);
  });

  it('storage "none" stores nothing', async () => {
    await bootWidget({ storage: 'none' });
    expect(localStorage.getItem('twt:identity:demo')).to.equal(null);
    expect(document.cookie).to.not.contain('twt_identity_demo');
  });

  it('auth_closed hides the widget and forwards the payload', async () => {
    const el = await bootWidget();
    const payload = { message: 'revoked', reason: 'token_revoked', source: 'ws', clearToken: true, closeAuthType: 'token_revoked', closeCode: 4003, terminal: 'visitor' };
    control('panel', { double: 'emit', name: 'auth_closed', payload });
    expect(await next(el, 'auth_closed')).to.deep.equal(payload);
    expect(el.visibility).to.equal('hidden');
    expect(frame('panel')).to.exist; // hidden, not removed
    await el.show(); // the host page may bring it back (e.g. after a fresh login)
    expect(el.visibility).to.equal('minimized');
  });

  it('bootstrap_failed from the runtime hides and cleans up, leaving no iframe', async () => {
    const el = await bootWidget();
    control('panel', { double: 'emit', name: 'bootstrap_failed', payload: { reason: 'login_failed', source: 'visitor_session', mode: 'embedded' } });
    expect(await next(el, 'bootstrap_failed')).to.deep.equal({ reason: 'login_failed', source: 'visitor_session', mode: 'embedded' });
    expect(el.visibility).to.equal('hidden');
    expect(document.querySelectorAll('iframe').length).to.equal(0);
    expect((await el.maximize().catch((e) => e)).reason).to.equal('bootstrap_failed');
  });

  it('bootstrap refusal, broken answer, timeout and bad appid: bootstrap_failed, nothing rendered', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['refused-app', {}, 'domain_not_whitelisted'],
      ['broken-app', {}, 'invalid_bootstrap'],
      ['Bad AppId!', {}, 'invalid_bootstrap'],
    ];
    for (const [appid, , reason] of cases) {
      const el = widgetElement(appid);
      const failed = next(el, 'bootstrap_failed');
      document.body.append(el);
      const p = await failed;
      expect(p.reason, appid).to.equal(reason);
      expect(p.mode).to.equal('embedded');
      expect(document.querySelectorAll('iframe').length).to.equal(0);
      el.remove();
    }
    const saved = TwtChatWidget.bootstrapTimeoutMs;
    TwtChatWidget.bootstrapTimeoutMs = 300;
    try {
      const el = widgetElement('slow-app');
      const failed = next(el, 'bootstrap_failed');
      document.body.append(el);
      expect((await failed).reason).to.equal('timeout');
    } finally {
      TwtChatWidget.bootstrapTimeoutMs = saved;
    }
  });

  it('launcher "custom" creates no launcher iframe', async () => {
    await bootWidget({ launcher: 'custom' });
    expect(frame('launcher')).to.equal(null);
    expect(document.querySelector('twt-launcher')).to.equal(null);
    expect(frame('panel')).to.exist;
  });

  it('uses a <twt-launcher> placed by the page author, inline', async () => {
    const placed = document.createElement('twt-launcher');
    const box = document.createElement('div');
    box.append(placed);
    document.body.append(box);
    await bootWidget();
    expect(frame('launcher')!.parentElement).to.equal(placed);
    expect(getComputedStyle(frame('launcher')!).position).to.equal('relative');
    box.remove();
  });

  it('hostile host CSS does not move or resize the surfaces', async () => {
    const style = document.createElement('style');
    style.textContent = 'iframe { width: 100% !important; height: 5px !important; border: 5px solid red !important; position: static !important; display: none !important } * { opacity: .1 !important }';
    document.head.append(style);
    try {
      await bootWidget({ 'z-index': '77' });
      const cs = getComputedStyle(frame('launcher')!);
      expect([cs.width, cs.height, cs.borderTopWidth, cs.position, cs.display, cs.zIndex, cs.opacity]).to.deep.equal(['64px', '64px', '0px', 'fixed', 'block', '77', '1']);
      const r = frame('launcher')!.getBoundingClientRect();
      expect(Math.round(innerWidth - r.right)).to.equal(20);
    } finally {
      style.remove();
    }
  });

  it('focus moves into the panel on maximize and back on minimize', async () => {
    const el = await bootWidget();
    const button = document.createElement('button');
    button.textContent = 'Contact us';
    document.body.append(button);
    button.focus();
    await el.maximize();
    expect(document.activeElement).to.equal(frame('panel'));
    await el.minimize();
    expect(document.activeElement).to.equal(button);
    button.remove();
  });

  it('exactly one widget per page: a second element stays inert with a warning', async () => {
    await bootWidget();
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(String(m));
    try {
      const second = widgetElement();
      document.body.append(second);
      // Its init() ran (and stopped) when it warns.
      await until(() => warnings.join().includes('already running'), 'the second element to warn');
      expect(second.initialized).to.be.false;
      expect(document.querySelectorAll('iframe[data-twt-widget-surface="panel"]').length).to.equal(1);
      expect(warnings.join()).to.contain('already running');
    } finally {
      console.warn = warn;
    }
  });

  it('moving the element in the DOM does not reboot it', async () => {
    const el = await bootWidget();
    let destroyed = 0;
    let initialized = 0;
    el.addEventListener('twt-destroyed', () => destroyed++);
    el.addEventListener('twt-initialized', () => initialized++);
    const box = document.createElement('section');
    document.body.append(box);
    box.append(el); // remove + insert in one task
    // the reloaded panel re-handshakes and the widget still answers commands
    await el.setTheme('dark');
    expect([destroyed, initialized]).to.deep.equal([0, 0]);
    expect(el.initialized).to.be.true;
    box.remove();
  });

  it('a move spanning tasks and frames (a portal, a drag-and-drop editor) keeps the widget and its visibility', async () => {
    const el = await bootWidget();
    const events: string[] = [];
    for (const n of ['destroyed', 'initialized', 'bootstrap-failed']) el.addEventListener(`twt-${n}`, () => events.push(n));
    await el.maximize();
    el.remove();
    await sleep(50);
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    const box = document.createElement('section');
    document.body.append(box);
    box.append(el);
    // The panel iframe reloaded (it was out of the document): it reconnects over the bridge, no new bootstrap,
    // and boots with the visibility the widget kept.
    expect((await waitConnected('panel')).boot!.visibility).to.equal('maximized');
    await el.minimize();
    expect(el.visibility).to.equal('minimized');
    expect(events).to.deep.equal([]);
    box.remove();
  });

  it('moveBefore() keeps the iframes alive: no reload, no new handshake', async () => {
    const el = await bootWidget();
    const panel = frame('panel')!;
    const box = document.createElement('section');
    document.body.append(box);
    let loads = 0;
    panel.addEventListener('load', () => loads++);
    expect(typeof (box as any).moveBefore, 'this Chromium has Element.prototype.moveBefore').to.equal('function');
    (box as any).moveBefore(el, null);
    expect(el.parentNode).to.equal(box);
    await el.setTheme('dark'); // answered over the original port
    const r = await report('panel');
    expect(r.connects).to.equal(1);
    expect(r.commands.some((c) => c.name === 'set_theme')).to.be.true;
    expect(loads).to.equal(0);
    expect(frame('panel')).to.equal(panel);
    box.remove();
  });

  it('a move reloads the iframes: what their old documents still send while unloading is not heard (issue 10)', async () => {
    // Turbo Drive swaps <body> and puts a data-turbo-permanent element back into the new one: its iframes reload.
    // The panel's old document, cut off mid-request, reported bootstrap_failed as it went, which tore the widget down.
    const el = await bootWidget({ appid: 'demo-dying-words' });
    await el.maximize();
    const events: string[] = [];
    for (const n of ['destroyed', 'bootstrap-failed', 'visibility-changed', 'initialized']) el.addEventListener(`twt-${n}`, () => events.push(n));
    const box = document.createElement('section');
    document.body.append(box);
    box.append(el);
    await Promise.race([waitConnected('panel'), next(el, 'bootstrap_failed')]);
    await sleep(300);
    expect(events).to.deep.equal([]);
    expect((await waitConnected('panel')).boot!.visibility).to.equal('maximized');
    expect(el.visibility).to.equal('maximized');
    expect(getComputedStyle(frame('panel')!).visibility).to.equal('visible');
    await el.setTheme('dark'); // the reloaded panel answers
    box.remove();
  });

  it('a clone of a running widget (cloneNode(true): Turbo snapshots, Bardo) renders no second surfaces and leaves the live panel open', async () => {
    const el = await bootWidget();
    await el.maximize();
    const count = (s: string) => document.querySelectorAll(`iframe[data-twt-widget-surface="${s}"]`).length;
    const copy = el.cloneNode(true) as TwtChatWidget;
    expect(copy.querySelectorAll('iframe[data-twt-widget-surface]').length, 'cloneNode(true) copies the surface iframes').to.equal(2);
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(String(m));
    try {
      document.body.append(copy); // while the widget runs: inert, and without the copied iframes
      // Its init() ran (and stopped) when it warns.
      await until(() => warnings.join().includes('already running'), 'the copy to warn');
    } finally {
      console.warn = warn;
    }
    expect([count('panel'), count('launcher')]).to.deep.equal([1, 1]);
    expect(copy.querySelector('iframe, twt-launcher')).to.equal(null);
    expect(frame('panel')!.closest('twt-chat-widget')).to.equal(el);
    expect(el.visibility).to.equal('maximized');
    expect(getComputedStyle(frame('panel')!).visibility).to.equal('visible');
    copy.remove();

    // Another clone, put on the page once the widget is gone (a snapshot restored without it): boots with fresh surfaces only.
    const later = el.cloneNode(true) as TwtChatWidget;
    el.remove();
    el.destroy();
    const ready = next(later, 'runtime_activated');
    document.body.append(later);
    await ready;
    expect([count('panel'), count('launcher')]).to.deep.equal([1, 1]);
    expect(frame('panel')!.closest('twt-chat-widget')).to.equal(later);
    await later.maximize();
    await waitConnected('panel');
  });

  it('React 19 StrictMode-like mount, unmount, remount in one task boots once', async () => {
    const el = widgetElement();
    const events: string[] = [];
    for (const n of ['initialized', 'destroyed']) el.addEventListener(`twt-${n}`, () => events.push(n));
    const ready = next(el, 'runtime_activated');
    document.body.append(el);
    el.remove();
    document.body.append(el);
    await ready;
    el.remove();
    document.body.append(el);
    await el.maximize();
    expect(events).to.deep.equal(['initialized']);
    expect(document.querySelectorAll('iframe[data-twt-widget-surface="panel"]').length).to.equal(1);
  });

  it('removing the element destroys it', async () => {
    const el = await bootWidget();
    const destroyed = next(el, 'destroyed');
    el.remove();
    await destroyed;
    expect(document.querySelectorAll('iframe').length).to.equal(0);
  });

  it('passes an axe audit', async () => {
    const el = await bootWidget();
    await expect(el).to.be.accessible();
  });

  it('a destroyed widget is garbage: its iframes, launcher and bridge, and the removed element, are collected', async () => {
    // Everything is touched in a helper that has returned by the GC: a suspended async function
    // keeps its dead locals (the last iframe of a loop, say) alive.
    const cycle = async () => {
      const refs: Array<[string, WeakRef<object>]> = [];
      const keep = (what: string, o: object | null | undefined) => {
        if (!o) throw new Error(`no ${what}`);
        refs.push([what, new WeakRef(o)]);
      };
      const el = await bootWidget({}, { until: 'bridge_ready' });
      for (let i = 0; i < 3; i++) {
        // A card to show, so the card iframe exists and is checked too.
        control('panel', { double: 'emit', name: 'card_content', payload: { card: { kind: 'message', text: `card ${i}` } } });
        await until(() => !!frame('card'), 'the card iframe');
        for (const f of el.querySelectorAll('iframe')) keep(`cycle ${i}: ${f.dataset.twtWidgetSurface} iframe`, f);
        keep(`cycle ${i}: launcher`, document.querySelector('twt-launcher'));
        keep(`cycle ${i}: bridge`, (el as unknown as { _bridge?: object })._bridge);
        el.destroy();
        const ready = next(el, 'bridge_ready');
        el.init();
        await ready;
      }
      keep('removed element', el);
      const destroyed = next(el, 'destroyed');
      el.remove();
      await destroyed;
      return refs;
    };
    const refs = await cycle();
    await sleep(100);
    await executeServerCommand('twt-gc');
    expect(refs.length).to.equal(3 * 5 + 1);
    expect(refs.filter(([, r]) => r.deref() !== undefined).map(([what]) => what)).to.deep.equal([]);
  });

  it('50 destroy/init cycles leave no iframe, launcher or message listener behind', async () => {
    const added = new Map<unknown, number>();
    const origAdd = window.addEventListener;
    const origRemove = window.removeEventListener;
    let live = 0;
    window.addEventListener = function (this: Window, type: string, l: any, o?: any) {
      if (type === 'message' && !added.has(l)) (added.set(l, 1), live++);
      return origAdd.call(this, type, l, o);
    } as typeof window.addEventListener;
    window.removeEventListener = function (this: Window, type: string, l: any, o?: any) {
      if (type === 'message' && added.delete(l)) live--;
      return origRemove.call(this, type, l, o);
    } as typeof window.removeEventListener;
    // matchMedia listeners (viewport width, colour scheme) are counted too.
    const mqAdd = MediaQueryList.prototype.addEventListener;
    const mqRemove = MediaQueryList.prototype.removeEventListener;
    let mqLive = 0;
    MediaQueryList.prototype.addEventListener = function (this: MediaQueryList, ...a: any[]) {
      mqLive++;
      return (mqAdd as any).apply(this, a);
    } as any;
    MediaQueryList.prototype.removeEventListener = function (this: MediaQueryList, ...a: any[]) {
      mqLive--;
      return (mqRemove as any).apply(this, a);
    } as any;
    try {
      const el = await bootWidget({}, { until: 'initialized' });
      for (let i = 0; i < 50; i++) {
        el.destroy();
        const ready = next(el, 'initialized');
        el.init();
        await ready;
      }
      await next(el, 'bridge_ready');
      expect(document.querySelectorAll('iframe').length).to.equal(2);
      expect(document.querySelectorAll('twt-launcher').length).to.equal(1);
      expect(live).to.equal(1);
      expect(mqLive).to.equal(2);
      el.destroy();
      expect(document.querySelectorAll('iframe, twt-launcher').length).to.equal(0);
      expect(live).to.equal(0);
      // The media-query controllers follow the element's connection (hostConnected/hostDisconnected).
      expect(mqLive).to.equal(2);
      el.remove();
      expect(mqLive).to.equal(0);
    } finally {
      MediaQueryList.prototype.addEventListener = mqAdd;
      MediaQueryList.prototype.removeEventListener = mqRemove;
      window.addEventListener = origAdd;
      window.removeEventListener = origRemove;
    }
  });
});
