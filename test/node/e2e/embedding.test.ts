/**
 * End-to-end: the other ways to embed — element only (CMS), element inserted
 * later through innerHTML (page builder), a Vue 3 app, and a single-page app
 * that initialises and destroys the widget on route changes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, withPage, waitForEvent, waitFor, events, waitForVisibility, clickLauncher, shownLauncher, visitorSend, panelShows, surface, panelLanguage, panelTheme, surfaceCount, surfaceSelector, until, unique } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };
const e2e = e2eHarness();

/** The element's own state (no window.TWTChatWidget needed). */
const elementVisibility = (page: import('playwright-core').Page) => page.evaluate(() => (document.querySelector('twt-chat-widget') as any)?.visibility);
const panelAttr = (page: import('playwright-core').Page, what: 'lang' | 'theme') => (what === 'lang' ? panelLanguage : panelTheme)(surface(page, 'panel'));

describe('e2e: embeddings', { timeout: 600_000 }, () => {
  it('element only: one script tag + <twt-chat-widget appid="demo" …> configured by attributes; visitor and agent chat', T, async () => {
    await withPage(e2e, '/demo/element.html', async (page, p) => {
      assert.equal(await page.evaluate(() => 'undefined' === typeof (window as any).__twt), true, 'no window.__twt on the page');
      await waitForEvent(page, 'initialized');
      await page.locator(`twt-chat-widget ${surfaceSelector('launcher')}`).waitFor({ state: 'visible' });
      assert.equal(await surfaceCount(page, 'launcher'), 1);
      assert.equal(await surfaceCount(page, 'panel'), 1);
      await until(async () => (await panelAttr(page, 'lang')) === 'en', 'panel in the language attribute (en)');
      await clickLauncher(page);
      await until(async () => (await elementVisibility(page)) === 'maximized', 'element maximized');
      await waitForEvent(page, 'visibility_changed', { visibility: 'maximized' });
      const text = unique('hi from a CMS page');
      await visitorSend(page, text);
      const conv = await e2e.agent.waitForVisitorMessage(text);
      const reply = unique('hello CMS visitor');
      await e2e.agent.reply(conv.id, reply);
      await panelShows(page, reply);
      p.assertNoUnexpectedErrors();
    });
  });

  it('element inserted later through innerHTML: boots from its attributes; removing the block removes the widget', T, async () => {
    await withPage(e2e, '/demo/element-late.html', async (page, p) => {
      await waitFor(page, () => !!customElements.get('twt-chat-widget'), undefined, 'core.js defined the element');
      await page.waitForTimeout(500);
      assert.equal(await surfaceCount(page), 0, 'nothing rendered before the block exists');
      await page.locator('#insert').click();
      await waitForEvent(page, 'initialized');
      await page.locator(`#builder-block ${surfaceSelector('launcher')}`).waitFor({ state: 'visible' });
      await until(async () => (await panelAttr(page, 'theme')).includes('dark'), 'panel dark (theme="dark" attribute)');
      await clickLauncher(page);
      await until(async () => (await elementVisibility(page)) === 'maximized', 'maximized');
      const text = unique('hi from a page-builder block');
      await visitorSend(page, text);
      await e2e.agent.waitForVisitorMessage(text);

      await page.locator('#remove').click();
      await until(async () => (await surfaceCount(page)) === 0, 'no surface left after the block is removed');
      // Inserted again: one widget again, same visitor (identity kept first-party).
      const inits = (await events(page, 'initialized')).length;
      await page.locator('#insert').click();
      await page.locator(`#builder-block ${surfaceSelector('launcher')}`).waitFor({ state: 'visible' });
      // The launcher shows at once; the panel comes with the app's bootstrap answer, before `initialized`.
      await until(async () => (await events(page, 'initialized')).length > inits, 'initialized again');
      assert.equal(await surfaceCount(page, 'launcher'), 1);
      assert.equal(await surfaceCount(page, 'panel'), 1);
      await clickLauncher(page);
      await panelShows(page, text);
      p.assertNoUnexpectedErrors();
    });
  });

  it('Vue 3: renders the element with properties, reacts to its DOM events, switches theme live', T, async () => {
    await withPage(e2e, '/demo/vue.html', async (page, p) => {
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await page.locator('#status').getByText('connected', { exact: true }).waitFor();
      await page.locator('#open').click();
      await page.locator('#visibility').getByText('maximized').waitFor();
      const text = unique('hi from Vue');
      await visitorSend(page, text);
      const conv = await e2e.agent.waitForVisitorMessage(text);
      assert.equal(conv.visitor?.name, 'Vue visitor', 'profile from the options property reached the agent');
      await page.locator('#close').click();
      await page.locator('#visibility').getByText('minimized').waitFor();
      await e2e.agent.reply(conv.id, unique('hello Vue'));
      await page.locator('#unread').getByText('1', { exact: true }).waitFor();
      await page.locator('#theme-toggle').click();
      await until(async () => (await panelAttr(page, 'theme')).includes('dark'), 'panel dark after the Vue state changed');
      await page.locator('#language').selectOption('ja');
      await until(async () => (await panelAttr(page, 'lang')) === 'ja', 'panel ja after the Vue state changed');
      await page.locator('#open').click();
      await page.locator('#unread').getByText('0', { exact: true }).waitFor();
      assert.ok(((await page.locator('#log').textContent()) ?? '').includes('twt-unread-count-changed'), 'event log shows the DOM events');
      p.assertNoUnexpectedErrors();
    });
  });

  it('SPA: init on the Help route, destroy when leaving it; back and forth leaves one widget, and the socket closes on destroy', T, async () => {
    await withPage(e2e, '/demo/spa.html#/', async (page, p) => {
      await page.locator('#log').getByText('route /').first().waitFor();
      assert.equal(await surfaceCount(page), 0, 'no widget on Home');
      await page.getByRole('link', { name: 'Help' }).click();
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await waitForEvent(page, 'session_connected');
      await clickLauncher(page);
      const text = unique('hi from the SPA');
      await visitorSend(page, text);
      const conv = await e2e.agent.waitForVisitorMessage(text);
      // The server's view of the visitor's sockets (a removed OOPIF's socket is not reported closed to playwright).
      const online = async () => (await e2e.agent.conversations()).find((c) => c.id === conv.id)?.online;
      await until(async () => (await online()) === true, 'visitor online');

      for (let round = 0; round < 3; round++) {
        await page.getByRole('link', { name: round % 2 ? 'Home' : 'Pricing' }).click();
        await until(async () => (await surfaceCount(page)) === 0, `no surface after leaving Help (round ${round})`);
        await until(async () => (await online()) === false, `the visitor socket closed after destroy (round ${round})`);
        const inits = (await events(page, 'initialized')).length;
        await page.getByRole('link', { name: 'Help' }).click();
        await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
        // The launcher shows at once; the panel comes with the app's bootstrap answer, before `initialized`.
        await until(async () => (await events(page, 'initialized')).length > inits, `initialized again (round ${round})`);
        assert.equal(await surfaceCount(page, 'launcher'), 1, `one launcher (round ${round})`);
        assert.equal(await surfaceCount(page, 'panel'), 1, `one panel (round ${round})`);
      }
      await clickLauncher(page);
      await panelShows(page, text);
      await until(async () => (await online()) === true, 'visitor online again');
      const inits = await page.locator('#log').getByText('Widget initialized').count();
      assert.ok(inits >= 1, 'initialized logged');
      p.assertNoUnexpectedErrors();
    });
  });

  it('older snippet config (window.__twt__config): lang, position and the site icon in the launcher', T, async () => {
    await withPage(e2e, '/demo/legacy-config.html', async (page, p) => {
      const launcher = await shownLauncher(page);
      // position {right: 40, bottom: 32} from the bottom-right corner of the 1280x900 viewport
      const box = (await launcher.boundingBox())!;
      assert.equal(Math.round(1280 - box.x - box.width), 40, 'right offset');
      assert.equal(Math.round(900 - box.y - box.height), 32, 'bottom offset');
      // The launcher (widget origin) loads the icon from the host site; its CSP allows http(s) images.
      const icon = surface(page, 'launcher').locator('img.icon');
      await icon.waitFor({ state: 'visible' });
      assert.equal(await icon.getAttribute('src'), `${e2e.hostUrl}/demo/launcher-icon.svg`);
      await until(async () => (await icon.evaluate((img) => (img as HTMLImageElement).naturalWidth)) > 0, 'the icon image loaded');
      // lang: "de" -> the launcher's label is German
      assert.equal(await surface(page, 'launcher').locator('button').getAttribute('aria-label'), 'Chat öffnen');
      await clickLauncher(page);
      await until(async () => (await panelAttr(page, 'lang')) === 'de', 'panel in German');
      p.assertNoUnexpectedErrors();
    });
  });

  it('npm start layout: the widget server serves /demo/ with every page linked from the index, the login signer and the Vue route', T, async () => {
    const base = e2e.widgetUrl;
    const index = await fetch(`${base}/demo/`);
    assert.equal(index.status, 200);
    const html = await index.text();
    const links = [...html.matchAll(/href="([a-z-]+\.html)"/g)].map((m) => m[1]!);
    assert.ok(links.length >= 15, `index links every demo page (${links.length})`);
    for (const link of links) {
      const res = await fetch(`${base}/demo/${link}`);
      assert.equal(res.status, 200, `/demo/${link}`);
      const page = await res.text();
      if (!/<twt-chat-widget|core\.js/.test(page)) continue;
      assert.ok(page.includes('"/install/core.js?version=v1.2"'), `/demo/${link} loads core.js from this server`);
    }
    const vue = await fetch(`${base}/demo/vendor/vue.js`);
    assert.equal(vue.status, 200, 'GET /demo/vendor/vue.js (server/demo-login.ts handleDemoRoutes, mounted by server/app.ts)');
    const triple = await fetch(`${base}/demo/api/login-triple`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sbs: 'user-42' }) });
    assert.equal(triple.status, 200, 'POST /demo/api/login-triple (server/demo-login.ts handleDemoRoutes, mounted by server/app.ts)');
    const t = await triple.json();
    assert.equal(t.sbs, 'user-42');
    assert.match(t.sbs_mm, /^[0-9a-f]{32}$/);
  });

  it('same-origin demo (as npm start serves it): the install page works with core.js from its own origin', T, async () => {
    await withPage(e2e, `${e2e.widgetUrl}/demo/open-on-initialized.html`, async (page, p) => {
      await waitForVisibility(page, 'maximized');
      const text = unique('same-origin hello');
      await visitorSend(page, text);
      await e2e.agent.waitForVisitorMessage(text);
      p.assertNoUnexpectedErrors([/\/favicon\.ico/]);
    });
  });
});
