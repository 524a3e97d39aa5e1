/**
 * The host page of the browser bench: a plain article page on its own origin
 * (http://localhost:<port>) that installs the widget with the spec's snippet,
 * loading core.js from the widget server (http://127.0.0.1:<port>), so host
 * and widget are different origins as in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

const article = Array.from(
  { length: 12 },
  (_, i) => `<p>Paragraph ${i + 1}. A host page with ordinary content, so that any shift the widget caused in the page's own layout would show up as layout shift. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>`,
).join('\n');

/** The page; `widget: false` gives the same page without the snippet (the baseline). */
export function hostPageHtml(widgetOrigin: string, { widget = true } = {}): string {
  const snippet = `<!-- Start of snippet (as in the spec) -->
<script>
window.TWTChatWidget = window.TWTChatWidget || {
  _q: [],
  on: function () {
    this._q.push(["on", Array.prototype.slice.call(arguments)]);
  },
};
window.__twt = { appid: "demo" };
(function (n, t) {
  var e = {
    init: function () {
      var n = t.createElement("script");
      n.async = !0;
      n.type = "text/javascript";
      n.src = ${JSON.stringify(widgetOrigin + '/install/core.js?version=v1.2')};
      t.head.appendChild(n);
    },
  };
  e.init();
})(window, document);
</script>
<!-- End of snippet -->`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bench host page</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}</style>
${widget ? snippet : ''}
</head>
<body>
<h1>Bench host page</h1>
${article}
</body>
</html>`;
}

/**
 * The FLOOR: the least a cross-origin chat loader can do, hand-written. An async script (as the spec's
 * snippet loads core.js) inserts one iframe with a button in it; the frame says hello, the loader answers
 * with a MessageChannel port, the frame confirms over it. No config, no bootstrap request, no session: the
 * distance from our figures to these is what the widget's features cost over the physical limit.
 * The frame is served under /widget/ so the bench's instrumentation records its paint like our surfaces'.
 */
export const FLOOR_LOADER_PATH = '/floor/loader.js';
export const FLOOR_FRAME_PATH = '/widget/floor.html';
const FLOOR_LOADER = `(function () {
  var origin = new URL(document.currentScript.src).origin;
  var frame = document.createElement('iframe');
  frame.title = 'Chat';
  frame.src = origin + '${FLOOR_FRAME_PATH}#' + encodeURIComponent(location.origin);
  frame.style.cssText = 'position:fixed;right:20px;bottom:20px;width:64px;height:64px;border:0;z-index:2147483000;color-scheme:normal';
  addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow || e.data !== 'hello') return;
    var channel = new MessageChannel();
    channel.port1.onmessage = function () {
      document.dispatchEvent(new CustomEvent('twt-bridge-ready'));
    };
    frame.contentWindow.postMessage('connect', origin, [channel.port2]);
  });
  document.documentElement.appendChild(frame);
})();
`;
const FLOOR_FRAME = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Chat launcher</title>
<style>html,body{margin:0;background:transparent}button{width:60px;height:60px;border:0;border-radius:50%;background:#2563eb;color:#fff;font:600 24px system-ui;cursor:pointer}</style>
<button type="button" aria-label="Open chat">?</button>
<script>
var host = decodeURIComponent(location.hash.slice(1));
addEventListener('message', function (e) {
  if (e.origin === host && e.source === parent && e.data === 'connect') e.ports[0].postMessage('ready');
});
parent.postMessage('hello', host);
</script>
</html>
`;

/** The floor's own origin (127.0.0.1, as the widget server is): its loader script and its frame, compressed as ours are. */
export async function startFloorServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = path === FLOOR_LOADER_PATH ? FLOOR_LOADER : path === FLOOR_FRAME_PATH ? FLOOR_FRAME : null;
    if (body === null) return void res.writeHead(404).end();
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'content-type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(gzip ? gzipSync(body, { level: 9 }) : body);
  });
  return listen(server);
}

/** The same host page with the floor's loader instead of the widget's snippet. */
function floorPageHtml(floorOrigin: string): string {
  return hostPageHtml('', { widget: false }).replace('</head>', `<script async src=${JSON.stringify(floorOrigin + FLOOR_LOADER_PATH)}></script>\n</head>`);
}

/** Serves the host page on 127.0.0.1 (addressed as localhost): `/` with the widget, `/nowidget`, `/floor` with the floor's loader. */
export async function startHostServer(widgetOrigin: string, floorOrigin = ''): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/nowidget' || (path === '/floor' && floorOrigin)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(path === '/floor' ? floorPageHtml(floorOrigin) : hostPageHtml(widgetOrigin, { widget: path === '/' }));
    } else {
      res.writeHead(404).end();
    }
  });
  const { origin, close } = await listen(server);
  return { origin: origin.replace('127.0.0.1', 'localhost'), close };
}

async function listen(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/**
 * `n` destroy/init cycles through `TWTChatWidget` inside the page; each waits (10 s at most) for
 * the `twt-<event>` DOM event of the new widget. Resolves with how many cycles saw it.
 */
export async function destroyInitCycles(page: Page, n: number, event: string): Promise<number> {
  return page.evaluate(
    async ({ n, event }) => {
      const api = (window as any).TWTChatWidget;
      const wait = (ms: number) =>
        new Promise<boolean>((resolve) => {
          const h = () => {
            clearTimeout(t);
            resolve(true);
          };
          const t = setTimeout(() => {
            document.removeEventListener(`twt-${event}`, h, true);
            resolve(false);
          }, ms);
          document.addEventListener(`twt-${event}`, h, { capture: true, once: true });
        });
      let ok = 0;
      for (let i = 0; i < n; i++) {
        api.call('destroy');
        const p = wait(10_000);
        api.init();
        if (await p) ok++;
      }
      return ok;
    },
    { n, event },
  );
}
