/**
 * End-to-end: signing in to the agent console (/console/ on the widget
 * server) with email and password in Chromium against the real server. The
 * demo admin signs in and out; a wrong password is announced; the admin adds
 * an agent in the admin screens, who then signs in, sees the inbox without
 * the admin entry, and is refused by the admin API, until the admin deactivates
 * her (her open console goes back to the sign-in form); the admin sets an
 * avatar (a non-image is refused); the form fits 360 px.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eHarness, withPage, unique, DEMO_ADMIN } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };
const e2e = e2eHarness();

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signed in: the inbox and its live socket (`online`). */
async function inboxShown(page: Page): Promise<void> {
  await page.getByRole('status').getByText('online', { exact: true }).waitFor();
}

describe('e2e: console sign-in', { timeout: 300_000 }, () => {
  it('the demo admin signs in, stays signed in across a reload, and signs out', T, async () => {
    await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, opened) => {
      await signIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
      await inboxShown(con);
      const cookies = await opened.context.cookies();
      assert.deepEqual(
        cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path]),
        [['twt_console', true, 'Strict', '/']],
        'one HttpOnly, SameSite=Strict session cookie',
      );
      assert.equal(await con.evaluate(() => document.cookie), '', 'invisible to scripts');
      await con.getByRole('button', { name: 'Admin' }).waitFor();

      await con.reload();
      await inboxShown(con);

      await con.getByRole('button', { name: 'Sign out' }).click();
      await con.getByLabel('Password').waitFor();
      assert.deepEqual(await opened.context.cookies(), [], 'the cookie is cleared');
      await con.reload();
      await con.getByLabel('Password').waitFor();
      assert.equal(await con.getByRole('button', { name: 'Sign out' }).count(), 0, 'signed out for good');
      opened.assertNoUnexpectedErrors();
    });
  });

  it('a wrong password is announced, the password field is cleared for another try', T, async () => {
    await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, opened) => {
      await signIn(con, DEMO_ADMIN.email, 'not-the-password');
      const alert = con.getByRole('alert');
      await alert.waitFor();
      assert.equal((await alert.textContent())?.trim(), 'Wrong email or password.');
      assert.equal(await con.getByLabel('Password').inputValue(), '');
      assert.equal(await con.getByLabel('Email').inputValue(), DEMO_ADMIN.email, 'the email stays');
      assert.equal(await con.evaluate(() => (document.querySelector('twt-agent-console')?.shadowRoot?.querySelector('twt-console-sign-in')?.shadowRoot?.activeElement as HTMLElement | null)?.id), 'password');
      // The failed POST is logged by Chromium as a failed resource (401); nothing else may be.
      opened.assertNoUnexpectedErrors([/status of 401/]);
    });
  });

  it('an admin adds an agent, who signs in, has no admin entry, and is refused by the admin API', T, async () => {
    const email = `${unique('agent').replace(/[^a-z0-9]/gi, '').toLowerCase()}@example.test`;
    const password = 'first-day-password';
    await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, opened) => {
      await signIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
      await con.getByRole('button', { name: 'Admin' }).click();
      await con.getByLabel('Name', { exact: true }).fill('Grace Hopper');
      await con.getByLabel('Email').fill(email);
      await con.getByLabel('Initial password').fill(password);
      await con.getByLabel('Role', { exact: true }).selectOption('agent'); // not an agent's 'Role of …'
      await con.getByRole('button', { name: 'Add agent' }).click();
      await con.getByRole('status').filter({ hasText: `Agent ${email} created` }).waitFor();
      const row = con.getByRole('list', { name: 'Agents' }).getByRole('listitem', { name: 'Grace Hopper' });
      await row.getByText(email).waitFor();

      // A key for her integrations: shown once.
      await row.getByRole('button', { name: 'API keys' }).click();
      await row.getByPlaceholder('Label (e.g. CRM sync)').fill('CRM');
      await row.getByRole('button', { name: 'Create key' }).click();
      const notice = con.getByRole('status').filter({ hasText: 'New API key for Grace Hopper' });
      await notice.waitFor();
      const key = /(ak_[\w-]{43})/.exec((await notice.textContent()) ?? '')?.[1];
      assert.ok(key, 'the key is shown');
      const r = await fetch(`${e2e.widgetUrl}/v1/agent/conversations`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 200, 'and works');

      await con.getByRole('button', { name: 'Back to inbox' }).click();
      await con.getByRole('button', { name: 'Sign out' }).click();
      await signIn(con, email, password);
      await inboxShown(con);
      assert.equal(await con.getByRole('button', { name: 'Admin' }).count(), 0, 'no admin entry for an agent');
      const refused = await con.evaluate(async () => (await fetch('/v1/agent/admin/agents')).status);
      assert.equal(refused, 403);

      // The admin, in another browser, deactivates her: her open console is back at the sign-in form at once.
      await withPage(e2e, `${e2e.widgetUrl}/console/`, async (adm, admOpened) => {
        await signIn(adm, DEMO_ADMIN.email, DEMO_ADMIN.password);
        await adm.getByRole('button', { name: 'Admin' }).click();
        adm.once('dialog', (d) => void d.accept());
        await adm.getByRole('list', { name: 'Agents' }).getByRole('listitem', { name: 'Grace Hopper' }).getByRole('button', { name: 'Deactivate' }).click();
        await adm.getByRole('status').filter({ hasText: 'Grace Hopper is deactivated.' }).waitFor();
        admOpened.assertNoUnexpectedErrors();
      });
      await con.getByLabel('Password').waitFor();
      assert.equal(await con.getByRole('button', { name: 'Sign out' }).count(), 0, 'her console left the inbox');
      await signIn(con, email, password);
      assert.equal((await con.getByRole('alert').textContent())?.trim(), 'Wrong email or password.', 'and she cannot sign in again');
      opened.assertNoUnexpectedErrors([/status of 403/, /status of 401/]);
    });
  });

  it('the admin sets an avatar: checked by the server, shown from it', T, async () => {
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, opened) => {
      await signIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
      await con.getByRole('button', { name: 'Admin' }).click();
      await con.getByLabel('Avatar (PNG, JPEG, WebP or GIF)').setInputFiles({ name: 'not-really.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not an image') });
      await con.getByRole('alert').filter({ hasText: 'must be a PNG, JPEG, WebP or GIF' }).waitFor();
      await con.getByLabel('Avatar (PNG, JPEG, WebP or GIF)').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
      const img = con.getByRole('img', { name: 'Your avatar' });
      await img.waitFor();
      await con.waitForFunction(() => {
        const el = document.querySelector('twt-agent-console')?.shadowRoot?.querySelector('twt-console-admin')?.shadowRoot?.querySelector('twt-console-avatar')?.shadowRoot?.querySelector('img');
        return !!el && el.complete && el.naturalWidth === 1;
      });
      opened.assertNoUnexpectedErrors([/status of 415/]);
    });
  });

  it('the sign-in form fits a 360 px wide screen, labelled, in the dark scheme too', T, async () => {
    await withPage(e2e, `${e2e.widgetUrl}/console/`, { context: { viewport: { width: 360, height: 700 }, colorScheme: 'dark' } }, async (con) => {
      await con.getByLabel('Email').waitFor();
      const layout = await con.evaluate(() => {
        const form = document.querySelector('twt-agent-console')!.shadowRoot!.querySelector('twt-console-sign-in')!.shadowRoot!;
        const card = form.querySelector('.card')!.getBoundingClientRect();
        return { scroll: document.documentElement.scrollWidth, left: card.left, right: card.right, bg: getComputedStyle(form.querySelector('.card')!).backgroundColor };
      });
      assert.ok(layout.scroll <= 360, `no horizontal scroll (${layout.scroll})`);
      assert.ok(layout.left >= 0 && layout.right <= 360, 'the card is on screen');
      assert.equal(layout.bg, 'rgb(13, 17, 23)', 'the dark surface (the console palette’s --bg, theme.ts)');
    });
  });
});
