// Smoke test against the real server and the real runtime surfaces (dist/ must be built).
import { expect } from '@open-wc/testing';
import '../src/host/define.js';
// @ts-ignore served by test/helpers/wtr/server-plugin.mjs
import env from '/__twt_env.js';
import { next } from '../test/helpers/browser/host-double.js';

describe('<twt-chat-widget> with the real server and runtime', () => {
  it('boots to runtime_activated, stores the identity clue, maximizes and answers set_language', async () => {
    localStorage.clear();
    const el = document.createElement('twt-chat-widget');
    el.setAttribute('appid', env.appid ?? 'demo');
    el.setAttribute('server', env.server);
    const seen: string[] = [];
    for (const n of ['initialized', 'bridge-ready', 'runtime-mounted', 'visitor-auth-ready', 'runtime-activated', 'session-connected', 'bootstrap-failed'])
      el.addEventListener(`twt-${n}`, (e) => seen.push(`${n}${(e as CustomEvent).detail ? ' ' + JSON.stringify((e as CustomEvent).detail) : ''}`));
    const activated = next(el, 'runtime_activated', 15000);
    // Listened to from the start: the visitor socket may connect before runtime_activated or after it.
    const connected = next(el, 'session_connected', 15000);
    document.body.append(el);
    try {
      await activated;
    } finally {
      console.log(seen.join('\n'));
    }
    expect(localStorage.getItem('twt:identity:demo')).to.be.a('string');
    await el.maximize();
    await el.setLanguage('de');
    await el.setTheme('dark');
    expect(await connected).to.deep.equal({ status: 'connected' });
    el.destroy();
    el.remove();
  });
});
