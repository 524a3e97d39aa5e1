// The panel's side of the visitor context: the environment it derives (userAgentData, else a UA parse), the
// checks of a page_view (shared with the server), and the session forwarding pages and the environment to the
// socket: the current page after every `ready`, a change at once, the same page once, the environment once.
import { expect } from '@open-wc/testing';
import { browserAndOs, visitorEnvironment } from './environment.js';
import { checkPageView, cleanEnvironment } from '../shared/visitor-context.js';
import { PanelSession } from './panel-session.js';
import { FakeWebSocket, fakeFetch, sleep, until } from '../../test/helpers/browser/runtime-doubles.js';

describe('visitor environment', () => {
  it('reads userAgentData where there is one: the named brand before the engine, GREASE brands never', () => {
    const brands = [
      { brand: 'Not/A)Brand', version: '8' },
      { brand: 'Chromium', version: '126' },
      { brand: 'Google Chrome', version: '126' },
    ];
    expect(browserAndOs({ userAgent: '', userAgentData: { brands, platform: 'macOS' } })).to.deep.equal({ browser: 'Chrome 126', os: 'macOS' });
    expect(browserAndOs({ userAgent: '', userAgentData: { brands: [...brands, { brand: 'Microsoft Edge', version: '125' }], platform: 'Windows' } })).to.deep.equal({ browser: 'Edge 125', os: 'Windows' });
    expect(browserAndOs({ userAgent: '', userAgentData: { brands: [{ brand: 'Chromium', version: '120' }], platform: 'Chrome OS' } })).to.deep.equal({ browser: 'Chromium 120', os: 'ChromeOS' });
  });

  it('parses the user-agent string elsewhere (Firefox, Safari, iOS, Android)', () => {
    const ua = (userAgent: string) => browserAndOs({ userAgent });
    expect(ua('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0')).to.deep.equal({ browser: 'Firefox 127', os: 'Windows' });
    expect(ua('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15')).to.deep.equal({ browser: 'Safari 17', os: 'macOS' });
    expect(ua('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).to.deep.equal({ browser: 'Safari 17', os: 'iOS' });
    expect(ua('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36')).to.deep.equal({ browser: 'Chrome 126', os: 'Android' });
    expect(ua('')).to.deep.equal({});
  });

  it('this browser: every field passes the server-side cleaning unchanged', () => {
    const env = visitorEnvironment();
    expect(env.browser).to.match(/^Chrom/);
    expect(env.timeZone).to.be.a('string');
    expect(cleanEnvironment(env)).to.deep.equal(env);
  });

  it('checkPageView: http(s) only, capped, no credentials; titles cleaned', () => {
    expect(checkPageView({ url: 'https://shop.example/a', title: 'A\u0000\n' })).to.deep.equal({ url: 'https://shop.example/a', title: 'A' });
    expect(checkPageView({ url: 'https://shop.example/a' })).to.deep.equal({ url: 'https://shop.example/a', title: '' });
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://x/', '/rel', 'https://u:p@x.example/', 'https://x.example/\n', 'https://x.example/' + 'a'.repeat(2000), 42]) {
      expect(checkPageView({ url, title: '' })).to.be.a('string', String(url).slice(0, 30));
    }
    expect(checkPageView(null)).to.be.a('string');
    expect(checkPageView([])).to.be.a('string');
  });
});

describe('PanelSession forwards pages and the environment', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('sends the page known at `ready`, each new page at once, the same page once, and the environment once per session', async () => {
    const f = fakeFetch();
    const s = new PanelSession({
      boot: { appid: 'demo', hostOrigin: 'http://localhost:8000', locale: 'en', theme: 'light', visibility: 'minimized', sdkVersion: 't', scriptTagVersion: 'v1.2' },
      server: 'http://w.test',
      emit: () => {},
      fetch: f.fetch,
      WebSocket: FakeWebSocket,
      random: () => 0,
      win: new EventTarget() as unknown as Window,
      storage: null,
      environment: () => ({ browser: 'Test 1', timeZone: 'Europe/Paris' }),
    });
    // Before the socket: kept for `ready`.
    s.reportPage({ url: 'https://shop.example/', title: 'Home' });
    await s.start();
    const ready = async (n: number) => {
      await until(() => FakeWebSocket.instances.length === n, `socket ${n}`);
      const ws = FakeWebSocket.latest;
      ws.open();
      ws.receive({ type: 'ready', conversationId: 'c1', lastSeq: 0, visitorReadSeq: 0, unread: 0, agentsOnline: 0 });
      await sleep(0);
      return ws;
    };
    const ws = await ready(1);
    const ours = (w: FakeWebSocket) => w.sent.filter((x) => x.type === 'page' || x.type === 'env');
    expect(ours(ws)).to.deep.equal([
      { type: 'env', browser: 'Test 1', timeZone: 'Europe/Paris' },
      { type: 'page', url: 'https://shop.example/', title: 'Home' },
    ]);
    s.reportPage({ url: 'https://shop.example/', title: 'Home' });
    s.reportPage({ url: 'https://shop.example/cart', title: 'Cart' });
    expect(ours(ws).slice(2)).to.deep.equal([{ type: 'page', url: 'https://shop.example/cart', title: 'Cart' }]);
    // A new socket (reconnect): the current page again, the environment not.
    ws.close(1006);
    const again = await ready(2);
    expect(ours(again)).to.deep.equal([{ type: 'page', url: 'https://shop.example/cart', title: 'Cart' }]);
    s.dispose();
  });
});
