/**
 * End-to-end: real network loss (RELIABILITY.md 19-22). Playwright's
 * `context.setOffline` drives Chromium's network emulation, which also fires
 * `offline`/`online` in every frame, the panel's cross-origin iframe included.
 *
 * Chromium's emulation does NOT close a WebSocket that is already open: frames
 * written into it are held and delivered when the network is back (checked
 * with the panel before it listened to `offline`). A real dead link behaves
 * worse (frames lost, nothing noticed until the ping times out), so the panel
 * drops its socket on `offline`. The second test additionally takes the
 * server down while offline (a restart), so the socket is gone for sure and
 * the reconnect after `online` is a real new socket that must resume.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eHarness, withPage, waitForEvent, clickLauncher, visitorSend, panelShows, surface, events, unique, until } from '../../helpers/e2e/harness.js';

const T = { timeout: 60_000 };
/** Chromium logs each WebSocket attempt refused by the emulated offline network; expected here. */
const OFFLINE_NOISE = [/ERR_INTERNET_DISCONNECTED/];
const e2e = e2eHarness();

/** A visitor message in the panel: the pending ("Sending…") bubble, or the stored one ("Sent"). */
const bubble = (page: Page, text: string) => surface(page, 'panel').locator('li.msg.visitor').filter({ hasText: text });
const pendingBubble = (page: Page, text: string) => surface(page, 'panel').locator('li.msg.visitor.pending').filter({ hasText: text });
const sentBubble = (page: Page, text: string) => surface(page, 'panel').locator('li.msg.visitor[data-seq]').filter({ hasText: text });
const banner = (page: Page) => surface(page, 'panel').locator('.banner[role="status"]');
const statuses = async (page: Page, since: number) => (await events(page, 'connection_state_changed')).filter((e) => e.t >= since).map((e) => e.detail.status as string);

/** The install demo, maximized and connected, with one message sent online; returns its conversation id. */
async function connectedPanel(page: Page): Promise<string> {
  await clickLauncher(page);
  await waitForEvent(page, 'session_connected');
  const first = unique('before the network goes');
  await visitorSend(page, first);
  await sentBubble(page, first).waitFor();
  return (await e2e.agent.waitForVisitorMessage(first)).id;
}

/** Types two messages while offline; both must stay on screen as pending, and the server must not have them. */
async function typeTwoWhileOffline(page: Page, conversationId: string): Promise<[string, string]> {
  const a = unique('offline one');
  const b = unique('offline two');
  await visitorSend(page, a);
  await visitorSend(page, b);
  for (const t of [a, b]) {
    await pendingBubble(page, t).waitFor();
    assert.match((await pendingBubble(page, t).textContent()) ?? '', /Sending…/, `"${t}" is shown as pending`);
    assert.equal(await pendingBubble(page, t).locator('.failed-text').count(), 0, `"${t}" is not marked failed`);
  }
  await page.waitForTimeout(500);
  const stored = (await e2e.agent.messages(conversationId)).map((m) => m.text);
  assert.ok(!stored.includes(a) && !stored.includes(b), 'nothing reached the server while offline');
  return [a, b];
}

/** Both delivered exactly once, in order, after the earlier messages; the panel shows them sent, nothing pending. */
async function assertDeliveredOnce(page: Page, conversationId: string, [a, b]: [string, string]): Promise<void> {
  await sentBubble(page, b).waitFor();
  await sentBubble(page, a).waitFor();
  await until(async () => (await surface(page, 'panel').locator('li.msg.pending').count()) === 0, 'no pending bubble left');
  for (const t of [a, b]) assert.equal(await bubble(page, t).count(), 1, `"${t}" shown once`);
  // Ordering sentinel: a message sent now goes over the same socket as any duplicate resend would, so once the
  // server has it, a duplicate would have been stored before it.
  const sentinel = unique('after the resends');
  await visitorSend(page, sentinel);
  await e2e.agent.waitForVisitorMessage(sentinel);
  const visitorTexts = (await e2e.agent.messages(conversationId)).filter((m) => m.author === 'visitor').map((m) => m.text);
  assert.equal(visitorTexts.filter((t) => t === a).length, 1, `"${a}" stored once`);
  assert.equal(visitorTexts.filter((t) => t === b).length, 1, `"${b}" stored once`);
  assert.deepEqual(visitorTexts.slice(-3), [a, b, sentinel], 'stored in the order typed, after the earlier messages');
}

describe('e2e: offline and back', { timeout: 180_000 }, () => {
  it('network lost: banner and connection_state_changed say so; two messages typed offline stay pending; back online: one reconnect, each stored once, in order', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      const { context } = p;
      const conversationId = await connectedPanel(page);
      assert.equal(await banner(page).count(), 0, 'no banner while connected');
      const t0 = Date.now();
      await context.setOffline(true);
      await banner(page).getByText('You are offline').waitFor({ timeout: 5_000 });
      await waitForEvent(page, 'session_disconnected', {}, 5_000);
      assert.equal((await statuses(page, t0))[0], 'disconnected', 'connection_state_changed reports the loss at once');

      const pair = await typeTwoWhileOffline(page, conversationId);
      await page.waitForTimeout(1500); // a few failed attempts while offline: none may deliver or drop anything
      const tOnline = Date.now();
      await context.setOffline(false);
      await assertDeliveredOnce(page, conversationId, pair);
      await banner(page).waitFor({ state: 'detached' });
      const after = await statuses(page, tOnline);
      assert.equal(after.filter((s) => s === 'connected').length, 1, `one reconnect after online (statuses ${after.join(' → ')})`);
      // That `online` cuts the backoff wait short is checked with an injectable clock in src/runtime/session.test.ts,
      // not by wall-clock time here.
      p.assertNoUnexpectedErrors(OFFLINE_NOISE);
    });
  });

  it('network lost and the server restarted meanwhile: messages typed offline are resent on the new socket once, in order; the agent reply arrives', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      const { context } = p;
      const conversationId = await connectedPanel(page);
      await context.setOffline(true);
      await banner(page).waitFor({ timeout: 5_000 });
      // Whatever the emulation left open, the server side is gone now.
      await e2e.restartServer(300);
      const pair = await typeTwoWhileOffline(page, conversationId);
      const tOnline = Date.now();
      await context.setOffline(false);
      await assertDeliveredOnce(page, conversationId, pair);
      const after = await statuses(page, tOnline);
      assert.equal(after.filter((s) => s === 'connected').length, 1, `one reconnect after online (statuses ${after.join(' → ')})`);
      // The new socket is live both ways.
      const reply = unique('got both, thanks');
      await e2e.agent.reply(conversationId, reply);
      await panelShows(page, reply);
      p.assertNoUnexpectedErrors(OFFLINE_NOISE);
    });
  });
});
