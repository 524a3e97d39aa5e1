/**
 * End-to-end: attachments both ways, in Chromium against the real server. The visitor attaches an image and a
 * PDF in the panel (the button's file input) and sends them; the agent API has them, the files are served with
 * their inert headers, and the panel shows the image inline (really decoded) and the PDF as a link. The agent
 * signs in to the console, sees the visitor's image inline, and replies with a file, which reaches the panel.
 * An executable renamed .png is refused, and the panel says why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, e2eHarness, fillConsoleSignIn, openChatAndSay, surface, until, withPage } from '../../helpers/e2e/harness.js';
import { exe, pdf, png } from '../../helpers/attachment-files.js';

const e2e = e2eHarness();
const file = (name: string, mimeType: string, bytes: Uint8Array) => ({ name, mimeType, buffer: Buffer.from(bytes) });

describe('e2e: attachments', { timeout: 240_000 }, () => {
  it('visitor sends an image and a PDF, the agent sees them and replies with a file; a renamed .exe is refused', { timeout: 200_000 }, async () => {
    await withPage(e2e, '/demo/install.html', async (page) => {
      const hello = await openChatAndSay(page, 'Files test');
      const conversation = await e2e.agent.waitForVisitorMessage(hello);
      const panel = surface(page, 'panel');

      // Attach two files; both upload, then one message carries them.
      await panel.locator('#files').setInputFiles([file('photo.png', 'image/png', png(40, 30)), file('report.pdf', 'application/pdf', pdf())]);
      const tray = panel.getByRole('list', { name: 'Files to send' });
      await tray.getByRole('listitem').filter({ hasText: 'report.pdf' }).waitFor();
      await until(async () => (await tray.locator('progress').count()) === 0, 'both uploads to finish');
      await panel.getByRole('button', { name: 'Send' }).click();
      await tray.waitFor({ state: 'detached' });

      // The agent has them, as the server described them.
      const withFiles = await until(async () => (await e2e.agent.messages(conversation.id)).find((m) => m.attachments?.length === 2), 'the message with files');
      const [image, doc] = withFiles.attachments;
      assert.deepEqual([image.name, image.type, image.width, image.height], ['photo.png', 'image/png', 40, 30]);
      assert.deepEqual([doc.name, doc.type], ['report.pdf', 'application/pdf']);

      // Served inert from the widget origin.
      const served = await fetch(e2e.widgetUrl + doc.url);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'application/pdf');
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(served.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.equal(served.headers.get('content-disposition'), `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
      assert.match((await fetch(e2e.widgetUrl + image.url)).headers.get('content-disposition')!, /^inline; /);

      // The panel shows the image inline (decoded at its size) and the PDF as a link that opens in a new tab.
      const shown = panel.getByRole('img', { name: 'photo.png' });
      await until(async () => (await shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)) === 40, 'the image to load in the panel');
      assert.equal(await panel.getByRole('link', { name: /report\.pdf/ }).getAttribute('target'), '_blank');

      // The agent, in the console: sees the visitor's image inline and replies with a file.
      await withPage(e2e, `${e2e.widgetUrl}/console/`, async (con) => {
        await fillConsoleSignIn(con, DEMO_ADMIN.email, DEMO_ADMIN.password);
        await con.getByRole('status').getByText('online', { exact: true }).waitFor();
        await con.getByRole('region', { name: 'Conversations' }).getByRole('button').filter({ hasText: '📎 photo.png, report.pdf' }).first().click();
        const inline = con.getByRole('list', { name: 'Messages' }).getByRole('img', { name: 'photo.png' });
        await until(async () => (await inline.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)) === 40, 'the image to load in the console');
        await con.locator('#reply-files').setInputFiles([file('steps.txt', 'text/plain', new TextEncoder().encode('1. restart\n2. retry\n'))]);
        await con.getByRole('list', { name: 'Files to send' }).getByText('ready').waitFor();
        await con.getByLabel('Reply').fill('See the steps attached');
        await con.getByRole('button', { name: 'Send', exact: true }).click();
        await con.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' });
      });
      const link = panel.getByRole('link', { name: /steps\.txt/ });
      await link.waitFor();
      const reply = (await e2e.agent.messages(conversation.id)).find((m) => m.author === 'agent' && m.attachments?.length);
      assert.equal(await link.getAttribute('href'), reply.attachments[0].url);
      assert.equal(await (await fetch(e2e.widgetUrl + reply.attachments[0].url)).text(), '1. restart\n2. retry\n');

      // A program renamed .png: refused by its content, and the panel says why.
      await panel.locator('#files').setInputFiles([file('cute-cat.png', 'image/png', exe())]);
      await panel.getByRole('list', { name: 'Files to send' }).getByRole('alert').filter({ hasText: 'This type of file cannot be sent.' }).waitFor();
    });
  });
});
