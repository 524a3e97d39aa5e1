// window.TWTChatWidget (the real dist/install/core.js, loaded by the legacy snippet without any config) reaching
// widgets placed after it ran: a page builder's innerHTML, an element inside a LitElement-like shadow root,
// a framework's element. The tests share one page and run in order.
import { expect } from '@open-wc/testing';
import { W, next, sleep, loadCore } from '../../test/helpers/browser/host-double.js';
import type { TwtChatWidget } from '../../elements/twt-chat-widget.js';

const api = () => (window as any).TWTChatWidget;


describe('window.TWTChatWidget follows the widget however it was placed', () => {
  const seen: string[] = [];
  let queued: Promise<unknown>;

  it('core.js without config boots nothing; on() and call() made before any widget exists wait for one', async () => {
    // The spec's stub, as pasted, with no window.__twt: a page builder will render the element later.
    (window as any).TWTChatWidget = { _q: [], on(...a: unknown[]) { this._q.push(['on', a]); } };
    api().on('initialized', () => seen.push('initialized (stub)'));
    await loadCore();
    api().on('runtime_activated', () => seen.push('runtime_activated'));
    api().on('visibility_changed', (p: any) => seen.push(`visibility ${p.visibility}`));
    queued = api().call('maximize');
    await sleep(50);
    expect(document.querySelectorAll('twt-chat-widget, iframe').length).to.equal(0);
    expect(() => api().get('state')).to.throw(/after init\(\)/);
    expect(seen).to.deep.equal([]);
  });

  it('a page builder writes <twt-chat-widget appid> through innerHTML: handlers fire, the queued call runs, get() works', async () => {
    const box = document.createElement('div');
    document.body.append(box);
    const activated = new Promise((r) => api().once('runtime_activated', r));
    box.innerHTML = `<twt-chat-widget appid="demo" server="${W}"></twt-chat-widget>`;
    await queued;
    await activated;
    expect(seen).to.deep.equal(['initialized (stub)', 'visibility maximized', 'runtime_activated']);
    expect(api().get('state')).to.deep.equal({ visibility: 'maximized' });
    await api().call('minimize');
    expect((box.firstElementChild as TwtChatWidget).visibility).to.equal('minimized');
    // late readiness replay still holds for the followed element
    const late: string[] = [];
    api().once('bridge_ready', () => late.push('bridge_ready'));
    await sleep(0);
    expect(late).to.deep.equal(['bridge_ready']);
    const destroyed = new Promise((r) => api().once('destroyed', r));
    await api().call('destroy');
    await destroyed;
    box.remove();
  });

  it('an element inside a shadow root (a LitElement host) is driven by the global API', async () => {
    seen.length = 0;
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    const initialized = new Promise((r) => api().once('initialized', r));
    root.innerHTML = `<twt-chat-widget appid="demo" server="${W}" theme="dark"></twt-chat-widget>`;
    const el = root.querySelector('twt-chat-widget')!;
    await initialized;
    expect(seen).to.deep.equal(['initialized (stub)']);
    expect(api().get('theme')).to.equal('dark');
    await api().call('maximize');
    expect(el.visibility).to.equal('maximized');
    expect(el.querySelector('iframe[data-twt-widget-surface="panel"]')).to.exist;
    const destroyed = next(el, 'destroyed');
    host.remove();
    await destroyed; // a real removal still tears the widget down once the grace period is over
    expect(() => api().get('state')).to.throw(/after init\(\)/);
  });

  it('a framework element created with createElement and configured through .options is followed too', async () => {
    const el = document.createElement('twt-chat-widget');
    el.options = { appid: 'demo', server: W };
    const got = new Promise((r) => api().once('initialized', r));
    document.body.append(el);
    await got;
    expect(api().get('state')).to.deep.equal({ visibility: 'minimized' });
    await api().call('toggle');
    expect(el.visibility).to.equal('maximized');
    el.destroy();
    el.remove();
  });
});
