// window.TWTChatWidget through the real dist/install/core.js (run `npm run build` first),
// loaded by the spec's exact legacy snippet. The tests share one page and run in order.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { W, frame, sleep, until } from '../../test/helpers/browser/host-double.js';

const api = () => (window as any).TWTChatWidget;

/** The spec's snippet, verbatim except the script URL (and the test double's server). */
function snippet(config: Record<string, unknown>) {
  (window as any).TWTChatWidget = (window as any).TWTChatWidget || {
    _q: [],
    on: function () {
      // eslint-disable-next-line prefer-rest-params
      this._q.push(['on', Array.prototype.slice.call(arguments)]);
    },
  };
  (window as any).__twt = { server: W, ...config };
}

function loadCore(): Promise<void> {
  return new Promise((resolve, reject) => {
    const n = document.createElement('script');
    n.async = true;
    n.type = 'text/javascript';
    n.src = '/dist/install/core.js?version=v1.2';
    n.onload = () => resolve();
    n.onerror = () => reject(new Error('dist/install/core.js is missing: run `npm run build` first'));
    document.head.appendChild(n);
  });
}

const once = (event: string) => new Promise<any>((resolve) => api().once(event, resolve));

describe('window.TWTChatWidget (core.js + legacy snippet)', () => {
  it('replays the stub queue: on("initialized") before core.js, then the hover demo finds the launcher', async () => {
    snippet({ appid: 'demo', launcher: 'default' });
    let launcherAtInit: Element | null = null;
    const calls: string[] = [];
    api().on('initialized', () => {
      calls.push('initialized');
      launcherAtInit = document.querySelector('iframe[data-twt-widget-surface="launcher"]');
    });
    api().on('runtime_activated', () => calls.push('runtime_activated'));
    expect(api()._q.length).to.equal(2);
    await loadCore();
    expect(api()._q).to.equal(undefined);
    expect(api().scriptTagVersion()).to.equal('v1.2');
    await until(() => calls.includes('runtime_activated'), 'runtime_activated');
    expect(calls[0]).to.equal('initialized');
    expect(launcherAtInit).to.be.instanceOf(HTMLIFrameElement);
  });

  it('delivers lifecycle events that already happened to a late subscriber, once, asynchronously', async () => {
    const got: string[] = [];
    for (const e of ['initialized', 'bridge_ready', 'runtime_mounted', 'runtime_activated']) api().on(e, () => got.push(e));
    expect(got).to.deep.equal([]);
    await sleep(0);
    expect(got).to.deep.equal(['initialized', 'bridge_ready', 'runtime_mounted', 'runtime_activated']);
    await sleep(50);
    expect(got.length).to.equal(4);
  });

  it('getters: state, sdk_info, unread_count, theme; an unknown getter names the valid ones', () => {
    expect(api().get('state')).to.deep.equal({ visibility: 'minimized' });
    expect(api().get('sdk_info')).to.deep.equal({ version: '1.2.0', scriptTagVersion: 'v1.2', compatibilityMode: 'off', transport: 'mixed' });
    expect(api().get('unread_count')).to.equal(0);
    expect(api().get('theme')).to.equal('light');
    expect(() => api().get('nope')).to.throw(/state, sdk_info, unread_count, theme/);
  });

  it('call(): every method, promises, refusals with a reason, never a synchronous throw', async () => {
    const vis: string[] = [];
    const h = (p: any) => vis.push(p.visibility);
    api().on('visibility_changed', h);
    await api().call('maximize');
    expect(api().get('state').visibility).to.equal('maximized');
    await api().call('minimize');
    await api().call('toggle');
    await api().call('toggle');
    await api().call('hide');
    expect(frame('panel')).to.exist;
    await api().call('show');
    expect(vis).to.deep.equal(['maximized', 'minimized', 'maximized', 'minimized', 'hidden', 'minimized']);
    api().off('visibility_changed', h);
    await api().call('maximize');
    expect(vis.length).to.equal(6);

    await api().call('set_language', 'zh-TW');
    await api().setLanguage('ja');
    await api().call('set_theme', 'dark');
    expect(api().get('theme')).to.equal('dark');
    await api().login('sbs', 'mm', 'r', 'Name');
    await api().call('login', { sbs: 'a', sbs_mm: 'b', ranstr: 'c' });
    // Our extension: both forms restart the widget anonymous; the shim stays attached (no destroyed).
    const panel = frame('panel');
    await api().logout();
    expect(frame('panel')).to.exist.and.not.equal(panel);
    const bridged = new Promise((r) => api().once('bridge_ready', r));
    await api().call('logout');
    expect(api().get('state')).to.deep.equal({ visibility: 'minimized' });
    await bridged; // the new panel is connected again before the next test talks to it

    const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: any) => (e instanceof Error ? (e as any).reason : 'not an Error'));
    expect(await reason(api().call('fly'))).to.equal('unknown_method');
    expect(await reason(api().call(123))).to.equal('unknown_method');
    expect(await reason(api().call('__proto__'))).to.equal('unknown_method');
    expect(await reason(api().call('set_theme', 'neon'))).to.equal('invalid_payload');
    expect(await reason(api().call('set_language', 'klingon'))).to.equal('unsupported_locale');
    expect(await reason(api().login('only-sbs'))).to.equal('login_failed');
    expect(await reason(api().call('login'))).to.equal('login_failed');
    const msg = await api().call('fly').catch((e: Error) => e.message);
    for (const m of ['maximize', 'minimize', 'hide', 'show', 'toggle', 'destroy', 'login', 'logout', 'set_language', 'set_theme']) expect(msg).to.contain(m);
  });

  it('on / once / off, including off without a handler', async () => {
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    api().on('unread_count_changed', (p: any) => a.push(p.count));
    api().on('unread_count_changed', (p: any) => b.push(p.count));
    api().once('unread_count_changed', (p: any) => c.push(p.count));
    const panel = frame('panel')!;
    panel.contentWindow!.postMessage({ double: 'emit', name: 'unread_count_changed', payload: { count: 1 } }, W);
    await until(() => a.length === 1, 'the first event');
    panel.contentWindow!.postMessage({ double: 'emit', name: 'unread_count_changed', payload: { count: 2 } }, W);
    await until(() => a.length === 2, 'the second event');
    expect([a, b, c]).to.deep.equal([[1, 2], [1, 2], [1]]);
    expect(api().get('unread_count')).to.equal(2);
    api().off('unread_count_changed');
    panel.contentWindow!.postMessage({ double: 'emit', name: 'unread_count_changed', payload: { count: 3 } }, W);
    // The widget has the third event: a handler still attached would have run in that same dispatch.
    await until(() => api().get('unread_count') === 3, 'the third event reached the widget');
    expect(a.length).to.equal(2);
  });

  it('a second snippet and a second core.js reuse the first widget', async () => {
    const first = api();
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(String(m));
    try {
      snippet({ appid: 'demo' });
      await loadCore();
      // The second core.js stops where it warns (synchronously, while it runs), before creating anything.
      await until(() => warnings.join().includes('more than once'), 'the second core.js to warn');
    } finally {
      console.warn = warn;
    }
    expect(api()).to.equal(first);
    expect(warnings.join()).to.contain('more than once');
    expect(document.querySelectorAll('twt-chat-widget').length).to.equal(1);
    expect(document.querySelectorAll('iframe[data-twt-widget-surface="panel"]').length).to.equal(1);
    api().init(); // idempotent
    await sleep(100);
    expect(document.querySelectorAll('iframe').length).to.equal(2); // panel and launcher; the card comes with its first content
  });

  it('destroy then init() boots a fresh instance', async () => {
    const destroyed = once('destroyed');
    await api().call('destroy');
    await destroyed;
    expect(document.querySelectorAll('iframe, twt-chat-widget').length).to.equal(0);
    expect(() => api().get('state')).to.throw(/after init\(\)/);
    expect(await api().call('maximize').catch((e: any) => e.reason)).to.equal('destroyed');
    const initialized = once('initialized');
    api().init();
    await initialized;
    expect(api().get('state')).to.deep.equal({ visibility: 'minimized' });
    expect(document.querySelectorAll('iframe').length).to.equal(2);
  });

  it('destroy/init cycles through the API leave every destroyed element and its iframes collectable', async () => {
    // The bench's memory run: call('destroy') then init(). The helper has returned by the GC
    // (a suspended async function keeps its dead locals alive).
    const cycles = async () => {
      const refs: Array<[string, WeakRef<object>]> = [];
      for (let i = 0; i < 3; i++) {
        const el = document.querySelector('twt-chat-widget');
        if (!el) throw new Error('no widget element');
        refs.push([`cycle ${i}: element`, new WeakRef(el)]);
        for (const f of document.querySelectorAll<HTMLIFrameElement>('iframe')) refs.push([`cycle ${i}: ${f.dataset.twtWidgetSurface} iframe`, new WeakRef(f)]);
        await api().call('destroy');
        const ready = once('bridge_ready');
        api().init();
        await ready;
      }
      return refs;
    };
    const refs = await cycles();
    await sleep(100);
    await executeServerCommand('twt-gc');
    expect(refs.length).to.equal(3 * 3); // element, panel and launcher iframes per cycle
    expect(refs.filter(([, r]) => r.deref() !== undefined).map(([what]) => what)).to.deep.equal([]);
    expect(document.querySelectorAll('twt-chat-widget').length).to.equal(1);
  });

  it('asyncInit: core.js creates nothing; calls before init() are queued; get() throws until init completes', async () => {
    await api().call('destroy');
    delete (window as any).TWTChatWidget;
    snippet({ appid: 'demo', asyncInit: true });
    const seen: string[] = [];
    api().on('initialized', () => seen.push('initialized'));
    await loadCore();
    await sleep(300);
    expect(seen).to.deep.equal([]);
    expect(document.querySelectorAll('iframe').length).to.equal(0);
    expect(() => api().get('state')).to.throw(/only available after init\(\)/);
    const opened = api().call('maximize');
    api().init();
    await opened;
    expect(seen).to.deep.equal(['initialized']);
    expect(api().get('state').visibility).to.equal('maximized');
  });

  it('launcher "custom" creates no launcher iframe; maximize/minimize work from host buttons', async () => {
    await api().call('destroy');
    window.__twt = { appid: 'demo', server: W, launcher: 'custom' };
    const ready = once('initialized');
    api().init();
    await ready;
    expect(document.querySelector('iframe[data-twt-widget-surface="launcher"]')).to.equal(null);
    await api().call('maximize');
    expect(api().get('state').visibility).to.equal('maximized');
    await api().call('minimize');
  });

  it('a missing appid logs how to fix it and fires bootstrap_failed (invalid_bootstrap)', async () => {
    await api().call('destroy');
    (window as any).__twt = { server: W };
    const errors: string[] = [];
    const error = console.error;
    console.error = (m: string) => errors.push(String(m));
    try {
      const failed = once('bootstrap_failed');
      api().init();
      expect((await failed).reason).to.equal('invalid_bootstrap');
    } finally {
      console.error = error;
    }
    expect(errors.join()).to.contain('window.__twt = { appid');
    expect(document.querySelectorAll('iframe').length).to.equal(0);
  });
});
