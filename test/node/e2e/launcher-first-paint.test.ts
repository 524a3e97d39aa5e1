/**
 * End-to-end: the launcher page paints its button before its script runs.
 * launcher.html (and launcher-dark.html, for a site in the dark theme) carries
 * the closed launcher as a declarative shadow root (written at build time from
 * src/runtime/launcher-look.ts), so the launcher shows as soon as its page is
 * parsed; once surface.js runs, the live element takes that root over: one
 * button, wired to the host. A site with its own launcher icon never sees that
 * default button: its launcher is shown once the live one has drawn the icon.
 * Here the surface script is held back by the browser context until the first
 * paint has been seen, in real Chromium with site isolation on (the launcher
 * is an out-of-process frame).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Page, Route } from 'playwright-core';
import { e2eHarness, surface, surfaceFrame, until, waitFor, waitForVisibility, TIMEOUT } from '../../helpers/e2e/harness.js';

const T = { timeout: 90_000 };
// A site in the dark theme, beside the demo pages.
const e2e = e2eHarness({}, { mounts: { '/site/': fileURLToPath(new URL('./launcher-first-paint/', import.meta.url)) } });

interface HeldVisit {
  page: Page;
  launcher: Frame;
  /** Lets the surface script through. */
  release: () => void;
  /** Surface script requests seen so far. */
  held: string[];
  errors: string[];
}

/**
 * Opens a host page with the surface pages' one entry script (dist/widget/surface-<hash>.js) held back until
 * released.
 */
async function visitHeld(context: BrowserContext, path: string): Promise<HeldVisit> {
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
  await page.goto(`${e2e.hostUrl}${path}`, { waitUntil: 'domcontentloaded' });
  const launcher = (await until(() => surfaceFrame(page, 'launcher'), 'the launcher frame', { timeout: TIMEOUT }))!;
  return { page, launcher, release, held, errors };
}

async function withContext(run: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  context.setDefaultTimeout(TIMEOUT);
  try {
    await run(context);
  } finally {
    await context.close();
  }
}

/** The launcher page's first contentful paint, once it came: its button as painted, and whether the script ran. */
function firstPaint(launcher: Frame) {
  return waitFor(
    launcher,
    () => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const button = document.querySelector('twt-launcher-app')?.shadowRoot?.querySelector('button');
      return fcp && button
        ? {
            defined: !!customElements.get('twt-launcher-app'),
            label: button.getAttribute('aria-label'),
            width: button.getBoundingClientRect().width,
            background: getComputedStyle(button).backgroundColor,
            colorScheme: getComputedStyle(document.documentElement).colorScheme,
          }
        : null;
    },
    undefined,
    'the launcher page painted',
  );
}

/** The launcher iframe's computed visibility on the host page. */
function launcherVisibility(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.querySelector('iframe[data-twt-widget-surface="launcher"]')!).visibility);
}

/** Resolves once the live launcher element has upgraded and connected to the host (its bridge set). */
function liveLauncher(launcher: Frame) {
  return waitFor(launcher, () => !!(document.querySelector('twt-launcher-app') as unknown as { bridge: unknown }).bridge, undefined, 'the live launcher connected');
}

describe('e2e: the launcher first paint', { timeout: 200_000 }, () => {
  it('paints the closed button from the page alone, then the live launcher takes its place and opens the panel', T, () =>
    withContext(async (context) => {
      const { page, launcher, release, held, errors } = await visitHeld(context, '/demo/element.html');
      const painted = await firstPaint(launcher);
      assert.deepEqual(painted, { defined: false, label: 'Open chat', width: 56, background: 'rgb(29, 78, 216)', colorScheme: 'light' }, 'painted from the page itself, the script still held back');
      assert.ok(held.length >= 1, 'the surface script was requested and held');
      assert.equal(await launcherVisibility(page), 'visible', 'the host shows the default launcher at once');

      release();
      await liveLauncher(launcher);
      const live = await launcher.evaluate(() => {
        const root = document.querySelector('twt-launcher-app')!.shadowRoot!;
        return { defined: !!customElements.get('twt-launcher-app'), buttons: root.querySelectorAll('button').length, templates: document.querySelectorAll('template').length, styles: root.querySelectorAll('style').length, sheets: root.adoptedStyleSheets.length };
      });
      assert.deepEqual(live, { defined: true, buttons: 1, templates: 0, styles: 0, sheets: 1 }, 'the live element replaced the first paint');
      await surface(page, 'launcher').locator('button').click();
      await waitForVisibility(page, 'maximized');
      assert.deepEqual(errors, []);
    }));

  it("on a site in the dark theme, the first paint is the dark page's: the live button's colours from the start", T, () =>
    withContext(async (context) => {
      const { page, launcher, release, errors } = await visitHeld(context, '/site/dark-site.html');
      assert.match(launcher.url(), /\/widget\/launcher-dark\.html\?/, "the host asked for the dark theme's page");
      const painted = await firstPaint(launcher);
      assert.deepEqual(painted, { defined: false, label: 'Open chat', width: 56, background: 'rgb(37, 99, 235)', colorScheme: 'dark' }, 'painted in the dark accent, the script still held back');
      assert.equal(await launcherVisibility(page), 'visible');

      release();
      await liveLauncher(launcher);
      const live = await launcher.evaluate(() => {
        const button = document.querySelector('twt-launcher-app')!.shadowRoot!.querySelector('button')!;
        return { background: getComputedStyle(button).backgroundColor, colorScheme: getComputedStyle(document.documentElement).colorScheme };
      });
      assert.deepEqual(live, { background: painted.background, colorScheme: 'dark' }, 'the live button draws what the first paint showed');
      assert.deepEqual(errors, []);
    }));

  it("with the site's own icon, the default first paint is never shown: the launcher appears once its live element has drawn that icon", T, () =>
    withContext(async (context) => {
      // window.__twt__config with `icon` (demo/launcher-icon.svg); the widget boots (initialized) while the script is held.
      const { page, launcher, release, errors } = await visitHeld(context, '/demo/legacy-config.html');
      await waitFor(launcher, () => !!document.querySelector('twt-launcher-app')?.shadowRoot?.querySelector('button svg'), undefined, 'the page parsed, its default button in it');
      // Initialized: the element reflects its visibility only while it runs.
      await waitFor(page, () => !!document.querySelector('twt-chat-widget')?.hasAttribute('visibility'), undefined, 'the widget initialized');
      assert.equal(await launcherVisibility(page), 'hidden', 'the default button is not shown for a site with its own icon');

      // Shown once the launcher has answered its first view: its live button then holds the site's icon.
      release();
      await waitFor(page, () => getComputedStyle(document.querySelector('iframe[data-twt-widget-surface="launcher"]')!).visibility === 'visible', undefined, 'the launcher shown');
      const drawn = await launcher.evaluate(() => {
        const root = document.querySelector('twt-launcher-app')!.shadowRoot!;
        return { icons: root.querySelectorAll('img.icon').length, svgs: root.querySelectorAll('svg').length, label: root.querySelector('button')!.getAttribute('aria-label') };
      });
      assert.deepEqual(drawn, { icons: 1, svgs: 0, label: 'Chat öffnen' }, "the live button with the site's icon (and the config's German)");
      assert.deepEqual(errors, []);
    }));
});
