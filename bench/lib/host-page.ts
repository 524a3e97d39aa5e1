/**
 * The host page of the browser bench: a plain article page on its own origin
 * (http://localhost:<port>) that installs the widget with the spec's snippet,
 * loading core.js from the widget server (http://127.0.0.1:<port>), so host
 * and widget are different origins as in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** Serves the host page on 127.0.0.1 (addressed as localhost); closes with the returned function. */
export async function startHostServer(widgetOrigin: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/nowidget') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(hostPageHtml(widgetOrigin, { widget: path === '/' }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://localhost:${port}`,
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
