/**
 * End-to-end: away hours and a new conversation, in Chromium against the real server. An admin gives the demo app
 * business hours that are closed now (only tomorrow, in UTC); the visitor's panel says when the team is back and
 * asks for an email; the visitor writes (the message is stored as always) and leaves an email; the agent console,
 * open meanwhile, shows the email on the row live and on the conversation. Then the visitor starts a new
 * conversation from past conversations: the next message goes there, a new row for the agents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openChatAndSay, surface, unique, until, visitorSend, withPage } from '../../helpers/e2e/harness.js';
import { WEEKDAYS } from '../../../src/shared/business-hours.js';

const e2e = e2eHarness();

describe('e2e: away hours and a new conversation', { timeout: 240_000 }, () => {
  it('closed hours: the panel says when the team is back, takes a message and an email; the console shows the email live; then a new conversation', { timeout: 200_000 }, async () => {
    // Open only tomorrow (UTC): closed now, whatever the time of day.
    // WEEKDAYS starts on Monday, getUTCDay() on Sunday (0): today is WEEKDAYS[getUTCDay() - 1], tomorrow WEEKDAYS[getUTCDay()].
    const tomorrow = WEEKDAYS[new Date().getUTCDay()]!;
    const set = await e2e.agent.request('POST', '/v1/agent/admin/apps/demo', { hours: { timeZone: 'UTC', week: { [tomorrow]: [{ from: '09:00', to: '17:00' }] } } });
    assert.equal(set.app.hours.timeZone, 'UTC');
    try {
      await withPage(e2e, '/demo/install.html', async (page) => {
        const hello = await openChatAndSay(page, 'Away test');
        const panel = surface(page, 'panel');
        await panel.getByText(/^We're back /).waitFor();
        await panel.getByText('Your messages are kept and answered when we are back.').waitFor();
        const conversation = await e2e.agent.waitForVisitorMessage(hello);

        await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con) => {
          await fillConsoleSignIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
          const rows = con.getByRole('region', { name: 'Conversations' });
          const row = rows.getByRole('button').filter({ hasText: hello });
          await row.waitFor();

          // A typo is caught in the panel; the real address is stored and reaches the open console live.
          const email = panel.getByLabel('Leave your email and we will follow up:');
          await email.fill('visitor@example');
          await panel.getByRole('button', { name: 'Save' }).click();
          await panel.getByRole('alert').filter({ hasText: 'Please enter a valid email address.' }).waitFor();
          await email.fill('visitor@example.com');
          await panel.getByRole('button', { name: 'Save' }).click();
          await panel.getByText("We'll follow up at visitor@example.com.").waitFor();
          await row.getByText('Email: visitor@example.com').waitFor();
          const stored = await until(async () => (await e2e.agent.conversations()).find((c) => c.id === conversation.id && c.followUpEmail), 'the agent API to show the email');
          assert.equal(stored.followUpEmail, 'visitor@example.com');
          await row.click();
          await con.getByText('Left an email while you were away:').waitFor();
          assert.equal(await con.getByText('Left an email while you were away:').getByRole('link', { name: 'visitor@example.com' }).getAttribute('href'), 'mailto:visitor%40example.com');
          // The visitor panel beside the conversation shows it too.
          const visitorPanel = con.getByRole('complementary', { name: 'Visitor' });
          assert.equal(await visitorPanel.getByRole('link', { name: 'visitor@example.com' }).getAttribute('href'), 'mailto:visitor%40example.com');

          // A new conversation, from past conversations: the chat starts empty and the next message goes there.
          await panel.getByRole('button', { name: 'Past conversations' }).click();
          await panel.getByRole('button', { name: 'Start a new conversation' }).click();
          await panel.getByRole('button', { name: 'Past conversations' }).waitFor();
          await until(async () => !(await panel.locator('.list').textContent())?.includes(hello), 'the live chat to be the new, empty conversation');
          const second = unique('Second question');
          await visitorSend(page, second);
          const next = await e2e.agent.waitForVisitorMessage(second);
          assert.notEqual(next.id, conversation.id);
          assert.equal(next.lastSeq, 1);
          assert.equal(next.followUpEmail, null, 'the email was left on the first conversation');
          await rows.getByRole('button').filter({ hasText: second }).waitFor();
          await row.waitFor(); // the first conversation keeps its row
          // The away notice asks again for the new conversation (no email on it yet).
          await panel.getByLabel('Leave your email and we will follow up:').waitFor();
        });
      });
    } finally {
      await e2e.agent.request('POST', '/v1/agent/admin/apps/demo', { hours: null });
    }
  });
});
