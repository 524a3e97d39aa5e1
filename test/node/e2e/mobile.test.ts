/**
 * End-to-end: the widget on a phone-sized viewport (375x667, touch). The
 * launcher opens the panel full screen; keyboard focus stays inside the
 * panel (Tab and Shift+Tab cycle, never reaching the host page); Escape
 * closes it and gives focus back to the launcher's button. For contrast, on a
 * desktop viewport the panel sits beside the page and Tab leaves it for the page.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { e2eHarness, withPage, waitForEvent, waitFor, waitForVisibility, clickLauncher, surfaceFrame, surfaceSelector, until } from '../../helpers/e2e/harness.js';

const T = { timeout: 60_000 };
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true };
const e2e = e2eHarness();

const frameOf = (page: Page, surface: 'panel' | 'launcher'): Frame => {
  const f = surfaceFrame(page, surface);
  if (!f) throw new Error(`no ${surface} frame`);
  return f;
};

/** Which surface iframe (or host element) the host page's focus is on. */
const hostFocus = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return a?.getAttribute('data-twt-widget-surface') ?? `host:${a?.tagName.toLowerCase()}${a?.id ? '#' + a.id : ''}`;
  });

/** The focused element inside a surface, through shadow roots, as "tag.class label". */
const innerFocus = (frame: Frame) =>
  frame.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a === document.body) return 'body';
    return `${a.tagName.toLowerCase()}${a.classList.length ? '.' + [...a.classList].join('.') : ''} ${a.getAttribute('aria-label') ?? ''}`.trim();
  });

describe('e2e: mobile viewport', { timeout: 120_000 }, () => {
  it('the launcher opens the panel full screen; Tab cycles inside the panel; Escape closes it and focuses the launcher', T, async () => {
    await withPage(e2e, '/demo/install.html', { context: PHONE }, async (page, p) => {
      await waitForEvent(page, 'initialized');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await clickLauncher(page);
      await waitForVisibility(page, 'maximized');
      await waitForEvent(page, 'session_connected');
      const panel = frameOf(page, 'panel');
      await panel.locator('textarea:not([disabled])').waitFor();

      // Full screen: the panel iframe is the viewport, and it is what the visitor touches everywhere on it.
      const box = await page.locator(surfaceSelector('panel')).boundingBox();
      assert.deepEqual(box, { x: 0, y: 0, width: 375, height: 667 }, 'the panel covers the viewport');
      const hits = await page.evaluate(() =>
        [
          [1, 1],
          [374, 1],
          [187, 333],
          [1, 666],
          [374, 666],
        ].map(([x, y]) => document.elementFromPoint(x!, y!)?.getAttribute('data-twt-widget-surface') ?? document.elementFromPoint(x!, y!)?.tagName),
      );
      assert.deepEqual(hits, ['panel', 'panel', 'panel', 'panel', 'panel'], 'nothing of the host page or the launcher above the panel');
      assert.equal(await panel.evaluate(() => [innerWidth, innerHeight].join('x')), '375x667', 'the panel document gets the whole viewport');

      // Focus moved into the panel (its composer) on open.
      await waitFor(page, () => document.activeElement?.getAttribute('data-twt-widget-surface') === 'panel', undefined, 'focus in the panel iframe').catch(async (err) => {
        throw new Error(`${err.message} (host focus: ${await hostFocus(page)}, in the launcher: ${await innerFocus(frameOf(page, 'launcher'))}, page has focus: ${await page.evaluate(() => document.hasFocus())})`);
      });
      assert.equal(await innerFocus(panel), 'textarea', 'the composer has focus after opening');

      // Tab: every focusable of the panel once, then the first again; the host page never gets focus.
      const order: string[] = [];
      for (let i = 0; i < 9; i++) {
        await page.keyboard.press('Tab');
        assert.equal(await hostFocus(page), 'panel', `after Tab #${i + 1} focus is still in the panel`);
        order.push(await innerFocus(panel));
      }
      const cycle = order.indexOf(order[0]!, 1);
      assert.ok(cycle >= 3, `Tab cycles through at least minimize, messages, composer (got ${order.join(' → ')})`);
      for (let i = cycle; i < order.length; i++) assert.equal(order[i], order[i - cycle], `Tab order repeats (${order.join(' → ')})`);
      const ring = order.slice(0, cycle);
      assert.equal(new Set(ring).size, ring.length, `each element once per round (${ring.join(' → ')})`);
      for (const want of ['button.past', 'button.icon Minimize chat', 'ol.list Messages', 'textarea', 'button.send Send']) assert.ok(ring.includes(want), `${want} is in the Tab ring (${ring.join(' → ')})`);
      // The header's first control is "Past conversations" (then minimize).
      assert.equal(ring.indexOf('button.past'), (ring.indexOf('button.send Send') + 1) % ring.length, 'after the last element (send) comes the first (past conversations)');

      // Shift+Tab from the first element goes to the last one, still inside.
      while ((await innerFocus(panel)) !== 'button.past') await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await hostFocus(page), 'panel');
      assert.equal(await innerFocus(panel), 'button.send Send', 'Shift+Tab from the first goes to the last');

      // Escape: minimized, and focus is back on the launcher's button (Enter would reopen).
      await page.keyboard.press('Escape');
      await waitForVisibility(page, 'minimized');
      await waitFor(page, () => document.activeElement?.getAttribute('data-twt-widget-surface') === 'launcher', undefined, 'focus on the launcher iframe').catch(async (err) => {
        throw new Error(`${err.message} (host focus: ${await hostFocus(page)}, in the panel: ${await innerFocus(panel)}, page has focus: ${await page.evaluate(() => document.hasFocus())})`);
      });
      const launcher = frameOf(page, 'launcher');
      await until(async () => /^button /.test(await innerFocus(launcher)), 'focus on the launcher button').catch(async (err) => {
        throw new Error(`${err.message} (focused in the launcher: ${await innerFocus(launcher)})`);
      });
      assert.notEqual(await page.evaluate(() => document.elementFromPoint(187, 333)?.getAttribute('data-twt-widget-surface')), 'panel', 'the panel no longer covers the page');
      await page.keyboard.press('Enter');
      await waitForVisibility(page, 'maximized');
      p.assertNoUnexpectedErrors();
    });
  });

  it('desktop viewport: the panel does not trap focus; Tab leaves it for the page', T, async () => {
    await withPage(e2e, '/demo/install.html', async (page, p) => {
      await waitForEvent(page, 'initialized');
      await clickLauncher(page);
      await waitForVisibility(page, 'maximized');
      await waitForEvent(page, 'session_connected');
      const panel = frameOf(page, 'panel');
      await panel.locator('textarea:not([disabled])').waitFor();
      await waitFor(page, () => document.activeElement?.getAttribute('data-twt-widget-surface') === 'panel', undefined, 'focus in the panel iframe');
      // The panel holds four or five focusables (minimize, messages, composer, send…): Tab past them reaches the page.
      const visited: string[] = [];
      while ((await hostFocus(page)) === 'panel' && visited.length < 8) {
        visited.push(await innerFocus(panel));
        await page.keyboard.press('Tab');
      }
      assert.notEqual(await hostFocus(page), 'panel', `Tab left the panel (visited ${visited.join(' → ')})`);
      assert.equal(await page.evaluate(() => (window as any).TWTChatWidget.get('state').visibility), 'maximized', 'the panel stays open beside the page');
      // And the keyboard gets back in: the widget follows the page in tab order, so Tab from the page's last link
      // enters the panel. (Not Shift+Tab from wherever the Tab above went: past the document's end the browser
      // decides where focus goes, and that differs run to run.)
      await page.evaluate(() => [...document.body.querySelectorAll<HTMLElement>('a[href]')].pop()!.focus());
      await page.keyboard.press('Tab');
      await waitFor(page, () => document.activeElement?.getAttribute('data-twt-widget-surface') === 'panel', undefined, 'Tab from the page back into the panel');
      p.assertNoUnexpectedErrors();
    });
  });
});
