/**
 * End-to-end, the widget against the real server when the server says no:
 * a message it cannot store (U+0000) is shown "Not sent" with Retry, never
 * "Sending…" forever; a socket whose token expires is closed by the server
 * and the widget gets a fresh token and carries on (short TTL, no clock).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eHarness, withPage, waitForEvent, events, clickLauncher, visitorSend, surface, unique } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };

const visitorBubble = (page: Page, text: string) => surface(page, 'panel').locator('li.msg.visitor').filter({ hasText: text });
const sentBubble = (page: Page, text: string) => surface(page, 'panel').locator('li.msg.visitor[data-seq]').filter({ hasText: text });

describe('e2e: a message the server refuses', { timeout: 300_000 }, () => {
  const e2e = e2eHarness();

  it('is shown "Not sent" with Retry; the message after it is sent', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      await clickLauncher(page);
      await waitForEvent(page, 'session_connected');
      const refused = unique('cannot be stored');
      await visitorSend(page, `${refused} \u0000 here`);
      // The ordering sentinel: frames are answered in order, so once this one is stored the refusal has arrived.
      const after = unique('sent after it');
      await visitorSend(page, after);
      await sentBubble(page, after).waitFor();
      const bubble = visitorBubble(page, refused);
      assert.equal(await bubble.locator('.failed-text').textContent(), 'Not sent');
      assert.ok(await bubble.locator('button.retry').isEnabled(), 'Retry is offered');
      assert.doesNotMatch((await bubble.textContent()) ?? '', /Sending/);
      // Nothing of it was stored.
      const conv = await e2e.agent.waitForVisitorMessage(after);
      assert.deepEqual(
        (await e2e.agent.messages(conv.id)).map((m) => m.text),
        [after],
      );
      p.assertNoUnexpectedErrors();
    });
  });
});

describe('e2e: the token expires while the socket is open', { timeout: 300_000 }, () => {
  // Tokens live 2 s: the server closes each socket at its token's expiry.
  const e2e = e2eHarness({ tokenTtlSeconds: 2 });

  it('the server closes it; the widget gets a fresh token, reconnects and the conversation goes on', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      await clickLauncher(page);
      await waitForEvent(page, 'session_connected');
      const first = unique('before expiry');
      await visitorSend(page, first);
      await sentBubble(page, first).waitFor();
      const conv = await e2e.agent.waitForVisitorMessage(first);
      // Closed at expiry, then connected again (with a fresh token: the old one is expired).
      await page.waitForFunction(
        () => ((window as any).__e2e?.events ?? []).filter((e: any) => e.name === 'connection_state_changed' && e.detail.status === 'connected').length >= 2,
        undefined,
        { polling: 50 },
      );
      const second = unique('after expiry');
      await visitorSend(page, second);
      await sentBubble(page, second).waitFor();
      assert.equal((await e2e.agent.waitForVisitorMessage(second)).id, conv.id, 'same conversation');
      assert.deepEqual(await events(page, 'auth_closed'), [], 'no auth_closed: the expiry is handled by the widget');
      const stored = (await e2e.agent.messages(conv.id)).map((m) => m.text);
      assert.deepEqual(stored, [first, second]);
      p.assertNoUnexpectedErrors();
    });
  });
});
