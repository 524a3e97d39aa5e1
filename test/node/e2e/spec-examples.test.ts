/**
 * End-to-end: the spec's examples (demo/*.html) in Chromium, the host page on
 * http://localhost:<port> and the widget on http://127.0.0.1:<port>, driven
 * like a visitor (clicks and typing inside the widget's iframes) and an agent
 * (the agent REST API).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, withPage, waitForEvent, waitFor, waitForVisibility, visibility, clickLauncher, shownLauncher, openChatAndSay, visitorSend, composerHasFocus, panelShows, surface, panelTheme, surfaceCount, surfaceSelector, events, unique, until } from '../../helpers/e2e/harness.js';

const T = { timeout: 60_000 };
const e2e = e2eHarness();

describe('e2e: the spec examples', { timeout: 600_000 }, () => {
  it('standard install snippet: launcher, chat with an agent, identity stored first-party, nothing secret in URLs', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      await waitForEvent(page, 'initialized');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      assert.equal(await surfaceCount(page, 'launcher'), 1, 'one launcher iframe');
      assert.equal(await visibility(page), 'minimized');
      const info = await page.evaluate(() => (window as any).TWTChatWidget.get('sdk_info'));
      assert.equal(info.scriptTagVersion, 'v1.2');
      assert.equal(info.compatibilityMode, 'off');
      assert.equal(info.transport, 'mixed');
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.scriptTagVersion()), 'v1.2');
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('unread_count')), 0);

      // Every surface is served by the widget origin, not the host page's.
      for (const src of await page.locator('iframe[data-twt-widget-surface]').evaluateAll((els) => els.map((e) => (e as HTMLIFrameElement).src))) {
        assert.ok(src.startsWith(e2e.widgetUrl + '/widget/'), `surface src on the widget origin: ${src}`);
      }

      const hello = await openChatAndSay(page, 'Hello from the install page');
      const conv = await e2e.agent.waitForVisitorMessage(hello);
      const reply = unique('Agent here, how can I help?');
      await e2e.agent.reply(conv.id, reply);
      await panelShows(page, reply);

      // visitor_auth_ready -> the host keeps the identity clue first-party.
      const auth = await waitForEvent(page, 'visitor_auth_ready');
      assert.ok(auth.detail.bs && auth.detail.bs_mm, 'visitor_auth_ready carries bs and bs_mm');
      const stored = await page.evaluate(() => localStorage.getItem('twt:identity:demo'));
      assert.ok(stored, 'identity clue stored under twt:identity:demo');
      const clue = JSON.parse(stored!);
      assert.equal(clue.bs, auth.detail.bs);
      assert.equal(clue.bs_mm, auth.detail.bs_mm);
      const srcs = await page.locator('iframe[data-twt-widget-surface]').evaluateAll((els) => els.map((e) => (e as HTMLIFrameElement).src));
      for (const src of srcs) assert.ok(!src.includes(clue.bs_mm), 'no signature in an iframe URL');

      // A reload is the same visitor: the conversation carries on.
      await page.reload();
      await waitForEvent(page, 'initialized');
      await clickLauncher(page);
      await panelShows(page, reply);
      p.assertNoUnexpectedErrors();
    });
  });

  it('asyncInit: no iframe until "contact us"; init() is idempotent', T, async () => {
    await withPage(e2e, '/demo/async-init.html', async (page, p) => {
      await waitFor(page, () => typeof (window as any).TWTChatWidget.init === 'function' && typeof (window as any).TWTChatWidget.scriptTagVersion === 'function', undefined, 'core.js loaded');
      await page.waitForTimeout(500);
      assert.equal(await surfaceCount(page), 0, 'no surface before init()');
      assert.equal((await events(page, 'initialized')).length, 0);
      await page.locator('#contact-us').click();
      await page.locator('#log').getByText('Widget initialized').waitFor();
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await page.locator('#contact-us').click();
      await page.locator('#contact-us').click();
      await page.waitForTimeout(500);
      assert.equal(await surfaceCount(page, 'launcher'), 1, 'still one launcher');
      assert.equal(await surfaceCount(page, 'panel'), 1, 'still one panel');
      assert.equal(await page.locator('#log').getByText('Widget initialized').count(), 1, 'initialized once');
      p.assertNoUnexpectedErrors();
    });
  });

  it('open on initialized: the panel opens by itself with the keyboard in its composer; the visitor types at once and chats', T, async () => {
    await withPage(e2e, '/demo/open-on-initialized.html', async (page, p) => {
      await waitForVisibility(page, 'maximized');
      await page.locator('#log').getByText('visibility: maximized').waitFor();
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'visible' });
      // The panel opened while its document was still loading: the focus must still reach its composer, and
      // the keys typed on the page with it (no click first, as a keyboard user would).
      await until(() => composerHasFocus(page), 'the keyboard focus in the composer of the panel that opened by itself');
      const text = unique('opened by itself');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await e2e.agent.waitForVisitorMessage(text);
      p.assertNoUnexpectedErrors();
    });
  });

  it('custom launcher: no launcher iframe; the page buttons open and close the chat', T, async () => {
    await withPage(e2e, '/demo/custom-launcher.html', async (page, p) => {
      await waitForEvent(page, 'initialized');
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'attached' });
      assert.equal(await surfaceCount(page, 'launcher'), 0, 'launcher: "custom" creates no launcher iframe');
      await page.locator('#open-chat').click();
      await waitForVisibility(page, 'maximized');
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'visible' });
      await page.locator('#close-chat').click();
      await waitForVisibility(page, 'minimized');
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'hidden' });
      p.assertNoUnexpectedErrors();
    });
  });

  it('hover popup (the spec page): the launcher iframe is hit-testable where it is drawn', T, async () => {
    await withPage(e2e, '/demo/hover-popup.html', async (page, p) => {
      const launcher = await shownLauncher(page);
      const box = (await launcher.boundingBox())!;
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-twt-widget-surface'), { x: box.x + box.width / 2, y: box.y + box.height / 2 });
      assert.equal(hit, 'launcher', 'the pointer over the launcher is over the launcher iframe (nothing covers it)');
      p.assertNoUnexpectedErrors();
    });
  });

  /**
   * The spec's hover popup page, pasted unchanged, driven by the real pointer. `inProcessFrames`: a
   * second Chromium whose cross-site frames share the page's process, where the browser fires the
   * iframe's boundary events itself; the widget must then add none.
   */
  async function hoverPopup(inProcessFrames: boolean) {
    await withPage(e2e, '/demo/hover-popup.html', { inProcessFrames }, async (page, p) => {
      const launcher = await shownLauncher(page);
      // Every boundary event on the launcher iframe, and which of them bubble to the document.
      await launcher.evaluate((iframe) => {
        const seen: string[] = ((window as any).__boundary = []);
        for (const type of ['mouseover', 'mouseenter', 'mouseout', 'mouseleave']) {
          iframe.addEventListener(type, () => seen.push(type));
          document.addEventListener(type, (e) => e.target === iframe && seen.push(`document:${type}`));
        }
      });
      const boundary = () => page.evaluate(() => (window as any).__boundary as string[]);
      const popup = page.locator('#my-custom-popup');
      const shown = () => popup.evaluate((el) => el.classList.contains('show'));
      assert.equal(await shown(), false);
      const box = (await launcher.boundingBox())!;
      const center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      await page.mouse.move(600, 400);
      await page.mouse.move(center.x, center.y, { steps: 8 });
      await waitFor(page, () => document.getElementById('my-custom-popup')!.classList.contains('show'), undefined, 'popup shown on hover');
      // Away from both (not across the popup): hidden after the page's 200 ms grace.
      await page.mouse.move(center.x - 300, center.y, { steps: 4 });
      await waitFor(page, () => !document.getElementById('my-custom-popup')!.classList.contains('show'), undefined, 'popup hidden after leaving');
      // Exactly one of each, in the browser's order; mouseover/mouseout bubble, mouseenter/mouseleave do not.
      assert.deepEqual(await boundary(), ['mouseover', 'document:mouseover', 'mouseenter', 'mouseout', 'document:mouseout', 'mouseleave']);

      // Hover again, move onto the popup: it stays; then start the chat from it.
      await page.mouse.move(center.x, center.y, { steps: 8 });
      await waitFor(page, () => document.getElementById('my-custom-popup')!.classList.contains('show'), undefined, 'popup shown again');
      await popup.hover();
      await page.locator('#btn-start-chat').click();
      await waitForVisibility(page, 'maximized');
      assert.equal(await shown(), false, 'popup hidden after 立即咨询');
      assert.deepEqual((await boundary()).filter((t) => t === 'mouseenter' || t === 'mouseleave'), ['mouseenter', 'mouseleave', 'mouseenter', 'mouseleave'], 'one enter and one leave per visit');
      p.assertNoUnexpectedErrors();
    });
  }

  it('hover popup (the spec page) in Chromium with site isolation: hover shows the popup, leaving hides it, 立即咨询 opens the chat', T, () => hoverPopup(false));

  it('hover popup (the spec page) with in-process frames: the browser fires the events, the widget adds no duplicate', T, () => hoverPopup(true));

  it('unread count in the title: agent reply while minimised -> "(1) title"; maximise clears it', T, async () => {
    await withPage(e2e, '/demo/unread-title.html', async (page, p) => {
      const title = await page.title();
      await waitForEvent(page, 'initialized');
      await clickLauncher(page);
      await waitForVisibility(page, 'maximized');
      const text = unique('question for the agent');
      await visitorSend(page, text);
      const conv = await e2e.agent.waitForVisitorMessage(text);
      await clickLauncher(page);
      await waitForVisibility(page, 'minimized');
      assert.equal(await surfaceCount(page, 'card'), 0, 'no card iframe before there is a card to show');

      const first = unique('first answer');
      await e2e.agent.reply(conv.id, first);
      await waitFor(page, (t: string) => document.title === '(1) ' + t, title, 'title "(1) …"');
      // The marketing card is created for the unread answer and shows it.
      await page.locator(surfaceSelector('card')).waitFor({ state: 'visible' });
      await surface(page, 'card').getByText(first).waitFor();
      assert.equal(await page.locator('#unread').textContent(), '1');
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('unread_count')), 1);
      await e2e.agent.reply(conv.id, unique('second answer'));
      await waitFor(page, (t: string) => document.title === '(2) ' + t, title, 'title "(2) …"');

      await clickLauncher(page);
      await waitForVisibility(page, 'maximized');
      await waitFor(page, (t: string) => document.title === t, title, 'title back to the original');
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('unread_count')), 0);
      // Read on the server too: a reload does not bring the count back.
      await page.reload();
      await waitForEvent(page, 'runtime_activated');
      await page.waitForTimeout(800);
      assert.equal(await page.title(), title);
      p.assertNoUnexpectedErrors();
    });
  });

  it('unread count survives leaving the page: an agent reply while the visitor is away shows as "(1) title" on the next page view', T, async () => {
    await withPage(e2e, '/demo/unread-title.html', async (page, p) => {
      const url = page.url();
      const title = await page.title();
      await waitForEvent(page, 'initialized');
      await clickLauncher(page);
      await waitForVisibility(page, 'maximized');
      const text = unique('question before leaving');
      await visitorSend(page, text);
      const conv = await e2e.agent.waitForVisitorMessage(text);
      await clickLauncher(page);
      await waitForVisibility(page, 'minimized');
      // The visitor leaves; the agent answers while no page of theirs is open.
      await page.goto('about:blank');
      await e2e.agent.reply(conv.id, unique('answer while away'));
      await page.goto(url);
      await waitFor(page, (t: string) => document.title === '(1) ' + t, title, 'title "(1) …" on the next page view');
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('unread_count')), 1);
      p.assertNoUnexpectedErrors();
    });
  });

  it('API tour: every method, getter, on/off and the visitor_auth_ready storage example', T, async () => {
    await withPage(e2e, '/demo/api.html', async (page, p) => {
      await waitForEvent(page, 'initialized');
      await page.locator('#script-tag-version').getByText('v1.2').waitFor();
      const getters = page.locator('#getters');
      await getters.getByText('"transport": "mixed"').waitFor();

      // The spec's visitor_auth_ready example copies the identity into the site's own storage.
      await waitForEvent(page, 'visitor_auth_ready');
      const [own, sdk] = await page.evaluate(() => [localStorage.getItem('twt_visitor_identity'), localStorage.getItem('twt:identity:demo')]);
      assert.ok(own && sdk, 'both the page copy and the SDK copy exist');
      assert.equal(JSON.parse(own!).bs, JSON.parse(sdk!).bs);
      assert.equal(JSON.parse(own!).bs_mm, JSON.parse(sdk!).bs_mm);

      /** Lines logged by the spec's handleVisibilityChanged (just the visibility). */
      const handlerLines = async (v: string) =>
        (await page.locator('#log > div').allTextContents()).filter((t) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${v}$`).test(t)).length;
      const click = async (id: string, want: string) => {
        await page.locator('#' + id).click();
        await waitForVisibility(page, want as 'maximized');
      };
      await page.locator('#listen').click();
      await click('maximize', 'maximized');
      await until(async () => (await handlerLines('maximized')) === 1, 'on(visibility_changed) handler called');
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'visible' });
      await click('minimize', 'minimized');
      await page.locator(surfaceSelector('panel')).waitFor({ state: 'hidden' });
      await click('hide', 'hidden');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'hidden' });
      assert.equal(await surfaceCount(page, 'launcher'), 1, 'hide keeps the iframes mounted');
      await click('show', 'minimized');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await click('toggle', 'maximized');
      await click('toggle', 'minimized');
      await until(async () => (await handlerLines('maximized')) === 2 && (await handlerLines('hidden')) === 1, 'handler saw every change');
      await page.locator('#unlisten').click();
      await click('maximize', 'maximized');
      // The third visibility_changed (maximized) has been dispatched: a handler still attached would have logged it then.
      await waitFor(page, () => (window as any).__e2e.events.filter((e: any) => e.name === 'visibility_changed' && e.detail?.visibility === 'maximized').length === 3, undefined, 'the third maximized event');
      assert.equal(await handlerLines('maximized'), 2, 'off() detached the handler');
      await getters.getByText('"visibility": "maximized"').waitFor();

      await page.locator('#destroy').click();
      await page.locator('#log').getByText('destroyed', { exact: false }).first().waitFor();
      await until(async () => (await surfaceCount(page)) === 0, 'no surface after destroy');
      await getters.getByText('get() threw').waitFor();
      await page.locator('#init').click();
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      assert.equal(await surfaceCount(page, 'panel'), 1);
      await waitForVisibility(page, 'minimized');
      p.assertNoUnexpectedErrors();
    });
  });

  it('connection status log: connecting, then connected', T, async () => {
    await withPage(e2e, '/demo/connection-status.html', async (page, p) => {
      const log = page.locator('#log');
      await log.getByText('session connected').waitFor();
      await log.getByText('connection status: connected').waitFor();
      const text = (await log.textContent()) ?? '';
      assert.ok(text.indexOf('connection status: connecting') >= 0, 'connecting logged');
      assert.ok(text.indexOf('connection status: connecting') < text.indexOf('connection status: connected'), 'connecting before connected');
      p.assertNoUnexpectedErrors();
    });
  });

  it('connection status log: the server restarts -> reconnecting, then connected again; chat carries on', T, async () => {
    await withPage(e2e, '/demo/connection-status.html', async (page, p) => {
      const log = page.locator('#log');
      await log.getByText('session connected').waitFor();
      await clickLauncher(page);
      const before = unique('before the restart');
      await visitorSend(page, before);
      const conv = await e2e.agent.waitForVisitorMessage(before);
      await e2e.restartServer(1000);
      await log.getByText(/session disconnected: (reconnecting|disconnected)/).first().waitFor();
      await log.getByText('connection status: reconnecting').first().waitFor();
      await waitFor(page, () => (window as any).__e2e.events.filter((e: any) => e.name === 'session_connected').length >= 2, undefined, 'connected again', 30_000);
      const after = unique('after the restart');
      await e2e.agent.reply(conv.id, after);
      await panelShows(page, after);
      const mine = unique('visitor after the restart');
      await visitorSend(page, mine);
      await e2e.agent.waitForVisitorMessage(mine);
      // While the server was down the browser logged failed connection attempts: expected.
      p.assertNoUnexpectedErrors([/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/]);
    });
  });

  it('connection status log: an agent bans the visitor -> session disconnected, auth_closed, widget hidden', T, async () => {
    await withPage(e2e, '/demo/connection-status.html', async (page, p) => {
      const log = page.locator('#log');
      await log.getByText('session connected').waitFor();
      const uid = (await waitForEvent(page, 'visitor_auth_ready')).detail.visitorUid;
      await e2e.agent.request('POST', `/v1/agent/visitors/${encodeURIComponent(uid)}/ban`, { banned: true });
      const closed = await waitForEvent(page, 'auth_closed');
      assert.equal(closed.detail.closeCode, 4005);
      assert.equal(closed.detail.closeAuthType, 'visitor_banned');
      assert.equal(closed.detail.source, 'ws');
      assert.equal(typeof closed.detail.message, 'string');
      assert.equal(typeof closed.detail.clearToken, 'boolean');
      assert.equal(typeof closed.detail.terminal, 'string');
      await log.getByText('session disconnected:').first().waitFor();
      await waitForVisibility(page, 'hidden');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'hidden' });
      // No blind reconnect after an auth close.
      await page.waitForTimeout(1500);
      assert.equal((await events(page, 'session_connected')).length, 1, 'no reconnect after auth_closed');
      p.assertNoUnexpectedErrors();
    });
  });

  it('theme switch: dark on initialized; the buttons switch it, get("theme") follows, the panel renders it', T, async () => {
    await withPage(e2e, '/demo/theme.html', async (page, p) => {
      await waitForEvent(page, 'bridge_ready');
      await waitFor(page, () => (window as any).TWTChatWidget.get('theme') === 'dark', undefined, 'theme dark');
      const panelScheme = () => panelTheme(surface(page, 'panel'));
      await until(async () => (await panelScheme()).includes('dark'), 'panel in dark theme');
      await page.locator('button[data-theme="light"]').click();
      await page.locator('#log').getByText('set_theme light ok').waitFor();
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('theme')), 'light');
      await until(async () => (await panelScheme()).includes('light'), 'panel in light theme');
      await page.locator('button[data-theme="system"]').click();
      await page.locator('#log').getByText('set_theme system ok').waitFor();
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('theme')), 'system');
      p.assertNoUnexpectedErrors();
    });
  });

  it('language switch: zh-cn config, setLanguage("en") on initialized, regional variants normalised', T, async () => {
    await withPage(e2e, '/demo/language.html', async (page, p) => {
      await waitForEvent(page, 'bridge_ready');
      const panelLang = () => surface(page, 'panel').locator('html').evaluate((html) => (html as HTMLElement).lang.toLowerCase());
      await until(async () => (await panelLang()) === 'en', 'panel lang en');
      await page.locator('button[data-lang="ja"]').click();
      await page.locator('#log').getByText('setLanguage ja ok').waitFor();
      await until(async () => (await panelLang()) === 'ja', 'panel lang ja');
      await page.locator('button[data-lang="zh-Hant"]').click();
      await page.locator('#log').getByText('setLanguage zh-Hant ok').waitFor();
      await until(async () => (await panelLang()) === 'zh-tw', 'panel lang zh-tw after zh-Hant');
      await page.locator('button[data-lang="pt-BR"]').click();
      await until(async () => (await panelLang()) === 'pt', 'panel lang pt after pt-BR');
      // The launcher follows too.
      assert.equal(await surface(page, 'launcher').locator('html').evaluate((html) => (html as HTMLElement).lang.toLowerCase()), 'pt');
      p.assertNoUnexpectedErrors();
    });
  });
});
