/**
 * End-to-end: the console's inbox rows follow `message` frames (the server sends no summary after an ordinary
 * message, server/agent-row-updates.ts), in Chromium against the real server. A visitor (a real socket from this
 * process) and a teammate (REST) write both ways: the row's last line, unread badge, waiting fact and place in
 * the list follow each message; a resolve moves it to Resolved and the visitor's next message brings it back to
 * Open. A conversation beyond the loaded page (210 seeded, the console holds 200) that gets a message is asked
 * for and shows complete at the top: never a row without its visitor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AGENT_KEY, DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openPage, unique, until } from '../../helpers/e2e/harness.js';
import { TestSocket } from '../../helpers/node/server.js';

const T = { timeout: 240_000 };
const e2e = e2eHarness();
const APP = 'rows-e2e';
const SEEDED = 210;

const list = (page: Page) => page.getByRole('region', { name: 'Conversations' });
const rowById = (page: Page, id: string) => list(page).locator(`button[data-id="${id}"]`);
/** The ids of the rows the list shows, top first. */
const rowIds = (page: Page) => list(page).locator('button[data-id]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.id!));

async function agentCall(path: string, body?: unknown): Promise<any> {
  const res = await fetch(e2e.widgetUrl + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${AGENT_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

/** A visitor of APP on a real socket (as the panel's runtime opens it). */
async function visitor(name: string) {
  const res = await fetch(e2e.widgetUrl + '/v1/visitor/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appid: APP, hostOrigin: 'http://localhost:8000', profile: { name } }),
  });
  const session = await res.json();
  assert.equal(res.status, 200, JSON.stringify(session));
  const socket = await TestSocket.open(e2e.widgetUrl.replace(/^http/, 'ws') + '/v1/ws');
  socket.send({ type: 'auth', token: session.token });
  const ready = await socket.waitFor((f) => f.type === 'ready');
  const say = async (text: string) => {
    const clientId = unique('c').replace(' ', '-');
    socket.send({ type: 'send', clientId, text });
    await socket.waitFor((f) => f.type === 'ack' && f.clientId === clientId);
  };
  return { id: ready.conversationId as string, socket, say };
}

describe('e2e: inbox rows from message frames', { timeout: 300_000 }, () => {
  it('last line, unread, waiting, order and view follow messages both ways, a reopen, and a row beyond the page', T, async () => {
    await e2e.createApp(APP, ['localhost']);
    const q = (sql: string) => e2e.server.data.store.query(sql);
    await q(`INSERT INTO visitors (uid, appid, bs, fkid, name) SELECT 'v_re' || g, '${APP}', 'bs_re' || g, 'fk_re' || g, 'Rows visitor ' || g FROM generate_series(1, ${SEEDED}) g`);
    await q(`INSERT INTO conversations (id, appid, visitor_id, last_seq, updated_at)
             SELECT 'c_re' || lpad(g::text, 4, '0'), '${APP}', v.id, 1, timestamptz '2020-01-01T00:00:00Z' + g * interval '1 second'
               FROM generate_series(1, ${SEEDED}) g JOIN visitors v ON v.uid = 'v_re' || g`);
    await q(`INSERT INTO messages (id, conversation_id, seq, author, text) SELECT 'm_re' || g, 'c_re' || lpad(g::text, 4, '0'), 1, 'visitor', 'old question ' || g FROM generate_series(1, ${SEEDED}) g`);

    const opened = await openPage(e2e, `${e2e.widgetUrl}/console/`, { context: { permissions: [] } });
    const p = opened.page;
    const v = await visitor('Row Tester');
    try {
      await fillConsoleSignIn(p, DEMO_ADMIN.email, DEMO_ADMIN.password);
      await p.getByRole('status').getByText('online', { exact: true }).waitFor();
      await p.getByRole('button', { name: 'Load more' }).waitFor();
      assert.equal(await rowById(p, 'c_re0005').count(), 0, 'beyond the loaded page');

      // Every label the row of c_re0005 is ever drawn with (each render of the inbox, seen by a MutationObserver).
      // (A string: the test's compiler would wrap named functions in helpers the page lacks.)
      await p.evaluate(`{
        const inbox = document.querySelector('twt-agent-console').shadowRoot
          ? document.querySelector('twt-agent-console').shadowRoot.querySelector('twt-inbox')
          : document.querySelector('twt-inbox');
        const seen = (window.__labels = []);
        new MutationObserver(() => {
          const b = inbox.shadowRoot.querySelector('button[data-id="c_re0005"]');
          if (b) seen.push(b.querySelector('.label')?.textContent ?? '');
        }).observe(inbox.shadowRoot, { subtree: true, childList: true, characterData: true });
      }`);

      // The first message: a new row at the top (the full summary), unread 1, waiting.
      const hello = unique('Hello there');
      await v.say(hello);
      const row = rowById(p, v.id);
      await row.filter({ hasText: hello }).waitFor();
      assert.equal((await rowIds(p))[0], v.id, 'the newest on top');
      await row.getByRole('img', { name: '1 unread' }).waitFor();
      assert.match(await row.innerText(), /Waiting/);

      // An ordinary visitor message (no summary): the line and the badge follow it.
      const more = unique('Any news on my order?');
      await v.say(more);
      await row.filter({ hasText: more }).waitFor();
      await row.getByRole('img', { name: '2 unread' }).waitFor();

      // A teammate answers (REST): the line is the answer, the wait is over, the unread count stays.
      const answer = unique('It ships today');
      await agentCall(`/v1/agent/conversations/${v.id}/messages`, { text: answer });
      await row.filter({ hasText: answer }).waitFor();
      await until(async () => !/Waiting/.test(await row.innerText()), 'the wait ended by the answer');
      await row.getByRole('img', { name: '2 unread' }).waitFor();

      // A message to a conversation beyond the loaded page: asked for, shown complete, on top.
      const late = unique('Following up on your old question');
      await agentCall('/v1/agent/conversations/c_re0005/messages', { text: late });
      const old = rowById(p, 'c_re0005');
      await old.filter({ hasText: late }).waitFor();
      assert.match(await old.innerText(), /Rows visitor 5/);
      await old.getByRole('img', { name: '1 unread' }).waitFor();
      assert.deepEqual((await rowIds(p)).slice(0, 2), ['c_re0005', v.id], 'it moved to the top, above the visitor’s');
      const labels = await p.evaluate(() => (window as unknown as { __labels: string[] }).__labels);
      assert.ok(labels.length > 0 && labels.every((l) => l === 'Rows visitor 5'), `never drawn without its visitor: ${JSON.stringify(labels)}`);

      // The visitor writes again: back on top.
      const third = unique('Great, thanks');
      await v.say(third);
      await row.filter({ hasText: third }).waitFor();
      await row.getByRole('img', { name: '3 unread' }).waitFor();
      assert.equal((await rowIds(p))[0], v.id);

      // Resolved by a teammate: it leaves Open, is in Resolved; the visitor's next message reopens it, back in Open.
      await agentCall(`/v1/agent/conversations/${v.id}/resolve`, {});
      await row.waitFor({ state: 'detached' });
      await p.getByRole('button', { name: /^Resolved/ }).click();
      await row.waitFor();
      const reopen = unique('One more question');
      await v.say(reopen);
      await row.waitFor({ state: 'detached' });
      await p.getByRole('button', { name: /^Open/ }).click();
      await row.filter({ hasText: reopen }).waitFor();
      assert.equal((await rowIds(p))[0], v.id);
      assert.doesNotMatch(await row.innerText(), /Resolved/);
      await row.getByRole('img', { name: '4 unread' }).waitFor();
      opened.assertNoUnexpectedErrors();
    } finally {
      v.socket.close();
      await opened.close();
    }
  });
});
