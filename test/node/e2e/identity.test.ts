/**
 * End-to-end: who the visitor is and where the widget may run — the
 * business-user login demo (a triple signed by the site's backend) and a host
 * page on an origin the app does not trust.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, withPage, waitForEvent, events, clickLauncher, visitorSend, surfaceCount, until, unique, panelShows, surface, visibility } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };
const e2e = e2eHarness();

describe('e2e: identity and trusted origins', { timeout: 600_000 }, () => {
  it('business-user login: forged and incomplete triples are refused; a signed one makes the visitor that user', T, async () => {
    await withPage(e2e, '/demo/login.html', async (page, p) => {
      const result = page.locator('#result');
      await waitForEvent(page, 'session_connected');
      const anonymous = (await waitForEvent(page, 'visitor_auth_ready')).detail.visitorUid;

      await page.locator('#login-bad').click();
      await result.getByText('wrong signature: refused (login_failed)').waitFor();
      await page.locator('#login-missing').click();
      await result.getByText('missing field: refused (login_failed)').waitFor();

      // Still the anonymous visitor, never the claimed user.
      await clickLauncher(page);
      const anonText = unique('anonymous question');
      await visitorSend(page, anonText);
      const anonConv = await e2e.agent.waitForVisitorMessage(anonText);
      assert.equal(anonConv.visitor.visitorUid, anonymous);
      assert.equal(anonConv.visitor.businessUser, undefined, 'a refused login attaches no business user');

      const before = (await events(page, 'visitor_auth_ready')).length;
      await page.locator('#login').click();
      await result.getByText('login: ok').waitFor();
      await until(async () => (await events(page, 'visitor_auth_ready')).length > before, 'visitor_auth_ready after login');
      await waitForEvent(page, 'session_connected');
      const loggedText = unique('question as 张三');
      await visitorSend(page, loggedText);
      const conv = await e2e.agent.waitForVisitorMessage(loggedText);
      assert.equal(conv.visitor.businessUser, 'session_token_123', 'agents see the business user id');
      assert.equal(conv.visitor.name, '张三');
      assert.equal(conv.visitor.email, 'zhangsan@example.com');
      const loggedUid = conv.visitor.visitorUid;

      // The call("login", {...}) form, same user: same visitor, same conversation.
      await page.locator('#login-call').click();
      await result.getByText('call login: ok').waitFor();
      await waitForEvent(page, 'session_connected');
      const again = unique('again as 张三');
      await visitorSend(page, again);
      const conv2 = await e2e.agent.waitForVisitorMessage(again);
      assert.equal(conv2.visitor.visitorUid, loggedUid);
      // The forged triple's refusal shows as a failed request in the console: expected.
      p.assertNoUnexpectedErrors([/\/v1\/visitor\/session\]: Failed to load resource: the server responded with a status of 401/]);
    });
  });

  it('shared computer: A logs in and chats, logs out; B (anonymous, then logged in) never sees A, in the tab or after a reload', T, async () => {
    await withPage(e2e, '/demo/login.html', async (page, p) => {
      const result = page.locator('#result');
      const userA = unique('user-a').replace(' ', '-');
      const userB = unique('user-b').replace(' ', '-');
      /** The next visitor_auth_ready and session_connected after `act` (a login, a logout). */
      const nextVisitor = async (act: () => Promise<void>) => {
        const [auth, connected] = [(await events(page, 'visitor_auth_ready')).length, (await events(page, 'session_connected')).length];
        await act();
        await until(async () => (await events(page, 'session_connected')).length > connected, 'session_connected');
        return (await events(page, 'visitor_auth_ready'))[auth]!.detail;
      };
      const logIn = (sbs: string) =>
        nextVisitor(async () => {
          await page.locator('#sbs').fill(sbs);
          await page.locator('#login').click();
          await result.getByText('login: ok').waitFor();
        });
      const logOut = () =>
        nextVisitor(async () => {
          await page.locator('#logout').click();
          await result.getByText('logout: ok').waitFor();
        });
      /** The panel lists `mine` (sent last: the ordering sentinel) and nothing of A's. */
      const seesOnly = async (mine: string, what: string) => {
        await panelShows(page, mine);
        const shown = await surface(page, 'panel').locator('.list').innerText();
        assert.ok(!shown.includes(textA), `${what}: A's message must not be shown, the panel shows: ${shown}`);
      };
      await waitForEvent(page, 'session_connected');

      // A logs in and chats.
      const a = await logIn(userA);
      await clickLauncher(page);
      const textA = unique('private note of A');
      await visitorSend(page, textA);
      await panelShows(page, textA);
      const convA = await e2e.agent.waitForVisitorMessage(textA);
      assert.equal(convA.visitor.businessUser, userA);

      // A logs out: a new anonymous visitor, the panel restarted without A's conversation.
      const anonB = await logOut();
      assert.notEqual(anonB.visitorUid, a.visitorUid);
      assert.equal(await visibility(page), 'minimized', 'the restarted widget is closed');
      await clickLauncher(page);
      const textB = unique('anonymous B asks');
      await visitorSend(page, textB);
      await seesOnly(textB, 'after logout, same tab');
      const convB = await e2e.agent.waitForVisitorMessage(textB);
      assert.notEqual(convB.id, convA.id);
      assert.equal(convB.visitor.visitorUid, anonB.visitorUid);

      // A reload: B is still B (the clue now names B), A nowhere.
      await page.reload();
      const reloaded = (await waitForEvent(page, 'visitor_auth_ready')).detail;
      assert.equal(reloaded.visitorUid, anonB.visitorUid);
      await waitForEvent(page, 'session_connected');
      await clickLauncher(page);
      await seesOnly(textB, 'after logout and reload');

      // B logs in for the first time: B's anonymous conversation carries over to B, still nothing of A.
      const b = await logIn(userB);
      assert.equal(b.visitorUid, anonB.visitorUid, "a first login keeps the anonymous visitor's conversation");
      const textB2 = unique('B, now logged in');
      await visitorSend(page, textB2);
      await seesOnly(textB2, 'B logged in');
      await panelShows(page, textB);
      const convB2 = await e2e.agent.waitForVisitorMessage(textB2);
      assert.equal(convB2.id, convB.id);
      assert.equal(convB2.visitor.businessUser, userB);

      // A reload without a login (this page logs in by a button): B's business visitor never opens to the clue.
      await page.reload();
      const after = (await waitForEvent(page, 'visitor_auth_ready')).detail;
      assert.notEqual(after.visitorUid, b.visitorUid, 'a logged-in visitor never goes to an anonymous session');
      assert.notEqual(after.visitorUid, a.visitorUid);
      await waitForEvent(page, 'session_connected');
      await clickLauncher(page);
      const textC = unique('anonymous again');
      await visitorSend(page, textC);
      await seesOnly(textC, 'anonymous after reload');
      const shown = await surface(page, 'panel').locator('.list').innerText();
      assert.ok(!shown.includes(textB2), `B's messages are not shown to the next anonymous visitor: ${shown}`);
      p.assertNoUnexpectedErrors();
    });
  });

  it('untrusted host origin: bootstrap_failed (domain_not_whitelisted), nothing rendered, no token, no socket; surfaces refuse to be framed', T, async () => {
    await e2e.createApp('shop', ['example.com']);
    await withPage(e2e, '/as/shop/demo/install.html', async (page, p) => {
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      const failed = await waitForEvent(page, 'bootstrap_failed');
      assert.equal(failed.detail.reason, 'domain_not_whitelisted');
      assert.equal(failed.detail.source, 'bootstrap');
      assert.equal(failed.detail.mode, 'embedded');
      await page.waitForTimeout(1000);
      assert.equal(await surfaceCount(page), 0, 'no surface iframe');
      assert.equal(await page.locator('iframe').count(), 0, 'no iframe at all');
      assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'nothing stored');
      assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie');
      assert.deepEqual(sockets, [], 'no WebSocket');
      assert.equal((await events(page, 'initialized')).length, 0, 'never initialized');
      assert.equal((await events(page, 'visitor_auth_ready')).length, 0, 'no visitor identity');
      const conversations = await e2e.agent.request('GET', '/v1/agent/conversations?appid=shop');
      assert.deepEqual(conversations.conversations, [], 'no visitor or conversation created on the server');

      // Someone framing the runtime directly on that origin: the server's frame-ancestors refuses it.
      const frameUrl = `${e2e.widgetUrl}/widget/panel.html?appid=shop`;
      const response = await page.request.get(frameUrl);
      assert.match(response.headers()['content-security-policy'] ?? '', /frame-ancestors[^;]*example\.com/);
      assert.doesNotMatch(response.headers()['content-security-policy'] ?? '', /localhost/);
      await page.evaluate((src) => {
        const f = document.createElement('iframe');
        f.id = 'direct';
        f.src = src;
        document.body.append(f);
      }, frameUrl);
      await page.waitForTimeout(1500);
      const framed = page.frames().find((f) => f.url().startsWith(frameUrl));
      const rendered = framed ? await framed.evaluate(() => document.body?.childElementCount ?? 0).catch(() => 0) : 0;
      assert.equal(rendered, 0, 'the panel does not render inside an untrusted page');
      p.assertNoUnexpectedErrors([/status of 403|403 \(Forbidden\)/, /domain_not_whitelisted|not a trusted domain/i, /frame-ancestors|Refused to frame/i]);
    });
  });
});
