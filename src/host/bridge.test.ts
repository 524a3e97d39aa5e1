import { expect } from '@open-wc/testing';
import './define.js';
import { BRIDGE_TAG, BRIDGE_VERSION, eventPayload as sanitizeEventPayload } from '../shared/bridge-protocol.js';
import { W, frame, control, report, until, bootWidget, cleanPage } from '../../test/helpers/browser/host-double.js';

const envelope = { tag: BRIDGE_TAG, v: BRIDGE_VERSION };
const nonceOf = (f: HTMLIFrameElement) => new URLSearchParams(new URL(f.src).hash.slice(1)).get('n')!;

/**
 * Collects every twt-* event and uncaught error while `f` runs. `f` ends with an ordering sentinel
 * (see below), so whatever its bad messages could have caused has happened by then: no fixed sleep.
 */
async function watch(el: Element, f: () => Promise<void>) {
  const seen: string[] = [];
  const errors: unknown[] = [];
  const onAny = (e: Event) => seen.push(e.type);
  const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message);
  const types = ['bridge-ready', 'runtime-mounted', 'visitor-auth-ready', 'unread-count-changed', 'visibility-changed', 'auth-closed', 'bootstrap-failed', 'connection-state-changed'];
  for (const t of types) el.addEventListener(`twt-${t}`, onAny);
  addEventListener('error', onError);
  try {
    await f();
  } finally {
    for (const t of types) el.removeEventListener(`twt-${t}`, onAny);
    removeEventListener('error', onError);
  }
  return { seen, errors };
}

/** Resolves once everything this window posted to itself before has been handled (window messages from one source arrive in order). */
function afterOwnMessages(): Promise<void> {
  const marker = `sentinel-${Math.random()}`;
  return new Promise((resolve) => {
    const on = (e: MessageEvent) => {
      if (e.source !== window || e.data !== marker) return;
      removeEventListener('message', on);
      resolve();
    };
    addEventListener('message', on);
    postMessage(marker, '*');
  });
}

/**
 * How many connects a surface page got, counted after everything it posted before (a hello) has been
 * handled: its first report travels behind its hello; any connect the host sent in answer travels
 * ahead of the second report request.
 */
async function connectsAfterItsMessages(s: 'panel' | HTMLIFrameElement): Promise<number> {
  await report(s);
  return (await report(s)).connects;
}

/** A valid event over the panel's port, after the bad ones on the same ordered channel; resolves when the element has it. */
async function panelSentinel(el: Element, count: number): Promise<void> {
  const got = new Promise((r) => el.addEventListener('twt-unread-count-changed', r, { once: true }));
  control('panel', { double: 'emit', name: 'unread_count_changed', payload: { count } });
  await got;
}

describe('host bridge', () => {
  afterEach(() => {
    cleanPage();
    localStorage.clear();
  });

  it('a surface navigated to another origin before the host answered receives nothing (exact target origin)', async () => {
    // The panel's page says a valid hello, then its frame navigates to a page of this (another) origin
    // before loading: the host answers the hello at the frame's load event, the recorder's.
    const hello = new Promise<void>((resolve) => {
      const on = (e: MessageEvent) => {
        if (e.origin !== W || e.data?.type !== 'hello' || e.data.surface !== 'panel') return;
        removeEventListener('message', on);
        resolve(); // the host's listener, added earlier, has handled it already
      };
      addEventListener('message', on);
    });
    const panelLoaded = new Promise<void>((resolve) => {
      const on = (e: Event) => {
        if ((e as CustomEvent).detail?.surface !== 'panel') return;
        removeEventListener('twt-iframe-loaded', on);
        // The element hands the load to the bridge right after this event: one task later it has answered.
        setTimeout(resolve);
      };
      addEventListener('twt-iframe-loaded', on);
    });
    await bootWidget({ appid: 'navigate-away' }, { until: '' });
    await hello;
    await panelLoaded;
    const panel = frame('panel')!;
    // Messages from this window to the frame arrive in order: a sentinel sent now comes after anything the host sent.
    const received = new Promise<string[]>((resolve) => {
      const on = (e: MessageEvent) => {
        if (e.source !== panel.contentWindow || !e.data?.recorder) return;
        removeEventListener('message', on);
        resolve(e.data.recorder);
      };
      addEventListener('message', on);
    });
    panel.contentWindow!.postMessage('sentinel', '*');
    expect(await received).to.deep.equal(['sentinel']);
  });

  it('ignores a valid-looking hello from another origin (the host page itself)', async () => {
    const el = await bootWidget();
    const panel = frame('panel')!;
    const { seen, errors } = await watch(el, async () => {
      window.postMessage({ ...envelope, type: 'hello', nonce: nonceOf(panel), surface: 'panel' }, '*');
      await afterOwnMessages();
    });
    expect(seen).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(await connectsAfterItsMessages('panel')).to.equal(1);
  });

  it('ignores a hello with the right nonce from another frame of the widget origin', async () => {
    const el = await bootWidget();
    const panel = frame('panel')!;
    // A rogue frame on W that learnt the nonce: it posts a correct hello, but it is not the panel iframe.
    const rogue = document.createElement('iframe');
    rogue.src = `${W}/widget/panel.html?appid=quiet#${new URL(panel.src).hash.slice(1)}`;
    let rogueConnected = 0;
    const { seen } = await watch(el, async () => {
      document.body.append(rogue);
      await new Promise((r) => rogue.addEventListener('load', r, { once: true }));
      rogueConnected = await connectsAfterItsMessages(rogue);
    });
    expect(rogueConnected).to.equal(0);
    expect(seen).to.deep.equal([]);
    rogue.remove();
  });

  it('ignores a hello with a wrong nonce from the panel iframe itself', async () => {
    const el = await bootWidget();
    let connects = 0;
    const { seen } = await watch(el, async () => {
      control('panel', { double: 'hello', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
      connects = await connectsAfterItsMessages('panel');
    });
    expect(seen).to.deep.equal([]);
    expect(connects).to.equal(1);
  });

  it('drops malformed and prototype-named port messages without throwing', async () => {
    const el = await bootWidget();
    const bad: unknown[] = [
      null,
      42,
      'hello',
      [1, 2],
      { ...envelope, type: 'event', name: '__proto__', payload: {} },
      { ...envelope, type: 'event', name: 'constructor', payload: {} },
      { ...envelope, type: 'event', name: 'toString', payload: {} },
      { ...envelope, type: '__proto__' },
      { ...envelope, v: 2, type: 'event', name: 'unread_count_changed', payload: { count: 1 } },
      { tag: 'other', v: 1, type: 'event', name: 'unread_count_changed', payload: { count: 1 } },
      { ...envelope, type: 'event', name: 'unread_count_changed', payload: { count: '1' } },
      { ...envelope, type: 'event', name: 'unread_count_changed', payload: { count: -1 } },
      { ...envelope, type: 'event', name: 'unread_count_changed', payload: [1] },
      { ...envelope, type: 'event', name: 'visitor_auth_ready', payload: { bs: 1 } },
      { ...envelope, type: 'event', name: 'auth_closed', payload: { message: 'no reason' } },
      { ...envelope, type: 'event', name: 'connection_state_changed', payload: { status: 'exploded' } },
      { ...envelope, type: 'result', id: 999999, ok: true },
      { ...envelope, type: 'event', name: 'card_content', payload: { card: { kind: 'x', text: 1 } } },
      { ...envelope, type: 'event', name: 'unread_count_changed', payload: { nested: { deep: { deeper: 'x'.repeat(100000) } } } },
    ];
    const { seen, errors } = await watch(el, async () => {
      for (const data of bad) control('panel', { double: 'raw', data });
      // Same port, after the bad ones: when it arrives, they have been handled (and dropped).
      await panelSentinel(el, 2);
    });
    expect(seen, 'only the sentinel').to.deep.equal(['twt-unread-count-changed']);
    expect(errors).to.deep.equal([]);
    expect(el.unreadCount).to.equal(2);
    expect(el.visibility).to.equal('minimized');
    expect(({} as Record<string, unknown>).count).to.equal(undefined);
  });

  it('sanitizeEventPayload keeps only the expected fields', () => {
    expect(sanitizeEventPayload('unread_count_changed', { count: 3, extra: 'x' })).to.deep.equal({ count: 3 });
    expect(sanitizeEventPayload('runtime_mounted', undefined)).to.equal(undefined);
    expect(sanitizeEventPayload('runtime_mounted', new Date())).to.equal(null);
    const polluted = JSON.parse('{"__proto__": {"count": 5}}');
    expect(sanitizeEventPayload('unread_count_changed', polluted)).to.equal(null);
    expect(sanitizeEventPayload('bootstrap_failed', { reason: 'timeout', source: 'bootstrap', mode: 'embedded', x: 1 })).to.deep.equal({ reason: 'timeout', source: 'bootstrap', mode: 'embedded' });
    expect(sanitizeEventPayload('bootstrap_failed', { reason: 'timeout', mode: 'other' }), 'mode is embedded or absent').to.equal(null);
    expect(sanitizeEventPayload('unread_count_changed', { count: -1 })).to.equal(null);
    expect(sanitizeEventPayload('unread_count_changed', { count: 1.5 })).to.equal(null);
    expect(sanitizeEventPayload('session_connected', { status: 'connecting' })).to.equal(null);
    expect(sanitizeEventPayload('auth_closed', { reason: 'revoked', closeCode: 4003, clearToken: 'yes' }), 'a field of the wrong type').to.equal(null);
    expect(sanitizeEventPayload('auth_closed', { reason: 'revoked', closeCode: 4003, clearToken: true, terminal: 'visitor' })).to.deep.equal({ reason: 'revoked', closeCode: 4003, clearToken: true, terminal: 'visitor' });
    expect(sanitizeEventPayload('visitor_auth_ready', { bs: 'b', bs_mm: 'm', fk_id: 'f', source: 'resolved', hasToken: true, visitorUid: 'v', y: {} })).to.deep.equal({ bs: 'b', bs_mm: 'm', fk_id: 'f', source: 'resolved', hasToken: true, visitorUid: 'v' });
    expect(sanitizeEventPayload('visitor_auth_ready', { bs: 'b' }), 'bs_mm is required').to.equal(null);
    expect(sanitizeEventPayload('card_content', { card: null })).to.deep.equal({ card: null });
    expect(sanitizeEventPayload('card_content', { card: { kind: 'message', text: 'hi', author: 'Bo', html: '<b>' } })).to.deep.equal({ card: { kind: 'message', text: 'hi', author: 'Bo' } });
    expect(sanitizeEventPayload('card_content', { card: { kind: 'banner', text: 'hi' } })).to.equal(null);
    expect(sanitizeEventPayload('card_content', { card: { kind: 'message', text: 'x'.repeat(4001) } })).to.equal(null);
    expect(sanitizeEventPayload('__proto__', {}), 'a prototype name has no schema').to.equal(undefined);
    expect(sanitizeEventPayload('pointer_hover', { over: true, x: 3 })).to.deep.equal({ over: true });
    expect(sanitizeEventPayload('pointer_hover', { over: 'yes' }), 'over is a boolean').to.equal(null);
    expect(sanitizeEventPayload('pointer_hover', {}), 'over is required').to.equal(null);
  });

  it('a reloaded surface re-handshakes with a new port', async () => {
    const el = await bootWidget();
    const panel = frame('panel')!;
    const loaded = new Promise((r) => panel.addEventListener('load', r, { once: true }));
    panel.src = panel.src.replace('#', '?reload=1#');
    await loaded;
    await until(async () => (await report('panel')).connects > 0, 'the reloaded panel connected');
    expect(await connectsAfterItsMessages('panel')).to.equal(1); // a fresh page, connected once
    await el.setTheme('dark'); // commands travel over the new port
  });
});
