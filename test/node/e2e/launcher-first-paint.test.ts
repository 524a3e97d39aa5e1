/**
 * End-to-end: the launcher page paints its button before its script runs.
 * launcher.html carries the closed launcher as a declarative shadow root
 * (written at build time from src/runtime/launcher-look.ts), so the launcher
 * shows as soon as its page is parsed; once surface.js runs, the live element
 * takes that root over: one button, wired to the host. Here the surface
 * script is held back by the browser context until the first paint has been
 * seen, in real Chromium with site isolation on (the launcher is an
 * out-of-process frame).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Route } from 'playwright-core';
import { e2eHarness, surface, surfaceFrame, until, waitFor, waitForVisibility, TIMEOUT } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };
const e2e = e2eHarness();

describe('e2e: the launcher first paint', { timeout: 200_000 }, () => {
  it('paints the closed button from the page alone, then the live launcher takes its place and opens the panel', T, async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(TIMEOUT);
    try {
      // The surface pages' one entry script (dist/widget/surface-<hash>.js) waits until released.
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const held: string[] = [];
      await context.route(/\/widget\/surface-[\w-]+\.js$/, async (route: Route) => {
        held.push(route.request().url());
        await released;
        await route.continue();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${e2e.hostUrl}/demo/element.html`, { waitUntil: 'domcontentloaded' });

      const launcher = (await until(() => surfaceFrame(page, 'launcher'), 'the launcher frame', { timeout: TIMEOUT }))!;
      const painted = await waitFor(
        launcher,
        () => {
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          const button = document.querySelector('twt-launcher-app')?.shadowRoot?.querySelector('button');
          return fcp && button ? { defined: !!customElements.get('twt-launcher-app'), label: button.getAttribute('aria-label'), width: button.getBoundingClientRect().width } : null;
        },
        undefined,
        'the launcher page painted',
      );
      assert.deepEqual(painted, { defined: false, label: 'Open chat', width: 56 }, 'painted from the page itself, the script still held back');
      assert.ok(held.length >= 1, 'the surface script was requested and held');

      release();
      // The live element upgraded and connected to the host (its bridge set once the host answered).
      await waitFor(launcher, () => !!(document.querySelector('twt-launcher-app') as unknown as { bridge: unknown }).bridge, undefined, 'the live launcher connected');
      const live = await launcher.evaluate(() => {
        const root = document.querySelector('twt-launcher-app')!.shadowRoot!;
        return { defined: !!customElements.get('twt-launcher-app'), buttons: root.querySelectorAll('button').length, templates: document.querySelectorAll('template').length, styles: root.querySelectorAll('style').length, sheets: root.adoptedStyleSheets.length };
      });
      assert.deepEqual(live, { defined: true, buttons: 1, templates: 0, styles: 0, sheets: 1 }, 'the live element replaced the first paint');
      await surface(page, 'launcher').locator('button').click();
      await waitForVisibility(page, 'maximized');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
