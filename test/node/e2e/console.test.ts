/**
 * End-to-end: the agent console (/console/ on the widget server) makes the
 * demo two-sided. An agent signs in (the demo admin) in one page; a visitor
 * writes from the standard install demo (host site, another origin) in
 * another; the conversation shows up live in the console with an unread
 * badge, the agent reads and answers there, and the visitor's panel shows it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, withPage, waitForEvent, openChatAndSay, panelShows, unique, DEMO_ADMIN, fillConsoleSignIn as signIn } from '../../helpers/e2e/harness.js';

const T = { timeout: 60_000 };
const e2e = e2eHarness();

describe('e2e: agent console', { timeout: 180_000 }, () => {
  it('a visitor message appears live with an unread badge; the agent reads it and replies; the visitor sees the reply', T, async () => {
    await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, agent) => {
      await signIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
      // Signed in and live (the agent socket answered `ready`) before the visitor writes, so what follows is live, not a reload.
      await con.getByRole('status').getByText('online', { exact: true }).waitFor();
      assert.equal(await con.getByLabel('Password').count(), 0, 'the sign-in form is gone');

      await withPage(e2e, '/demo/install.html', async (page, visitor) => {
        await waitForEvent(page, 'initialized');
        const auth = await waitForEvent(page, 'visitor_auth_ready');
        const visitorUid: string = auth.detail.visitorUid;
        assert.ok(visitorUid, 'visitor_auth_ready names the visitor');
        const hello = await openChatAndSay(page, 'hello from the visitor');

        // The console's list, updated over its socket: this visitor's conversation with the message as preview and a badge.
        const row = con.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: visitorUid });
        await row.filter({ hasText: hello }).waitFor();
        const badge = row.locator('.badge');
        await badge.waitFor();
        assert.equal((await badge.textContent())?.trim(), '1', 'one unread message');
        assert.equal(await badge.getAttribute('aria-label'), '1 unread');

        // Open it: the message is there, the badge goes, the server records the agent's read.
        await row.click();
        const thread = con.getByRole('list', { name: 'Messages' });
        await thread.getByText(hello, { exact: true }).waitFor();
        assert.equal(await row.locator('.badge').count(), 0, 'no badge on the open conversation');
        const conv = (await e2e.agent.conversations()).find((c) => c.lastMessage?.text === hello);
        assert.ok(conv, 'the REST API knows the conversation');

        // Reply from the console (typed, sent with Enter).
        const reply = unique('hi, an agent here');
        const box = con.getByRole('textbox', { name: 'Reply' });
        await box.fill(reply);
        await box.press('Enter');
        await thread.getByText(reply, { exact: true }).waitFor();
        assert.equal(await box.inputValue(), '', 'the reply box is cleared after sending');

        await panelShows(page, reply);
        const stored = await e2e.agent.messages(conv.id);
        assert.deepEqual(
          stored.map((m) => [m.author, m.text]),
          [
            ['visitor', hello],
            ['agent', reply],
          ],
          'stored once each, in order',
        );
        // Still one row for this visitor, now previewing the reply, with no badge (agent messages are not unread for the agent).
        await row.filter({ hasText: reply }).waitFor();
        assert.equal(await row.count(), 1);
        assert.equal(await con.locator('[role="alert"]').count(), 0, 'no error in the console');
        agent.assertNoUnexpectedErrors();
        visitor.assertNoUnexpectedErrors();
      });
    });
  });

  it('a wrong password: a clear error, the sign-in form again, and no conversation is shown', T, async () => {
    // A conversation exists, so "nothing else" is meaningful.
    await withPage(e2e, '/demo/install.html', async (page, visitor) => {
      const secret = await openChatAndSay(page, 'not for strangers');
      await e2e.agent.waitForVisitorMessage(secret);

      await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, agent) => {
        await signIn(con, DEMO_ADMIN.email, 'wrong-password');
        const alert = con.getByRole('alert');
        await alert.waitFor();
        assert.match((await alert.textContent()) ?? '', /wrong email or password/i, 'the error says what is wrong');
        // Still the sign-in form, nothing from the store.
        await con.getByLabel('Password').waitFor();
        await con.waitForTimeout(500);
        assert.equal(await con.getByRole('region', { name: 'Conversations' }).count(), 0, 'no conversation list');
        assert.equal(await con.getByText(secret).count(), 0, 'no visitor message');
        assert.equal(await con.getByRole('button', { name: 'Sign out' }).count(), 0);
        assert.deepEqual(await agent.context.cookies(), [], 'no session cookie');

        // The right password still works on the same page afterwards.
        await signIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
        await con.getByText(secret).first().waitFor();
        assert.equal(await con.getByRole('alert').count(), 0, 'the error is gone after a good sign-in');
        // …including once a conversation is open (the reply form shows errors there too).
        await con.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: secret }).click();
        await con.getByRole('list', { name: 'Messages' }).getByText(secret, { exact: true }).waitFor();
        assert.equal(await con.getByRole('alert').count(), 0, 'no stale sign-in error next to the reply form');
        // The refused request is logged by Chromium as a failed resource (401); nothing else may be.
        agent.assertNoUnexpectedErrors([/status of 401/]);
        visitor.assertNoUnexpectedErrors();
      });
    });
  });
});
