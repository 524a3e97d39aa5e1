/**
 * End-to-end: an admin deletes a conversation while its visitor's panel and two agents' consoles have it open, in
 * Chromium against the real server. The panel shows none of it any more (no message, no file), keeps what the
 * visitor was writing, and what the visitor sends next starts another conversation; the other agent's console
 * drops the row and closes the conversation it had open, and so does the deleting admin's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openChatAndSay, openPage, panelShows, surface, unique, until, visitorSend, withPage, type OpenedPage } from '../../helpers/e2e/harness.js';
import { png } from '../../helpers/attachment-files.js';

const e2e = e2eHarness();
const BOB = { email: 'bob.delete@example.test', name: 'Bob', password: 'bob-delete-password' };

async function openConsole(agent: { email: string; password: string }): Promise<OpenedPage> {
  const opened = await openPage(e2e, `${e2e.widgetUrl}/console/`);
  await fillConsoleSignIn(opened.page, agent.email, agent.password);
  await opened.page.getByRole('status').getByText('online', { exact: true }).waitFor();
  return opened;
}
const row = (page: Page, text: string) => page.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: text });

describe('e2e: deleting a conversation', { timeout: 240_000 }, () => {
  it('the open panel shows none of it, and the consoles drop it live', { timeout: 200_000 }, async () => {
    await e2e.createAgentAccount({ ...BOB, appid: 'demo' });
    const admin = await openConsole(DEMO_ADMIN);
    const bob = await openConsole(BOB);
    try {
      await withPage(e2e, '/demo/install.html', async (page) => {
        const hello = await openChatAndSay(page, 'Delete me');
        const conversation = await e2e.agent.waitForVisitorMessage(hello);
        const panel = surface(page, 'panel');
        // A file, and an agent's answer: all of it is on screen.
        await panel.locator('#files').setInputFiles([{ name: 'id-card.png', mimeType: 'image/png', buffer: Buffer.from(png(20, 10)) }]);
        await until(async () => (await panel.getByRole('list', { name: 'Files to send' }).locator('progress').count()) === 0, 'the upload to finish');
        await panel.getByRole('button', { name: 'Send' }).click();
        await panel.getByRole('img', { name: 'id-card.png' }).waitFor();
        const answer = unique('Your card is on file');
        await e2e.agent.reply(conversation.id, answer);
        await panelShows(page, answer);
        // Both consoles list it; Bob has it open.
        for (const c of [admin.page, bob.page]) await row(c, answer).waitFor();
        await row(bob.page, answer).click();
        await bob.page.getByRole('list', { name: 'Messages' }).getByText(hello).waitFor();
        // The visitor is writing something, not sent yet.
        const draft = 'and one more thing';
        await panel.locator('textarea').first().fill(draft);

        await e2e.agent.request('POST', `/v1/agent/conversations/${conversation.id}/delete`, {});

        // The panel: nothing of it (no message, no file), the draft still in the composer.
        await until(async () => (await panel.getByText(hello).count()) + (await panel.getByText(answer).count()) + (await panel.getByRole('img', { name: 'id-card.png' }).count()) === 0, 'the panel to show none of the deleted conversation');
        assert.equal(await panel.locator('textarea').first().inputValue(), draft);
        // The consoles: the row gone live; Bob's open conversation closed.
        for (const c of [admin.page, bob.page]) await row(c, answer).waitFor({ state: 'detached' });
        await bob.page.getByText('Select a conversation').waitFor();
        assert.equal(await bob.page.getByRole('list', { name: 'Messages' }).count(), 0);

        // What the visitor sends now goes into another conversation, which both consoles get.
        const next = unique('A fresh start');
        await visitorSend(page, next);
        await panelShows(page, next);
        const fresh = await e2e.agent.waitForVisitorMessage(next);
        assert.notEqual(fresh.id, conversation.id);
        assert.deepEqual((await e2e.agent.messages(fresh.id)).map((m) => m.text), [next]);
        for (const c of [admin.page, bob.page]) await row(c, next).waitFor();
        assert.equal(await panel.getByText(hello).count(), 0);
      });
    } finally {
      await admin.close();
      await bob.close();
    }
  });
});
