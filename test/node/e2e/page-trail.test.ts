/**
 * End-to-end, "Visitor context, live" (issue 14): a single-page shop navigates with the History API; the agent
 * sees the visitor's current page change live on the agent socket, over REST and in the console's side panel
 * (<twt-visitor-context>), without the query string the site did not opt into. A site with
 * `track-pages="false"` reports nothing: the trail of its visitor starts with the page reported after the site
 * turns tracking on (the ordering sentinel), never with a page from before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { e2eHarness, withPage, waitForEvent, until, AGENT_KEY, DEMO_ADMIN, TIMEOUT, fillConsoleSignIn, openChatAndSay } from '../../helpers/e2e/harness.js';
import { TestSocket } from '../../helpers/node/server.js';

const T = { timeout: 90_000 };
const e2e = e2eHarness({}, { mounts: { '/trail/': fileURLToPath(new URL('./page-trail/', import.meta.url)) } });

async function agentSocket(): Promise<TestSocket> {
  const s = await TestSocket.open(e2e.widgetUrl.replace(/^http/, 'ws') + '/v1/agent/ws');
  s.send({ type: 'auth', key: AGENT_KEY });
  await s.waitFor((f) => f.type === 'ready');
  return s;
}

const context = async (uid: string) => (await e2e.agent.request('GET', `/v1/agent/visitors/${encodeURIComponent(uid)}/context`)).context;

async function signIn(con: Page): Promise<void> {
  await fillConsoleSignIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
  await con.getByRole('status').getByText('online', { exact: true }).waitFor();
}

describe('e2e: visitor context, live', { timeout: 240_000 }, () => {
  it('SPA navigation reaches the agent socket, REST and the console side panel live; the query stays on the page', T, async () => {
    const agent = await agentSocket();
    try {
      await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con, consolePage) => {
        await signIn(con);
        await withPage(e2e, '/trail/spa.html?ref=newsletter#top', async (page, visitor) => {
          const auth = await waitForEvent(page, 'visitor_auth_ready');
          const uid: string = auth.detail.visitorUid;
          const pageFrames = () => agent.frames.filter((f) => f.type === 'visitor_page' && f.visitorUid === uid);

          // The initial page, without its query and fragment.
          const first = await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === uid, TIMEOUT);
          assert.equal(first.page.url, `${e2e.hostUrl}/trail/spa.html`);
          assert.equal(first.page.title, 'Catalogue');

          // The console: open the visitor's conversation; the side panel shows where the visitor is.
          await openChatAndSay(page, 'where is my order?');
          const row = con.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: uid });
          await row.click();
          const panel = con.locator('twt-visitor-context');
          const now = panel.locator('[data-current-page]');
          await now.getByRole('link', { name: 'Catalogue' }).waitFor();

          // SPA navigation: pushState, then the router sets the title.
          await page.getByRole('button', { name: 'Blue mug' }).click();
          const mug = await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === uid && f.page.url.endsWith('/trail/shop/mug'), TIMEOUT);
          assert.equal(mug.page.url, `${e2e.hostUrl}/trail/shop/mug`, 'no query (utm, coupon) and no fragment left the page');
          assert.equal(mug.page.title, 'Blue mug', 'the title the router set after pushState');
          // Live in the console, without a reload: a link that opens in a new tab and tells the page nothing.
          const link = now.getByRole('link', { name: 'Blue mug' });
          await link.waitFor();
          assert.equal(await link.getAttribute('href'), `${e2e.hostUrl}/trail/shop/mug`);
          assert.equal(await link.getAttribute('target'), '_blank');
          assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');

          await page.getByRole('button', { name: 'Cart' }).click();
          await now.getByRole('link', { name: 'Your cart' }).waitFor();
          // Back: popstate (or the Navigation API) brings the mug page back as the current page.
          await page.goBack();
          await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === uid && f.page.url.endsWith('/trail/shop/mug') && f !== mug, TIMEOUT);
          await now.getByRole('link', { name: 'Blue mug' }).waitFor();

          const c = await until(async () => {
            const x = await context(uid);
            return x.visitPages.length === 4 && x;
          }, 'four pages in the trail');
          assert.deepEqual(
            c.visitPages.map((p: { url: string }) => new URL(p.url).pathname),
            ['/trail/spa.html', '/trail/shop/mug', '/trail/shop/cart', '/trail/shop/mug'],
          );
          assert.equal(c.currentPage.title, 'Blue mug');
          assert.ok(c.browser?.startsWith('Chrom'), `browser: ${c.browser}`);
          assert.ok(c.os, 'an OS');
          assert.ok(c.timeZone, 'a time zone');
          assert.equal(c.locale.toLowerCase(), 'en');
          // The side panel lists this visit's pages and the environment.
          const visit = panel.getByRole('list', { name: 'This visit' });
          assert.equal(await visit.getByRole('listitem').count(), 4);
          await panel.getByText(c.browser, { exact: true }).waitFor();
          assert.equal(pageFrames().length, 4, 'one live frame per page change');
          visitor.assertNoUnexpectedErrors();
        });
        consolePage.assertNoUnexpectedErrors();
      });
    } finally {
      agent.close();
    }
  });

  it('track-pages="false": nothing is reported until the site turns it on (the first report is the sentinel)', T, async () => {
    const agent = await agentSocket();
    try {
      await withPage(e2e, '/trail/off.html?account=991', async (page, visitor) => {
        const auth = await waitForEvent(page, 'visitor_auth_ready');
        const uid: string = auth.detail.visitorUid;
        await waitForEvent(page, 'session_connected');
        await page.getByRole('button', { name: 'Orders' }).click();
        // A whole chat exchange while tracking is off (panel opened, message stored and seen by the agent).
        const said = await openChatAndSay(page, 'private question');
        await e2e.agent.waitForVisitorMessage(said);
        await page.getByRole('button', { name: 'Settings' }).click();
        // The sentinel: the site turns tracking on; the tracker reports the page the visitor is on now.
        await page.evaluate(() => document.querySelector('twt-chat-widget')!.setAttribute('track-pages', 'true'));
        const sentinel = await agent.waitFor((f) => f.type === 'visitor_page' && f.visitorUid === uid, TIMEOUT);
        assert.equal(sentinel.page.url, `${e2e.hostUrl}/trail/account/settings`);
        assert.deepEqual(
          agent.frames.filter((f) => f.type === 'visitor_page' && f.visitorUid === uid).map((f) => f.page.url),
          [`${e2e.hostUrl}/trail/account/settings`],
          'no page from before',
        );
        const c = await context(uid);
        assert.deepEqual(
          c.visitPages.map((p: { url: string }) => p.url),
          [`${e2e.hostUrl}/trail/account/settings`],
        );
        visitor.assertNoUnexpectedErrors();
      });
    } finally {
      agent.close();
    }
  });
});
