/**
 * End-to-end: agents with faces. An agent with a name and an uploaded avatar
 * types and answers; the visitor's panel (a cross-origin iframe in real
 * Chromium) says who is typing, then heads the answer with the agent's name and
 * avatar, loaded from the public avatar route of the widget server; the
 * header, with the app's reply time set by an admin, names her.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, withPage, waitForEvent, clickLauncher, visitorSend, panelShows, surface, unique, until, AgentApi, TIMEOUT } from '../../helpers/e2e/harness.js';
import { agentSocket } from '../../helpers/node/server.js';

const e2e = e2eHarness();
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('e2e: agents with faces', { timeout: 120_000 }, () => {
  it("the visitor sees who is typing, then the agent's name and avatar on the answer, and the header says Anna usually replies in minutes", { timeout: 90_000 }, async () => {
    const key = 'anna-faces-key';
    assert.ok(await e2e.server.data.agents.create({ name: 'Anna', key, appid: 'demo' }));
    const uploaded = await fetch(`${e2e.widgetUrl}/v1/agent/me/avatar`, { method: 'POST', body: new Uint8Array(PNG), headers: { authorization: `Bearer ${key}`, 'content-type': 'image/png' } });
    assert.equal(uploaded.status, 200, await uploaded.text());
    const anna = new AgentApi(e2e.widgetUrl, key);
    // The demo agent is an admin of every app: it says the team replies within minutes.
    await e2e.agent.request('POST', '/v1/agent/admin/apps/demo', { replyTime: 'minutes' });

    await withPage(e2e, '/demo/install.html', async (page) => {
      await clickLauncher(page);
      await waitForEvent(page, 'session_connected');
      const question = unique('who is there?');
      await visitorSend(page, question);
      const conversation = await anna.waitForVisitorMessage(question);
      const panel = surface(page, 'panel');

      const socket = await agentSocket(e2e.widgetUrl.replace(/^http/, 'ws'), key);
      try {
        socket.send({ type: 'typing', conversationId: conversation.id, typing: true });
        await panel.locator('.typing', { hasText: 'Anna is typing…' }).waitFor({ timeout: TIMEOUT });
      } finally {
        socket.close();
      }

      const answer = unique('Anna here');
      await anna.reply(conversation.id, answer);
      await panelShows(page, answer);
      const li = panel.locator('li.msg.agent', { hasText: answer });
      assert.equal((await li.locator('.from').innerText()).trim(), 'Anna');
      const face = li.locator('img.face');
      assert.match((await face.getAttribute('src')) ?? '', /\/v1\/apps\/demo\/agents\/\d+\/avatar$/);
      await until(() => face.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the avatar image to load', { timeout: TIMEOUT });
      assert.equal(await face.evaluate((img: HTMLImageElement) => img.naturalWidth), 1);
      assert.equal(await face.isVisible(), true);
      // The header names the agent who answered last.
      await panel.locator('.header .team', { hasText: 'Anna, usually replies in a few minutes' }).waitFor({ timeout: TIMEOUT });
    });
  });
});
