// Takes the README screenshot, docs/screenshot.png: the real widget on a host
// page, panel open, a short visitor/agent conversation.
//
//   npm run build && node --import tsx scripts/screenshot.mjs [out.png]
//
// Everything is real and local: the chat server (startServer, fresh PGlite dir,
// seeded demo app trusting localhost), a host page on http://localhost:<port>
// (a different origin from the widget server on 127.0.0.1, as in production)
// with the legacy snippet, Debian's Chromium through playwright-core, and the
// agent's reply sent through the REST API with the demo agent key.
// The host page is served with the strict Content-Security-Policy that
// docs/operating.md recommends (hostCsp); any CSP violation fails the run.
import { createServer } from 'node:http';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startServer } from '../server/app.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'docs', 'screenshot.png'));
const AGENT_KEY = 'demo-agent-key';
const TIMEOUT = 20_000;
const CONVERSATION = [
  ['visitor', 'Hi! Do you ship to Canada?'],
  ['agent', 'We do! Orders to Canada arrive in 3–5 business days, and shipping is free over $50.'],
  ['visitor', 'Perfect, thank you!'],
];

/** The CSP a host page needs for the widget (documented in docs/operating.md): no 'unsafe-inline' anywhere. */
export function hostCsp(widgetOrigin, nonce) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' ${widgetOrigin}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `connect-src 'self' ${widgetOrigin}`,
    `frame-src ${widgetOrigin}`,
  ].join('; ');
}

const hostPage = (widget, nonce) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Outfitters</title>
<style nonce="${nonce}">
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #f8fafc; }
  header { display: flex; align-items: center; gap: 32px; padding: 18px 48px; background: #fff; border-bottom: 1px solid #e5e7eb; }
  header b { font-size: 20px; color: #0f766e; }
  header nav a { margin-right: 20px; color: #475569; text-decoration: none; }
  main { padding: 56px 48px; max-width: 560px; }
  h1 { font-size: 40px; line-height: 1.15; margin: 0 0 16px; }
  p { color: #475569; }
  .cta { display: inline-block; margin-top: 16px; padding: 12px 22px; border-radius: 10px; background: #0f766e; color: #fff; text-decoration: none; }
  .cards { display: flex; gap: 16px; margin-top: 40px; }
  .cards div { width: 150px; height: 110px; border-radius: 12px; background: linear-gradient(135deg, #ccfbf1, #e0f2fe); }
</style>
</head>
<body>
<header><b>Northwind Outfitters</b><nav><a href="#">Shop</a><a href="#">Journal</a><a href="#">Help</a></nav></header>
<main>
  <h1>Gear for the long way round.</h1>
  <p>Packs, shells and camp kit built to last, shipped worldwide. Questions about sizing or delivery? Our team is online.</p>
  <a class="cta" href="#">Shop the collection</a>
  <div class="cards"><div></div><div></div><div></div></div>
</main>
<script nonce="${nonce}">
  window.TWTChatWidget = window.TWTChatWidget || {
    _q: [],
    on: function () {
      this._q.push(["on", Array.prototype.slice.call(arguments)]);
    },
  };
  window.__twt = { appid: "demo", language: "en", theme: "light" };
  window.TWTChatWidget.on("runtime_activated", function () { window.__activated = true; });
  (function (n, t) {
    var s = t.createElement("script");
    s.async = !0;
    s.src = ${JSON.stringify(`${widget}/install/core.js?version=v1.2`)};
    t.head.appendChild(s);
  })(window, document);
</script>
</body>
</html>`;

async function agent(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${AGENT_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`agent API ${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
  return data;
}

/**
 * The demo agent's console socket, open while the shot is taken: the team is online, so the panel shows the
 * conversation and not the away notice (which appears when no agent is online).
 */
function agentOnline(base) {
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/v1/agent/ws');
  return new Promise((ok, fail) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', key: AGENT_KEY })));
    ws.on('message', (data) => JSON.parse(String(data)).type === 'ready' && ok(ws));
    ws.on('error', fail);
  });
}

async function until(what, check) {
  const end = Date.now() + TIMEOUT;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`screenshot: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function takeScreenshot(out = OUT) {
  if (!existsSync(join(ROOT, 'dist', 'install', 'core.js')) || !existsSync(join(ROOT, 'dist', 'widget', 'panel.html'))) {
    throw new Error('dist/ is missing: run "npm run build" first');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'twt-screenshot-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seed: true, quiet: true });
  const host = createServer((req, res) => {
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': hostCsp(server.url, nonce) });
    res.end(hostPage(server.url, nonce));
  });
  await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
  const hostUrl = `http://localhost:${host.address().port}/`;
  const online = await agentOnline(server.url);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1, locale: 'en-US', colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(hostUrl);
    await page.waitForFunction(() => window.__activated === true, null, { timeout: TIMEOUT });
    await page.evaluate(() => window.TWTChatWidget.call('maximize'));
    const panel = page.frameLocator('iframe[data-twt-widget-surface="panel"]');
    const composer = panel.locator('textarea').first();
    let conversationId = '';
    for (const [who, text] of CONVERSATION) {
      if (who === 'visitor') {
        await composer.waitFor({ state: 'visible', timeout: TIMEOUT });
        await composer.fill(text);
        await composer.press('Enter');
        conversationId ||= await until('the visitor message to reach the agent API', async () => {
          const { conversations } = await agent(server.url, 'GET', '/v1/agent/conversations');
          return conversations.find((c) => c.lastMessage?.text === text)?.id;
        });
      } else {
        await agent(server.url, 'POST', `/v1/agent/conversations/${encodeURIComponent(conversationId)}/messages`, { text });
      }
      await panel.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: TIMEOUT });
    }
    await agent(server.url, 'POST', `/v1/agent/conversations/${encodeURIComponent(conversationId)}/read`, {});
    await composer.evaluate((el) => el.blur());
    await page.waitForTimeout(600); // let the last message settle (scroll, send state)
    if (problems.length) throw new Error(`page errors or CSP violations: ${problems.join('; ')}`);
    await mkdir(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    return out;
  } finally {
    online.close();
    await browser.close().catch(() => {});
    await new Promise((ok) => host.close(ok));
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  takeScreenshot().then(
    (file) => console.log(`wrote ${file}`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
