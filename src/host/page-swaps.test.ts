// Single-page sites: the legacy snippet in <head> and Turbo Drive replacing <body> on every visit
// (simulated the way Turbo does it: document.body.replaceWith(newBody)). One widget must survive every
// visit: no new bootstrap, the open panel stays open, the same iframes (never reloaded), the same bridge.
import { expect } from '@open-wc/testing';
import { W, report, waitConnected, loadCore } from '../../test/helpers/browser/host-double.js';

const api = () => (window as any).TWTChatWidget;
const frames = () => [...document.querySelectorAll<HTMLIFrameElement>('iframe[data-twt-widget-surface]')];
const frameTurn = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));

describe('core.js across Turbo-style body swaps', () => {
  it('keeps one widget, its open panel and its iframes across three body replacements', async () => {
    const bootstraps: string[] = [];
    const fetch0 = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/v1/bootstrap')) bootstraps.push(String(input));
      return fetch0(input, init);
    };
    try {
      (window as any).TWTChatWidget = { _q: [], on(...a: unknown[]) { this._q.push(['on', a]); } };
      (window as any).__twt = { appid: 'demo', server: W };
      const lifecycle: string[] = [];
      for (const e of ['initialized', 'destroyed', 'bootstrap_failed']) api().on(e, () => lifecycle.push(e));
      const ready = new Promise((r) => api().on('runtime_activated', r));
      await loadCore();
      await ready;
      await waitConnected('launcher');
      await api().call('maximize');
      const before = frames();
      expect(before.map((f) => f.dataset.twtWidgetSurface).sort()).to.deep.equal(['launcher', 'panel']);
      const widget = document.querySelector('twt-chat-widget')!;

      for (let visit = 1; visit <= 3; visit++) {
        const body = document.createElement('body');
        body.innerHTML = `<main><h1>Page ${visit}</h1></main>`;
        document.body.replaceWith(body);
        // Longer than any move grace: several frames and tasks.
        for (let i = 0; i < 5; i++) await frameTurn();
        await api().call('minimize');
        await api().call('maximize');
        expect(document.querySelector('twt-chat-widget'), `visit ${visit}`).to.equal(widget);
        expect(widget.isConnected).to.be.true;
      }
      expect(frames()).to.deep.equal(before);
      expect(before.every((f) => f.isConnected)).to.be.true;
      expect(api().get('state')).to.deep.equal({ visibility: 'maximized' });
      expect(getComputedStyle(before.find((f) => f.dataset.twtWidgetSurface === 'panel')!).visibility).to.equal('visible');
      expect(lifecycle).to.deep.equal(['initialized']);
      expect(bootstraps.length).to.equal(1);
      // The iframes were never reloaded: each surface handshook exactly once.
      expect((await report('panel')).connects).to.equal(1);
      expect((await report('launcher')).connects).to.equal(1);
    } finally {
      window.fetch = fetch0;
    }
  });
});
