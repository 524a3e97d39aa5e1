// core.js adopting a <twt-chat-widget> that a framework configured through the
// `.options` property (demo/vue.html): core.js must not overwrite it with window.__twt.
import { expect } from '@open-wc/testing';
import { W, next } from '../../test/helpers/browser/host-double.js';

describe('core.js and a framework-configured element', () => {
  it('keeps the .options a framework set on an element without an appid attribute', async () => {
    const el = document.createElement('twt-chat-widget') as any;
    const options = { appid: 'demo', server: W, theme: 'dark', name: 'From Vue' };
    el.options = options;
    document.body.append(el); // not defined yet: a plain element holding the property
    (window as any).__twt = { appid: 'other-app', server: W, theme: 'light' };
    const initialized = next(el, 'initialized');
    await new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/dist/install/core.js?version=v1.2';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('dist/install/core.js is missing: run `npm run build` first'));
      document.head.append(s);
    });
    await initialized;
    expect(document.querySelectorAll('twt-chat-widget').length).to.equal(1);
    expect(el.options).to.equal(options);
    expect(el.themeSetting).to.equal('dark');
    expect(document.querySelector('iframe[data-twt-widget-surface="panel"]')!.getAttribute('src')).to.contain('appid=demo');
    el.destroy();
    el.remove();
  });
});
