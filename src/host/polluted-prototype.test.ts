// A host page whose Object.prototype carries the widget's option names, polluted before the real
// dist/install/core.js runs: the widget boots with the page's own config (own-property reads everywhere).
import { expect } from '@open-wc/testing';
import { W, frame, waitConnected, loadCore } from '../../test/helpers/browser/host-double.js';

const POLLUTION: Record<string, unknown> = {
  asyncInit: true, launcher: 'custom', theme: 'dark', appid: 'evil', server: 'https://evil.example', zIndex: 5,
  language: 'de', storage: 'none', right: 600, bottom: 600, icon: 'https://evil.example/i.png', name: 'Mallory',
  __twt: { appid: 'evil' }, __twt__config: { appid: 'evil', lang: 'ja' }, options: { appid: 'evil', theme: 'dark' },
};

describe('core.js on a page with a polluted Object.prototype', () => {
  it('boots with the page config, not the prototype', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const bootstraps: string[] = [];
    const fetch0 = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      bootstraps.push(`${String(input)} ${String(init?.body)}`);
      return fetch0(input, init);
    };
    for (const [k, v] of Object.entries(POLLUTION)) proto[k] = v; // enumerable, as real pollution is
    try {
      (window as any).TWTChatWidget = { _q: [], on(...a: unknown[]) { this._q.push(['on', a]); } };
      (window as any).__twt = { appid: 'demo', server: W };
      const activated = new Promise((r) => (window as any).TWTChatWidget.on('runtime_activated', r));
      await loadCore();
      await activated;
      expect(bootstraps).to.deep.equal([`${W}/v1/bootstrap {"appid":"demo"}`]);
      const api = (window as any).TWTChatWidget;
      expect(api.get('theme')).to.equal('light');
      expect(frame('launcher'), 'launcher "default", not the prototype\'s "custom"').to.exist;
      const launcher = frame('launcher')!;
      expect(getComputedStyle(launcher).getPropertyValue('right')).to.equal('20px');
      expect(getComputedStyle(launcher).getPropertyValue('z-index')).to.not.equal('5');
      const boot = (await waitConnected('panel')).boot!;
      expect(boot.theme).to.equal('light');
      expect(boot.locale).to.not.equal('de');
      // (own-property checks here too: this test page's own reads see the pollution)
      const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
      expect(has(boot.profile!, 'name')).to.be.false;
      // The launcher's own handshake: nothing orders it before the panel's runtime_activated (a launcher
      // document slow to load, as on a busy machine, connects after it), so wait for it rather than ask at once.
      expect(has((await waitConnected('launcher')).boot!, 'icon')).to.be.false;
      expect(localStorage.getItem('twt:identity:demo'), 'storage "local", not the prototype\'s "none"').to.be.a('string');
    } finally {
      for (const k of Object.keys(POLLUTION)) delete proto[k];
      window.fetch = fetch0;
    }
  });
});
