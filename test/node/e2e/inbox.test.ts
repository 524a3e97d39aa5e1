/**
 * End-to-end: the inbox as a support team uses it, in Chromium against the
 * real server. Two agents (Demo Agent, of every app; Bob, of the demo app) and
 * two visitors on the host site. A new conversation notifies both agents (tab
 * title, desktop notification after the "enable" click); one takes it, the
 * other sees it taken and sees them viewing and typing; the reply reaches the
 * visitor; resolve (keyboard `e`) moves it to Resolved; the visitor writes
 * again and it reopens; search finds it with the words highlighted. Every
 * view passes an axe audit, in light and dark, and the inbox works at 360 px.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openChatAndSay, openPage, panelShows, unique, until, visitorSend, waitForEvent, withPage, type OpenedPage } from '../../helpers/e2e/harness.js';

const T = { timeout: 240_000 };
const e2e = e2eHarness();
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BOB = { email: 'bob@example.test', name: 'Bob', password: 'bob-e2e-password' };

/**
 * Records the desktop notifications the page shows: the real Notification
 * class, subclassed so each one constructed is also written down. (A string:
 * the test's compiler would wrap a function's classes in helpers the page lacks.)
 */
const RECORD_NOTIFICATIONS = `
  window.__notes = [];
  window.Notification = class extends window.Notification {
    constructor(title, options) {
      super(title, options);
      window.__notes.push({ title, body: options && options.body });
    }
  };`;

async function openConsole(agent: { email: string; password: string }, context: Record<string, unknown> = {}): Promise<OpenedPage> {
  const opened = await openPage(e2e, `${e2e.widgetUrl}/console/`, { context: { permissions: [], ...context } });
  await opened.context.grantPermissions(['notifications'], { origin: e2e.widgetUrl });
  await opened.page.addInitScript({ content: RECORD_NOTIFICATIONS });
  await opened.page.reload();
  await fillConsoleSignIn(opened.page, agent.email, agent.password);
  await opened.page.getByRole('status').getByText('online', { exact: true }).waitFor();
  return opened;
}

/** axe-core on the whole page (open shadow roots included): WCAG 2 A and AA. */
async function audit(page: Page, what: string): Promise<void> {
  // Evaluated over the DevTools protocol: the console's Content-Security-Policy (rightly) refuses injected script tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const { violations, passed } = await page.evaluate(async () => {
    type Result = { id: string; help: string; nodes: Array<{ target: unknown }> };
    const r = await (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Result[]; passes: Result[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      violations: r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`),
      // Rules that looked inside the inbox's shadow root and passed: proof the audit saw the workspace, not an empty page.
      passed: r.passes.filter((p) => p.nodes.some((n) => JSON.stringify(n.target).includes('twt-inbox'))).map((p) => p.id),
    };
  });
  assert.deepEqual(violations, [], `axe: ${what}`);
  assert.ok(passed.includes('color-contrast') && passed.includes('button-name'), `axe looked into the inbox (${what}): ${passed.join(', ')}`);
}

const list = (page: Page) => page.getByRole('region', { name: 'Conversations' });
const row = (page: Page, text: string) => list(page).getByRole('button').filter({ hasText: text });

describe('e2e: the inbox', { timeout: 300_000 }, () => {
  it('two agents, two visitors: notify, take, see viewing and typing, reply, resolve, reopen, search; axe on every view; 360 px', T, async () => {
    await e2e.createAgentAccount({ ...BOB, appid: 'demo' });
    const admin = await openConsole(DEMO_ADMIN);
    const bob = await openConsole(BOB);
    const [A, B] = [admin.page, bob.page];
    try {
      await audit(A, 'sign-in done, empty open view');
      // Desktop notifications: asked for from a click only (the permission is granted to this origin by the test).
      for (const p of [A, B]) {
        await p.getByRole('button', { name: 'Enable desktop notifications' }).click();
        await p.getByRole('button', { name: 'Desktop notifications on' }).waitFor();
      }

      await withPage(e2e, '/demo/install.html', async (v1, visitor1) => {
        await withPage(e2e, '/demo/install.html', async (v2, visitor2) => {
          const uid: string = (await waitForEvent(v1, 'visitor_auth_ready')).detail.visitorUid;
          const hello = await openChatAndSay(v1, 'Hi, my parcel never arrived');
          const word = hello.split(' ').at(-1)!; // the unique suffix: what search looks for

          // Both agents are told: the row, the tab title, a desktop notification.
          for (const p of [A, B]) {
            await row(p, hello).waitFor();
            await p.waitForFunction(() => /^\(\d+\) /.test(document.title));
            await p.waitForFunction(() => (window as unknown as { __notes: Array<{ title: string }> }).__notes.some((n) => n.title.startsWith('New conversation')));
          }
          const other = await openChatAndSay(v2, 'Another visitor here');
          await row(B, other).waitFor();
          await audit(B, 'open view with two conversations');

          // The admin takes the first conversation (keyboard: j opens the first row, which is the newest, so open by click).
          await row(A, hello).click();
          await A.getByRole('list', { name: 'Messages' }).getByText(hello, { exact: true }).waitFor();
          await A.getByRole('button', { name: 'Take' }).click();
          await audit(A, 'a conversation open, taken');
          // Bob sees it taken, and the admin viewing it.
          await row(B, uid).filter({ hasText: 'Assigned to Demo Agent' }).waitFor();
          await row(B, uid).filter({ hasText: 'Demo Agent viewing' }).waitFor();
          // Bob opens it too: the admin's typing shows there.
          await row(B, uid).click();
          await A.getByText('Bob is viewing this conversation').waitFor();
          const reply = unique('Sorry about that, looking into it');
          const box = A.getByRole('textbox', { name: 'Reply' });
          await box.pressSequentially('Sorry', { delay: 20 });
          await B.getByText('Demo Agent is typing a reply…').waitFor();
          await box.fill(reply);
          await box.press('Enter');
          await B.getByRole('list', { name: 'Messages' }).getByText(reply, { exact: true }).waitFor();
          await panelShows(v1, reply);

          // A canned reply: the admin adds one in the editor; typing /tra and Enter in the composer inserts it.
          assert.equal(await B.getByRole('button', { name: 'Canned replies' }).count(), 0, 'Bob (scoped to one app) does not edit canned replies');
          await A.getByRole('button', { name: 'Canned replies' }).click();
          const editor = A.getByRole('dialog', { name: 'Canned replies' });
          await editor.getByLabel('Shortcut').fill('tracking');
          await editor.getByLabel('Text').fill('Here is your tracking link: it updates every hour.');
          await audit(A, 'canned replies editor');
          await editor.getByRole('button', { name: 'Add' }).click();
          await editor.getByText('/tracking').waitFor();
          await editor.getByRole('button', { name: 'Close' }).click();
          await box.pressSequentially('/tra');
          await A.getByRole('listbox', { name: 'Canned replies' }).getByRole('option', { name: /tracking/ }).waitFor();
          await box.press('Enter');
          assert.equal(await box.inputValue(), 'Here is your tracking link: it updates every hour.', 'the shortcut is replaced by the reply');
          await box.press('Enter');
          await panelShows(v1, 'Here is your tracking link');
          // Assigned to the admin: the second visitor's new message notifies Bob (unassigned), not this one.
          await B.getByRole('button', { name: /^Mine/ }).click();
          await list(B).getByText('No conversations here.').waitFor();
          await audit(B, 'mine view (empty)');
          await B.getByRole('button', { name: /^Unassigned/ }).click();
          await row(B, other).waitFor();
          assert.equal(await row(B, uid).count(), 0, 'the taken conversation is not unassigned');
          await audit(B, 'unassigned view');

          // The admin hands the second conversation to Bob: Bob is told as for a new message (desktop, and it counts in
          // the title until he opens it), and it leaves his unassigned view; the admin, who assigned it, is not told.
          const notes = (p: Page) => p.evaluate(() => (window as unknown as { __notes: Array<{ title: string }> }).__notes.map((n) => n.title));
          await row(A, other).click();
          await A.getByRole('list', { name: 'Messages' }).getByText(other, { exact: true }).waitFor();
          await A.getByLabel('Assignee').selectOption({ label: 'Bob' });
          await B.waitForFunction(() => (window as unknown as { __notes: Array<{ title: string }> }).__notes.some((n) => n.title.startsWith('Assigned to you:')));
          await list(B).getByText('No conversations here.').waitFor();
          assert.equal((await notes(A)).some((t) => t.startsWith('Assigned to you')), false, 'the admin assigned it: no news to them');
          await row(A, uid).click();
          await A.getByRole('heading', { name: uid }).waitFor();

          // Resolve from the keyboard (e), focus out of the composer first.
          await A.getByRole('heading', { name: uid }).click();
          await A.keyboard.press('e');
          await A.getByRole('button', { name: 'Reopen' }).waitFor();
          await B.getByRole('button', { name: /^Resolved/ }).click();
          await row(B, uid).waitFor();
          await audit(B, 'resolved view');

          // The visitor writes again: it reopens, for both agents.
          const again = unique('One more question');
          await visitorSend(v1, again);
          await A.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
          await list(B).getByText('No resolved conversations.').waitFor();
          await B.getByRole('button', { name: /^Open/ }).click();
          await row(B, again).waitFor();

          // Search (/ focuses it) finds the conversation by a word of the first message, highlighted.
          await B.locator('body').click({ position: { x: 5, y: 5 } });
          await B.keyboard.press('/');
          await B.keyboard.type(word);
          const hit = list(B).getByRole('button').filter({ has: B.locator('mark', { hasText: word }) });
          await hit.waitFor();
          assert.equal(await hit.count(), 1);
          await audit(B, 'search results');

          // Shortcut help (?) and the dark theme.
          await B.getByRole('searchbox', { name: 'Search conversations' }).press('Escape');
          await B.keyboard.press('?');
          await B.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
          await audit(B, 'shortcut help');
          await B.keyboard.press('Escape');
          await A.getByRole('button', { name: /^Theme/ }).click(); // system -> light
          await A.getByRole('button', { name: /^Theme/ }).click(); // light -> dark
          assert.equal(await A.locator('twt-inbox').getAttribute('data-theme'), 'dark');
          await audit(A, 'dark theme, conversation open');

          // The sound is off by default; turned on, it is remembered across a reload.
          const sound = B.getByRole('button', { name: 'Sound' });
          assert.equal(await sound.getAttribute('aria-pressed'), 'false');
          await sound.click();
          await B.reload();
          await B.getByRole('status').getByText('online', { exact: true }).waitFor();
          assert.equal(await B.getByRole('button', { name: 'Sound' }).getAttribute('aria-pressed'), 'true');

          // j / k move through the list from the keyboard.
          await A.locator('body').click({ position: { x: 5, y: 5 } });
          const selected = () => A.locator('twt-inbox').evaluate((el) => (el as unknown as { selected: string | null }).selected);
          const before = await selected();
          await A.keyboard.press('j');
          await until(async () => (await selected()) !== before, 'j to open the next conversation');
          await A.keyboard.press('k');
          await until(async () => (await selected()) === before, 'k to go back');

          for (const o of [visitor1, visitor2]) o.assertNoUnexpectedErrors();
        });
      });
      admin.assertNoUnexpectedErrors();
      bob.assertNoUnexpectedErrors();
    } finally {
      await admin.close();
      await bob.close();
    }
  });

  it('more than a page of conversations: the list shows 200 and "Load more" brings the rest, each once; axe; one theme for every screen', T, async () => {
    await e2e.createApp('paging-e2e', ['localhost']);
    const q = (sql: string) => e2e.server.data.store.query(sql);
    await q(`INSERT INTO visitors (uid, appid, bs, fkid, name) SELECT 'v_pe' || g, 'paging-e2e', 'bs_pe' || g, 'fk_pe' || g, 'Paging visitor ' || g FROM generate_series(1, 230) g`);
    await q(`INSERT INTO conversations (id, appid, visitor_id, last_seq, status, updated_at)
             SELECT 'c_pe' || lpad(g::text, 4, '0'), 'paging-e2e', v.id, 1, 'resolved', timestamptz '2020-01-01T00:00:00Z' + g * interval '1 second'
               FROM generate_series(1, 230) g JOIN visitors v ON v.uid = 'v_pe' || g`);
    await q(`INSERT INTO messages (id, conversation_id, seq, author, text) SELECT 'm_pe' || g, 'c_pe' || lpad(g::text, 4, '0'), 1, 'visitor', 'old question ' || g FROM generate_series(1, 230) g`);
    const admin = await openConsole(DEMO_ADMIN);
    const p = admin.page;
    try {
      await p.getByRole('button', { name: /^Resolved/ }).click();
      const rows = list(p).getByRole('listitem');
      const more = p.getByRole('button', { name: 'Load more' });
      await more.waitFor();
      const total = Number((await p.getByRole('button', { name: /^Resolved/ }).innerText()).match(/\d+/)![0]);
      assert.ok(total >= 230, `the count is of the whole view: ${total}`);
      assert.equal(await rows.count(), 200, 'one page');
      await audit(p, 'a view with more to load');
      assert.ok(total <= 400, 'two pages hold the view');
      await more.click();
      await until(async () => (await rows.count()) === total, 'every conversation of the view');
      assert.equal(await more.count(), 0, 'the last page: nothing more to load');
      const ids = await list(p).locator('button[data-id]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.id));
      assert.equal(new Set(ids).size, total, 'each once');
      assert.ok(ids.includes('c_pe0001'), 'down to the oldest');

      // One theme for the whole console: picked in the inbox, the admin screens and the sign-in follow it, not the
      // system's (light in this browser).
      await p.getByRole('button', { name: /^Theme/ }).click(); // system -> light
      await p.getByRole('button', { name: /^Theme/ }).click(); // light -> dark
      const darkBg = 'rgb(22, 27, 34)'; // the palette's dark --bg-soft (theme.ts)
      assert.equal(await p.locator('twt-agent-console').evaluate((el) => getComputedStyle(el).backgroundColor), darkBg, 'the page around the screens too');
      await p.getByRole('button', { name: 'Admin', exact: true }).click();
      const adminScreen = p.locator('twt-console-admin');
      await adminScreen.getByRole('heading', { name: 'Administration' }).waitFor();
      assert.equal(await adminScreen.getAttribute('data-theme'), 'dark');
      assert.equal(await adminScreen.evaluate((el) => getComputedStyle(el).backgroundColor), darkBg);
      await adminScreen.getByRole('button', { name: 'Back to inbox' }).click();
      await p.getByRole('button', { name: 'Sign out' }).click();
      const signIn = p.locator('twt-console-sign-in');
      await signIn.getByLabel('Email').waitFor();
      assert.equal(await signIn.getAttribute('data-theme'), 'dark');
      assert.equal(await signIn.evaluate((el) => getComputedStyle(el).backgroundColor), darkBg);
      admin.assertNoUnexpectedErrors();
    } finally {
      await admin.close();
    }
  });

  it('at 360 px the list and the conversation are stacked, nothing scrolls sideways, and it passes axe', T, async () => {
    await withPage(e2e, '/demo/install.html', async (v) => {
      const text = await openChatAndSay(v, 'Small screen hello');
      const narrow = await openConsole(DEMO_ADMIN, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      const p = narrow.page;
      try {
        await row(p, text).waitFor();
        const noSideScroll = () => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
        assert.ok(await noSideScroll(), 'no horizontal scrolling (list)');
        await audit(p, '360 px list');
        await row(p, text).click();
        await p.getByRole('list', { name: 'Messages' }).getByText(text, { exact: true }).waitFor();
        assert.equal(await list(p).isVisible(), false, 'the list gives way to the conversation');
        assert.ok(await noSideScroll(), 'no horizontal scrolling (conversation)');
        await audit(p, '360 px conversation');
        await p.getByRole('button', { name: '← Back' }).click();
        await row(p, text).waitFor();
        // Focus returns to the row it came from.
        assert.ok(await p.locator('twt-inbox').evaluate((el) => !!(el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.id), 'focus is back on a row');
        narrow.assertNoUnexpectedErrors();
      } finally {
        await narrow.close();
      }
    });
  });
});
