/**
 * End-to-end: rating a resolved conversation, in Chromium against the real server. The visitor chats, an agent
 * resolves the conversation through the REST API, the visitor's panel offers a rating at once (the `status`
 * frame), the visitor picks 👍 and writes a comment; the agent API and the console (the conversation and its
 * list row in the Resolved view) show it. Then the visitor writes again from the same panel and the
 * conversation reopens; the panel's past conversations list it as the current one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openChatAndSay, surface, until, visitorSend, withPage } from '../../helpers/e2e/harness.js';

const e2e = e2eHarness();

describe('e2e: rating', { timeout: 240_000 }, () => {
  it('an agent resolves via the API; the visitor rates with a comment; the API and the console show it; writing again reopens', { timeout: 200_000 }, async () => {
    await withPage(e2e, '/demo/install.html', async (page) => {
      const hello = await openChatAndSay(page, 'Rating test');
      const conversation = await e2e.agent.waitForVisitorMessage(hello);
      await e2e.agent.request('POST', `/v1/agent/conversations/${encodeURIComponent(conversation.id)}/resolve`);

      // The panel offers the rating live, and the visitor rates.
      const panel = surface(page, 'panel');
      const form = panel.getByRole('form', { name: 'This conversation was resolved. How did we do?' });
      await form.waitFor();
      await form.getByRole('button', { name: 'Good' }).click();
      await form.getByLabel('Comment (optional)').fill('thanks!');
      await form.getByRole('button', { name: 'Send rating' }).click();
      // Its name is now the thanks.
      const thanked = panel.getByRole('form', { name: 'Thanks for your feedback!' });
      await thanked.waitFor();
      assert.equal(await thanked.getByRole('button', { name: 'Good' }).getAttribute('aria-pressed'), 'true');

      const rated = await until(async () => (await e2e.agent.conversations()).find((c) => c.id === conversation.id && c.rating), 'the agent API to show the rating');
      assert.equal(rated.rating.value, 'good');
      assert.equal(rated.rating.comment, 'thanks!');
      assert.equal(rated.status, 'resolved');

      // The console shows it on the conversation and in its row.
      await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con) => {
        await fillConsoleSignIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
        await con.getByRole('status').getByText('online', { exact: true }).waitFor();
        await con.getByRole('button', { name: /^Resolved/ }).click();
        const row = con.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: hello });
        await row.getByRole('img', { name: 'Rated good: “thanks!”' }).waitFor();
        await row.click();
        await con.getByText('Rated 👍 “thanks!”').waitFor();
      });

      // Writing again into the resolved conversation reopens it (the composer stayed usable); the offer goes away.
      await visitorSend(page, 'one more question');
      await until(async () => (await e2e.agent.conversations()).find((c) => c.id === conversation.id && c.status === 'open'), 'the conversation to reopen');
      await thanked.waitFor({ state: 'detached' });

      // Past conversations: this one, current, with its last message; back to the live chat.
      await panel.getByRole('button', { name: 'Past conversations' }).click();
      const history = panel.getByRole('list', { name: 'Past conversations' });
      await history.getByRole('button').filter({ hasText: 'one more question' }).filter({ hasText: 'Current' }).waitFor();
      await panel.getByRole('button', { name: '← Back to the chat' }).click();
      await panel.locator('#composer').waitFor();
    });
  });
});
