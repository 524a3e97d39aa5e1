// Layout and host-environment tests: narrow viewports, theme `system` following
// prefers-color-scheme live, a strict CSP host page, a polluted Object.prototype.
import { expect } from '@open-wc/testing';
import { setViewport, emulateMedia } from '@web/test-runner-commands';
import '../src/host/define.js';
import { W, frame, next, until, bootWidget, cleanPage } from '../test/helpers/browser/host-double.js';

describe('<twt-chat-widget> layout and host environment', () => {
  afterEach(async () => {
    cleanPage();
    await setViewport({ width: 1024, height: 768 });
    await emulateMedia({ colorScheme: 'light' });
  });

  it('bottom-right with offsets; panel above the launcher on wide viewports, full-screen on narrow ones', async () => {
    await setViewport({ width: 1024, height: 768 });
    const el = await bootWidget({ 'offset-right': '30', 'offset-bottom': '40' });
    const l = frame('launcher')!.getBoundingClientRect();
    expect([Math.round(innerWidth - l.right), Math.round(innerHeight - l.bottom)]).to.deep.equal([30, 40]);
    await el.maximize();
    const p = frame('panel')!.getBoundingClientRect();
    expect(p.width).to.equal(380);
    expect(p.bottom).to.be.at.most(l.top);
    await setViewport({ width: 375, height: 667 });
    await until(() => frame('panel')!.getBoundingClientRect().width === 375, 'the panel full-screen on the narrow viewport');
    const full = frame('panel')!.getBoundingClientRect();
    expect([full.left, full.top, full.width, full.height]).to.deep.equal([0, 0, 375, 667]);
    expect(getComputedStyle(frame('launcher')!).visibility).to.equal('hidden'); // covered by the panel anyway
  });

  it('theme "system" follows prefers-color-scheme live', async () => {
    await emulateMedia({ colorScheme: 'light' });
    await bootWidget({ theme: 'system' });
    expect(getComputedStyle(frame('panel')!).colorScheme).to.equal('light');
    await emulateMedia({ colorScheme: 'dark' });
    await until(() => getComputedStyle(frame('panel')!).colorScheme === 'dark', 'the panel to follow the dark scheme');
    expect(getComputedStyle(frame('panel')!).colorScheme).to.equal('dark');
    expect(new URLSearchParams(new URL(frame('launcher')!.src).hash.slice(1)).get('t')).to.equal('light'); // first paint: as booted
  });

  it('works on a host page with a strict CSP (no unsafe-inline, Trusted Types) without a violation', async () => {
    const host = document.createElement('iframe');
    const csp = `default-src 'none'; script-src 'self' 'nonce-t3st'; style-src 'self'; frame-src ${W}; connect-src ${W}; require-trusted-types-for 'script'; trusted-types 'none'`;
    host.srcdoc = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"><title>strict</title>
<script nonce="t3st">
window.violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.violations.push(e.violatedDirective + ' ' + e.blockedURI); });
window.TWTChatWidget = window.TWTChatWidget || { _q: [], on: function () { this._q.push(['on', Array.prototype.slice.call(arguments)]); } };
window.__twt = { appid: 'demo', server: '${W}' };
window.TWTChatWidget.on('bridge_ready', function () { window.ready = true; });
</script><script src="/dist/install/core.js?version=v1.2"></script></head><body></body></html>`;
    document.body.append(host);
    const win = host.contentWindow as any;
    // Not thrown: the expect below says what the strict page saw.
    await until(() => win.ready, 'bridge_ready on the strict page', { timeout: 8000 }).catch(() => {});
    expect(win.ready, `bridge_ready on the strict page; violations: ${win.violations}; ${host.contentDocument!.body.innerHTML.slice(0, 300)}`).to.equal(true);
    expect(win.violations).to.deep.equal([]);
    // panel and launcher (the card comes with its first content)
    expect(host.contentDocument!.querySelectorAll('iframe[data-twt-widget-surface]').length).to.equal(2);
    host.remove();
  });

  it('core.js before a page-builder <twt-chat-widget> in the markup adopts that element (no second widget, no error)', async () => {
    const host = document.createElement('iframe');
    host.srcdoc = `<!doctype html><html><head><title>builder</title></head><body>
<script>window.errors = []; var e = console.error; console.error = function (m) { window.errors.push(String(m)); e.apply(console, arguments); };
document.addEventListener('twt-bootstrap-failed', function (ev) { window.errors.push('bootstrap_failed ' + ev.detail.reason); });
document.addEventListener('twt-bridge-ready', function () { window.ready = true; });</script>
<script src="/dist/install/core.js?version=v1.2"></script>
<twt-chat-widget appid="demo" server="${W}"></twt-chat-widget>
</body></html>`;
    document.body.append(host);
    const win = host.contentWindow as any;
    await until(() => win.ready, 'bridge_ready on the builder page', { timeout: 8000 });
    expect(win.ready).to.equal(true);
    expect(win.errors).to.deep.equal([]);
    expect(host.contentDocument!.querySelectorAll('twt-chat-widget').length).to.equal(1);
    expect(host.contentDocument!.querySelectorAll('iframe[data-twt-widget-surface="panel"]').length).to.equal(1);
    expect(win.TWTChatWidget.get('sdk_info').scriptTagVersion).to.equal('v1.2');
    host.remove();
  });

  it('a host page with a polluted Object.prototype: config and payloads stay clean', async () => {
    const proto = Object.prototype as any;
    proto.launcher = 'custom';
    proto.theme = 'dark';
    proto.count = 99;
    try {
      const el = await bootWidget();
      expect(frame('launcher')).to.exist;
      expect(el.themeSetting).to.equal('light');
      expect(el.unreadCount).to.equal(0);
    } finally {
      delete proto.launcher;
      delete proto.theme;
      delete proto.count;
    }
  });

  it('iframe_loaded never precedes initialized', async () => {
    const order: string[] = [];
    const el = document.createElement('twt-chat-widget');
    el.setAttribute('appid', 'demo');
    el.setAttribute('server', W);
    el.addEventListener('twt-initialized', () => order.push('initialized'));
    el.addEventListener('twt-iframe-loaded', (e) => order.push((e as CustomEvent).detail.surface));
    const loaded = next(el, 'runtime_activated');
    document.body.append(el);
    await loaded;
    expect(order[0]).to.equal('initialized');
  });
});
