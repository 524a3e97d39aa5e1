// Takes the README's inbox screenshot, docs/inbox.png: the agent console
// under /console/ with a few conversations, as a support team sees it.
//
//   npm run build && node --import tsx scripts/inbox-screenshot.mjs [out.png]
//
// Everything is real and local: the chat server (startServer, fresh PGlite
// dir, seeded demo app and agent), visitors that open real sessions and write
// over the visitor WebSocket, a second agent (Maya) whose socket says she is
// viewing the open conversation, canned replies made through the agent API,
// and the console signed in as the seeded demo admin in Debian's Chromium.
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { startServer } from '../server/app.ts';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from '../server/config.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'docs', 'inbox.png'));
const AGENT_KEY = 'demo-agent-key';
const MAYA_KEY = 'screenshot-maya-key';
const TIMEOUT = 20_000;

/** Who writes, what, and what the team did with it. */
const VISITORS = [
  {
    profile: { name: 'Sofia Martins', email: 'sofia.martins@example.com' },
    env: { browser: 'Firefox 133', os: 'macOS', timeZone: 'Europe/Lisbon', screen: '1512x982' },
    pages: [
      { url: 'http://localhost:8000/shop/trail-runners', title: 'Trail runners — Brightpath' },
      { url: 'http://localhost:8000/account/orders/4821', title: 'Order #4821 — Brightpath' },
    ],
    says: ['Hi! My order #4821 still says “processing”.', 'It was supposed to ship on Monday — can you check?'] },
  { profile: { email: 'liam@brightpath.example' }, says: ['Do you offer team pricing for 25 seats?'], reply: 'We do: 20 % off from 10 seats. I can send you a quote today.', assign: 'maya', then: 'Great, please send it over.' },
  { profile: { nickname: 'kenji' }, says: ['Is the Trailhead 40 pack carry-on size?'], reply: 'Yes, 55 × 35 × 20 cm: it fits most airlines’ cabin limits.', assign: 'me', offline: true },
  { profile: {}, says: ['How do I change the delivery address of an order?'] },
  { profile: { name: 'Amara Okafor' }, says: ['The replacement strap arrived, thanks!'], reply: 'Glad to hear it, enjoy the trail!', resolve: true, offline: true },
];

async function call(base, key, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
  return data;
}

/** A socket that resolves `next(pred)` with the first frame matching it. */
function socket(url) {
  const ws = new WebSocket(url);
  const frames = [];
  const waiters = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()));
    for (const w of waiters.splice(0)) w();
  });
  const next = async (pred) => {
    const end = Date.now() + TIMEOUT;
    for (;;) {
      const f = frames.find(pred);
      if (f) return f;
      if (Date.now() > end) throw new Error(`inbox screenshot: no frame matched; got ${JSON.stringify(frames)}`);
      await new Promise((ok) => {
        waiters.push(ok);
        setTimeout(ok, 200);
      });
    }
  };
  return new Promise((ok, fail) => {
    ws.once('open', () => ok({ ws, next, send: (f) => ws.send(JSON.stringify(f)) }));
    ws.once('error', fail);
  });
}

export async function takeInboxScreenshot(out = OUT) {
  if (!existsSync(join(ROOT, 'dist', 'console', 'index.html'))) throw new Error('dist/ is missing: run "npm run build" first');
  const dataDir = await mkdtemp(join(tmpdir(), 'twt-inbox-shot-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seed: true, quiet: true });
  const wsBase = server.url.replace(/^http/, 'ws');
  const sockets = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    await server.data.agents.create({ name: 'Maya', key: MAYA_KEY, appid: null });
    const agents = await server.data.agents.list();
    const ids = { me: agents.find((a) => a.name === 'Demo Agent').id, maya: agents.find((a) => a.name === 'Maya').id };
    for (const [shortcut, text] of [
      ['thanks', 'Thanks for reaching out! Let me look into that for you.'],
      ['shipping', 'Orders ship within 2 business days; you get a tracking link by email.'],
      ['returns', 'Returns are free within 30 days: start one from your order page.'],
    ]) {
      await call(server.url, AGENT_KEY, 'POST', '/v1/agent/canned-replies', { appid: 'demo', shortcut, text });
    }
    // Oldest first, so the list shows them newest first.
    let first = '';
    for (const v of [...VISITORS].reverse()) {
      const session = await fetch(`${server.url}/v1/visitor/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appid: 'demo', hostOrigin: 'http://localhost:8000', profile: v.profile, locale: 'en' }),
      }).then((r) => r.json());
      const s = await socket(`${wsBase}/v1/ws`);
      sockets.push(s);
      s.send({ type: 'auth', token: session.token });
      const { conversationId } = await s.next((f) => f.type === 'ready');
      // What the panel reports from the host page: the visitor's environment and the pages of this visit.
      if (v.env) s.send({ type: 'env', ...v.env });
      for (const page of v.pages ?? []) s.send({ type: 'page', ...page });
      for (const [i, text] of v.says.entries()) {
        s.send({ type: 'send', clientId: `shot-${i}`, text });
        await s.next((f) => f.type === 'ack' && f.clientId === `shot-${i}`);
      }
      if (v.assign) await call(server.url, AGENT_KEY, 'POST', `/v1/agent/conversations/${conversationId}/assign`, { agentId: ids[v.assign] });
      if (v.reply) await call(server.url, v.assign === 'maya' ? MAYA_KEY : AGENT_KEY, 'POST', `/v1/agent/conversations/${conversationId}/messages`, { text: v.reply });
      if (v.then) {
        s.send({ type: 'send', clientId: 'shot-then', text: v.then });
        await s.next((f) => f.type === 'ack' && f.clientId === 'shot-then');
      }
      if (v.reply && !v.then) await call(server.url, AGENT_KEY, 'POST', `/v1/agent/conversations/${conversationId}/read`, {});
      if (v.resolve) await call(server.url, AGENT_KEY, 'POST', `/v1/agent/conversations/${conversationId}/resolve`, {});
      if (v.offline) s.ws.close();
      first = conversationId;
    }

    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1, locale: 'en-US', colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Email').fill(DEMO_ADMIN_EMAIL);
    await page.getByLabel('Password').fill(DEMO_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').getByText('online', { exact: true }).waitFor({ timeout: TIMEOUT });
    await page.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: 'Sofia Martins' }).click();
    await page.getByRole('list', { name: 'Messages' }).getByText('can you check?', { exact: false }).waitFor({ timeout: TIMEOUT });
    // Maya has the same conversation open.
    const maya = await socket(`${wsBase}/v1/agent/ws`);
    sockets.push(maya);
    maya.send({ type: 'auth', key: MAYA_KEY });
    await maya.next((f) => f.type === 'ready');
    maya.send({ type: 'viewing', conversationId: first });
    await page.getByText('Maya is viewing this conversation').waitFor({ timeout: TIMEOUT });
    // The composer offering canned replies.
    const box = page.getByRole('textbox', { name: 'Reply' });
    await box.click();
    await box.pressSequentially('/');
    await page.getByRole('listbox', { name: 'Canned replies' }).waitFor({ timeout: TIMEOUT });
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
    await mkdir(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    return out;
  } finally {
    for (const s of sockets) s.ws.close();
    await browser.close().catch(() => {});
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  takeInboxScreenshot().then(
    (file) => console.log(`wrote ${file}`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
