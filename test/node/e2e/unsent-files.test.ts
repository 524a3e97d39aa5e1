/**
 * End-to-end: a visitor's message with a file is on its way when an admin deletes the conversation (its upload
 * goes with it), in Chromium against the real server. The message is never lost: the panel still holds the file
 * and uploads it again into the new conversation, which the agents get with the file. The send frame is lost in
 * the network (Playwright's WebSocket route between the panel and the real server) so that the message is still
 * unsent when the delete lands. (A panel that no longer holds the file sends the text alone and names the file:
 * src/runtime/attachments.test.ts; in a cross-site embed the panel has no sessionStorage, so a reload loses the
 * whole unsent message there, as it does any.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { e2eHarness, openChatAndSay, openPage, surface, unique, until, visitorSend } from '../../helpers/e2e/harness.js';
import { png } from '../../helpers/attachment-files.js';

const e2e = e2eHarness();

/** The panel's socket through a route that drops the visitor's `send` frames while `held` is on (a network that loses them). */
async function lossyNetwork(context: BrowserContext) {
  const net = { held: false, dropped: 0 };
  await context.routeWebSocket(/\/v1\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (net.held && typeof m === 'string' && JSON.parse(m).type === 'send') return void net.dropped++;
      server.send(m);
    });
  });
  return net;
}

/** A chat with one message, then a message with `file` and its text lost on the way: returns the conversation and that text. */
async function sendLost(page: Page, net: { held: boolean; dropped: number }, file: string) {
  const hello = await openChatAndSay(page, 'Before the delete');
  const conversation = await e2e.agent.waitForVisitorMessage(hello);
  const panel = surface(page, 'panel');
  await panel.locator('#files').setInputFiles([{ name: file, mimeType: 'image/png', buffer: Buffer.from(png(20, 10)) }]);
  await until(async () => (await panel.getByRole('list', { name: 'Files to send' }).locator('progress').count()) === 0, 'the upload to finish');
  net.held = true;
  const text = unique('Here is my card');
  await visitorSend(page, text);
  await until(() => net.dropped === 1, 'the send frame to be lost');
  await e2e.agent.request('POST', `/v1/agent/conversations/${conversation.id}/delete`, {});
  net.held = false;
  return { conversation, text };
}

describe('e2e: a message with files survives its conversation’s deletion', { timeout: 240_000 }, () => {
  it('the panel still holds the file: uploaded again into the new conversation and sent with the message', { timeout: 120_000 }, async () => {
    const opened = await openPage(e2e, '/demo/install.html');
    try {
      const net = await lossyNetwork(opened.context);
      await opened.page.reload();
      const { conversation, text } = await sendLost(opened.page, net, 'id-card.png');
      const fresh = await e2e.agent.waitForVisitorMessage(text);
      assert.notEqual(fresh.id, conversation.id);
      const [message] = await e2e.agent.messages(fresh.id);
      assert.equal(message.text, text);
      assert.deepEqual(message.attachments.map((a: any) => a.name), ['id-card.png']);
      const served = await fetch(e2e.widgetUrl + message.attachments[0].url);
      assert.deepEqual(new Uint8Array(await served.arrayBuffer()), png(20, 10));
      const panel = surface(opened.page, 'panel');
      await panel.getByRole('img', { name: 'id-card.png' }).waitFor();
      assert.equal(await panel.getByText('Not sent').count(), 0);
      opened.assertNoUnexpectedErrors([/invalid_attachment/, /Failed to load resource/]);
    } finally {
      await opened.close();
    }
  });
});
