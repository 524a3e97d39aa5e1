/**
 * End-to-end: the new-message tone (config `sound`, issue 15) in real Chromium against the real server: the option
 * reaches the panel (attribute and property, live), the panel plays a tone for an agent message while it is closed,
 * none while it is open or the option is off.
 *
 * Autoplay: desktop Chromium starts an AudioContext only after a user activation (AutoplayPolicy::
 * IsDocumentAllowedToPlay), and counts the host page's activation for the cross-origin panel only because the element
 * gives the panel iframe `allow="autoplay"`. Headless Chromium, the browser of this suite, applies no autoplay policy
 * to Web Audio (a fresh context runs at once, with any `--autoplay-policy` switch: checked on Chromium 156), so this
 * test checks the delegation itself instead: the panel iframe carries the permission and the panel's document has
 * the `autoplay` feature enabled (document.featurePolicy), which is what that Chromium check reads.
 *
 * What the test observes: an init script in the panel frame records each `AudioContext.resume()` call and each
 * oscillator start with the state of its AudioContext (the real Web Audio objects; nothing is replaced). A tone is two
 * oscillator starts on a `running` context.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { e2eHarness, withPage, waitForEvent, panelShows, surfaceFrame, unique, until } from '../../helpers/e2e/harness.js';

const e2e = e2eHarness();

/** Runs in every frame before its scripts; records only in the panel's document. */
function audioProbe() {
  if (!location.pathname.endsWith('/widget/panel.html')) return;
  const log: { what: 'resume' | 'start'; state: string }[] = [];
  (window as unknown as { __audio: typeof log }).__audio = log;
  const resume = AudioContext.prototype.resume;
  AudioContext.prototype.resume = function (this: AudioContext) {
    log.push({ what: 'resume', state: this.state });
    return resume.call(this);
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
    log.push({ what: 'start', state: this.context.state });
    return start.apply(this, args);
  };
}

const panelFrame = (page: Page): Frame => {
  const f = surfaceFrame(page, 'panel');
  assert.ok(f, 'the panel frame');
  return f;
};
const audioLog = (page: Page) => panelFrame(page).evaluate(() => (window as unknown as { __audio: { what: string; state: string }[] }).__audio);
/** The panel's conversation, read from its session (an evaluate is no user activation, unlike typing in the panel). */
const conversationId = (page: Page): Promise<string> =>
  until(() => panelFrame(page).evaluate(() => (document.querySelector('twt-panel-app') as unknown as { session: { conversationId: string | null } | null }).session?.conversationId ?? null), 'the panel conversation') as Promise<string>;
const setSound = (page: Page, on: boolean) => page.evaluate((v) => ((document.querySelector('twt-chat-widget') as HTMLElement & { sound: boolean }).sound = v), on);
/** The agent writes; resolves once the host has the unread count that message makes (the panel has handled it). */
async function agentWrites(page: Page, id: string, unread: number): Promise<void> {
  await e2e.agent.reply(id, unique('tone check'));
  await waitForEvent(page, 'unread_count_changed', { count: unread });
}

describe('e2e: new-message sound', { timeout: 120_000 }, () => {
  it('plays a tone for an agent message while the panel is closed and the option is on (attribute or property, live); the panel holds the autoplay permission', { timeout: 90_000 }, async () => {
    await withPage(e2e, '/demo/element.html', async (page) => {
      await page.addInitScript(audioProbe);
      await page.reload(); // the probe is in place before the panel's scripts run
      await waitForEvent(page, 'session_connected');
      const id = await conversationId(page);
      // The panel iframe carries the permission, and it reached the panel's (cross-origin) document.
      assert.equal(await page.locator('iframe[data-twt-widget-surface="panel"]').getAttribute('allow'), 'autoplay');
      assert.equal(await panelFrame(page).evaluate(() => (document as unknown as { featurePolicy: { allowsFeature(f: string): boolean } }).featurePolicy.allowsFeature('autoplay')), true);

      // 1. Off by default: no tone. 2. On (attribute, live): the next message sounds: one tone on a running context.
      //    The first is also the ordering sentinel of "no tone" for message 1 (messages are handled in order).
      await agentWrites(page, id, 1);
      await page.evaluate(() => document.querySelector('twt-chat-widget')!.setAttribute('sound', ''));
      await agentWrites(page, id, 2);
      await until(async () => (await audioLog(page)).filter((e) => e.what === 'start').length === 2, 'one tone (two notes)');
      assert.deepEqual((await audioLog(page)).map((e) => e.what + (e.what === 'start' ? `:${e.state}` : '')), ['resume', 'start:running', 'start:running']);

      // 3. Off (property, live): a message plays nothing; on again: the next one plays (the sentinel).
      await setSound(page, false);
      await agentWrites(page, id, 3);
      await setSound(page, true);
      await agentWrites(page, id, 4);
      await until(async () => (await audioLog(page)).filter((e) => e.what === 'start').length === 4, 'the tone of message 4');
      assert.equal((await audioLog(page)).filter((e) => e.what === 'resume').length, 2, 'no tone was asked for while the option was off');

      // 4. Not while the panel is open (the visitor reads along). Then closed again: the next message plays, the
      //    sentinel: a request for the message shown while open would be in the log before it.
      const call = (m: string) => page.evaluate((x) => (window as unknown as { TWTChatWidget: { call(m: string): Promise<unknown> } }).TWTChatWidget.call(x), m);
      await call('maximize');
      const whileOpen = unique('while open');
      await e2e.agent.reply(id, whileOpen);
      await panelShows(page, whileOpen);
      await call('minimize');
      await e2e.agent.reply(id, unique('after closing'));
      await until(async () => (await audioLog(page)).filter((e) => e.what === 'start').length === 6, 'the tone after the panel closed');
      assert.equal((await audioLog(page)).filter((e) => e.what === 'resume').length, 3, 'no tone was asked for while the panel was open');
    });
  });
});
