/**
 * Real clients: the integrations real sites use, installed from npm (this repo's devDependencies: React 19,
 * Vue 3, GrapesJS, Turbo Drive, lit), against the packed tarball and the real server, in Chromium with its
 * default settings. The pages and their sources are in test/integrations/, one per integration; they are
 * copied into a fresh project that has the tarball installed, and esbuild bundles them there in one step,
 * so `twt-chat-widget` resolves to the installed package exactly as in a user's project. Pages that load
 * core.js load it from the widget server, which serves the same file the tarball ships (checked below).
 *
 * Each test asserts what a visitor or the site's code sees: the launcher iframe, the panel opening, a
 * message reaching the agent REST API and the agent's reply reaching the panel, the events the integration
 * received, and no second bootstrap where the widget must survive.
 *
 * Needs `npm run build` (npm test builds first when dist/ is stale).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import type { Frame, Page } from 'playwright-core';
import { ROOT, installPackedTarball, pkg, type PackedInstall } from './packed-package.js';
import {
  startE2E,
  withPage,
  events,
  waitFor,
  waitForEvent,
  waitForVisibility,
  chatRoundTrip,
  clickLauncher,
  panelShows,
  panelTheme,
  until,
  surface,
  surfaceCount,
  surfaceSelector,
  type E2E,
  type WidgetHost,
} from '../helpers/e2e/harness.js';

const INTEGRATIONS = join(ROOT, 'test', 'integrations');
/** The bundled entry of each page that has one (output name -> source in test/integrations/). */
const ENTRIES = { react: 'react.jsx', vue: 'vue.js', grapesjs: 'grapesjs.js', turbo: 'turbo.js', 'lit-host': 'lit-host.js' };
/** The bundles that import the widget from the npm package. */
const USE_THE_PACKAGE = ['react', 'vue', 'lit-host'];

const T = { timeout: 120_000 };
let packed: PackedInstall | undefined;
let e2e: E2E | undefined;
let metafile: Metafile;

/** The integration page `name` on the host site, told the widget server when it needs it (no core.js). */
const pageUrl = (name: string, query = '') => `/integrations/${name}?server=${encodeURIComponent(e2e!.widgetUrl)}${query}`;

/**
 * The app takes the chat out (its `#toggle`) and puts it back: no surface is left in between; after, one
 * launcher, and the panel opened by the app (`#open`) shows the conversation's `reply` again.
 */
async function outAndBack(page: Page, reply: string, how: string): Promise<void> {
  await page.locator('#toggle').click();
  await until(async () => (await surfaceCount(page)) === 0, `no surface left once ${how} the chat`);
  await page.locator('#toggle').click();
  await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
  await page.locator('#open').click();
  await panelShows(page, reply);
  assert.equal(await surfaceCount(page, 'launcher'), 1, `${how} the chat, then back: one launcher`);
}

/** Bootstrap requests this document made (resource timing survives Turbo visits, which keep the document). */
function bootstraps(where: Page | Frame): Promise<number> {
  return where.evaluate(() => performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === '/v1/bootstrap').length);
}

/** Starts `window.TWTChatWidget.call(method)` in `where` and records how it settles (see `globalCallSettled`). */
async function startGlobalCall(where: Page | Frame, method: string): Promise<void> {
  await where.evaluate((m) => {
    const w = window as any;
    const calls: Record<string, string> = (w.__integrationCalls ??= {});
    calls[m] = 'pending';
    w.TWTChatWidget.call(m).then(
      () => (calls[m] = 'resolved'),
      (e: any) => (calls[m] = `rejected: ${e?.reason ?? e}`),
    );
  }, method);
}

/** Waits until the call started by `startGlobalCall` settles; fails unless it resolved. */
async function globalCallSettled(where: Page | Frame, method: string): Promise<void> {
  const outcome = await waitFor(where, (m: string) => ((window as any).__integrationCalls[m] === 'pending' ? false : (window as any).__integrationCalls[m]), method, `window.TWTChatWidget.call("${method}") to settle`);
  assert.equal(outcome, 'resolved', `TWTChatWidget.call("${method}")`);
}

/** `window.TWTChatWidget.call(method)` in `where`, waited for. */
async function callGlobalApi(where: Page | Frame, method: string): Promise<void> {
  await startGlobalCall(where, method);
  await globalCallSettled(where, method);
}

/** `window.TWTChatWidget.get('state').visibility`, or what get() threw (so an assertion shows it). */
function globalVisibility(where: Page | Frame): Promise<string> {
  return where.evaluate(() => {
    try {
      return (window as any).TWTChatWidget.get('state').visibility;
    } catch (e) {
      return `get("state") threw: ${(e as Error).message}`;
    }
  });
}

/**
 * A Turbo visit: clicks the link named `link`, or with `'Back'` goes back in history (a restoration visit,
 * rendered from Turbo's snapshot cache); waits until Turbo rendered `heading`'s page in the same document,
 * with a new <body>.
 */
async function turboVisit(page: Page, link: string, heading = link.toLowerCase()): Promise<void> {
  await page.evaluate(() => ((window as any).__bodyBeforeVisit = document.body));
  if (link === 'Back') await page.goBack({ waitUntil: 'commit' });
  else await page.getByRole('link', { name: link, exact: true }).click();
  await waitFor(page, (want: string) => (window as any).__bodyBeforeVisit !== document.body && document.querySelector('#page')?.textContent === want, heading, `Turbo to render "${heading}" with a new body in the same document`);
}

const panelIsDark = async (where: WidgetHost) => (await panelTheme(surface(where, 'panel'))).includes('dark');

describe('real integrations (npm packages, the packed tarball, the real server, Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    packed = installPackedTarball('integrations-app');
    cpSync(INTEGRATIONS, packed.app, { recursive: true });
    const result = await build({
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, join(packed!.app, src)])),
      outdir: join(packed.app, 'build'),
      absWorkingDir: packed.app,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      // The frameworks are this repo's devDependencies; the package (and its lit) come from the fresh project.
      nodePaths: [join(ROOT, 'node_modules')],
      jsx: 'automatic',
      // Development builds: React's StrictMode double-invokes effects only there.
      define: { 'process.env.NODE_ENV': '"development"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
      metafile: true,
      logLevel: 'silent',
    });
    metafile = result.metafile;
    e2e = await startE2E({}, { mounts: { '/integrations/': packed.app } });
  });

  after(async () => {
    await e2e?.close();
    packed?.remove();
  });

  it('the pages use the packed package: bundles take the widget from the installed tarball, whose core.js the server serves', async () => {
    for (const name of USE_THE_PACKAGE) {
      const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`build/${name}.js`));
      assert.ok(output, `no bundle for ${name}`);
      const inputs = Object.keys(output[1].inputs);
      assert.ok(
        inputs.some((f) => f.startsWith(`node_modules/${pkg.name}/dist/esm/`)),
        `${name}.js does not bundle the installed package:\n  ${inputs.filter((f) => !f.includes('node_modules/') || f.includes(pkg.name)).join('\n  ')}`,
      );
    }
    const served = await (await fetch(`${e2e!.widgetUrl}/install/core.js?version=v1.2`)).text();
    assert.equal(served, readFileSync(join(packed!.installed, 'dist', 'install', 'core.js'), 'utf8'), 'the server serves the core.js the tarball ships');
  });

  it('React 19: JSX in <StrictMode> boots one widget; a theme set while booting holds; ontwt- event props; unmount and mount again', T, async () => {
    await withPage(e2e!, pageUrl('react.html'), async (page, p) => {
      const log = page.locator('#log li');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await log.filter({ hasText: 'twt-initialized' }).first().waitFor();
      assert.ok((await log.filter({ hasText: 'theme set to dark; widget initialized: false' }).count()) > 0, 'the app changed the theme while the widget was booting (else this test would not check that case)');
      await until(() => panelIsDark(page), 'the panel in the dark theme React set while the widget booted');
      assert.equal(await surfaceCount(page, 'launcher'), 1, 'StrictMode: one launcher');
      assert.equal(await surfaceCount(page, 'panel'), 1, 'StrictMode: one panel');

      await page.locator('#open').click();
      await page.locator('#visibility').getByText('maximized', { exact: true }).waitFor();
      const { reply } = await chatRoundTrip(e2e!, page, 'React');
      assert.equal(await bootstraps(page), 1, "StrictMode's double effects boot the widget once");

      await outAndBack(page, reply, 'React unmounted');
      assert.equal(await surfaceCount(page, 'panel'), 1, 'mounted again: one panel');
      p.assertNoUnexpectedErrors();
    });
  });

  it('Vue 3: the element in a template (isCustomElement), :theme and @twt- events, v-if takes it out and puts it back', T, async () => {
    await withPage(e2e!, pageUrl('vue.html'), async (page, p) => {
      const log = page.locator('#log li');
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await log.filter({ hasText: 'twt-initialized' }).first().waitFor();
      await page.locator('#open').click();
      await page.locator('#visibility').getByText('maximized', { exact: true }).waitFor();
      const { reply } = await chatRoundTrip(e2e!, page, 'Vue');
      await page.locator('#theme').click();
      await until(() => panelIsDark(page), 'the panel dark after :theme changed');

      await outAndBack(page, reply, 'v-if removed');
      await until(() => panelIsDark(page), 'back again: the panel keeps the bound theme');
      p.assertNoUnexpectedErrors();
    });
  });

  it('GrapesJS: core.js through canvas.scripts, a chat block by attributes, window.TWTChatWidget in the canvas drives it', T, async () => {
    await withPage(e2e!, pageUrl('grapesjs.html'), async (page, p) => {
      const canvasElement = page.locator('iframe.gjs-frame');
      await canvasElement.waitFor();
      const canvas = (await (await canvasElement.elementHandle())!.contentFrame())!;
      const inCanvas = page.frameLocator('iframe.gjs-frame');
      await canvas.locator('h1').getByText('Our landing page').waitFor();
      await waitFor(canvas, () => typeof (window as any).TWTChatWidget?.call === 'function', undefined, 'core.js (from canvas.scripts) to run in the canvas');
      // The site's code subscribes before any chat block exists.
      await canvas.evaluate(() => {
        const w = window as any;
        w.__seen = [];
        w.TWTChatWidget.on('initialized', () => w.__seen.push('initialized'));
        w.TWTChatWidget.on('visibility_changed', (p: any) => w.__seen.push(`visibility_changed ${p.visibility}`));
      });
      assert.equal(await canvas.locator('twt-chat-widget').count(), 0, 'no chat element before the block is added');

      await page.locator('#add-chat').click();
      await inCanvas.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await waitFor(canvas, () => (window as any).__seen.includes('initialized'), undefined, 'on("initialized") in the canvas, registered before the block existed, to fire');
      await callGlobalApi(canvas, 'maximize');
      await waitFor(canvas, () => (window as any).__seen.includes('visibility_changed maximized'), undefined, 'on("visibility_changed") in the canvas to report maximized');
      assert.equal(await globalVisibility(canvas), 'maximized', 'TWTChatWidget.get("state") in the canvas');
      await surface(inCanvas, 'panel').locator('textarea').first().waitFor({ state: 'visible' });
      await chatRoundTrip(e2e!, inCanvas, 'GrapesJS canvas');
      assert.equal(await bootstraps(canvas), 1, 'one bootstrap in the canvas');
      p.assertNoUnexpectedErrors();
    });
  });

  for (const variant of ['turbo-snippet.html', 'turbo-permanent.html']) {
    const how = variant === 'turbo-snippet.html' ? 'the legacy snippet in <head>' : 'a data-turbo-permanent <twt-chat-widget>';
    it(`Turbo Drive, ${how}: across visits one widget, no new bootstrap, the open panel stays open, the conversation continues`, T, async () => {
      await withPage(e2e!, pageUrl(variant, '&page=home'), async (page, p) => {
        await page.locator('#page').getByText('home', { exact: true }).waitFor();
        await waitForEvent(page, 'initialized');
        await page.evaluate(() => ((window as any).__widgetBeforeVisits = document.querySelector('twt-chat-widget')));
        await clickLauncher(page);
        await waitForVisibility(page, 'maximized');
        const earlier = await chatRoundTrip(e2e!, page, 'before the Turbo visits');

        for (const [link, heading] of [['Pricing', 'pricing'], ['About', 'about'], ['Home', 'home'], ['Back', 'about']]) {
          await turboVisit(page, link, heading);
          await until(async () => (await surfaceCount(page, 'launcher')) === 1 && (await surfaceCount(page, 'panel')) === 1, `one launcher and one panel after the Turbo visit to ${link}`);
          assert.equal(await page.locator('twt-chat-widget').count(), 1, `one widget element after the visit to ${link}`);
          assert.equal(await globalVisibility(page), 'maximized', `the panel stays open after the visit to ${link}`);
          await page.locator(surfaceSelector('panel')).waitFor({ state: 'visible' });
        }
        await panelShows(page, earlier.reply);
        const later = await chatRoundTrip(e2e!, page, 'after the Turbo visits');
        assert.equal(later.conversation.id, earlier.conversation.id, 'the same conversation continues');
        assert.equal(await bootstraps(page), 1, 'no new bootstrap after the visits');
        assert.equal((await events(page, 'initialized')).length, 1, 'initialized once');
        assert.ok(await page.evaluate(() => document.querySelector('twt-chat-widget') === (window as any).__widgetBeforeVisits), 'the same widget element is on the page after the visits');
        p.assertNoUnexpectedErrors();
      });
    });
  }

  it('LitElement host: the widget in its shadow root follows the host property and its events reach the host; window.TWTChatWidget drives it', T, async () => {
    await withPage(e2e!, '/integrations/lit.html', async (page, p) => {
      const log = page.locator('support-chat #log li');
      const launcher = page.locator(surfaceSelector('launcher'));
      await launcher.waitFor({ state: 'visible' });
      // From inside the shadow root, the launcher still sits in the page's bottom-right corner (default offsets, 20 px).
      const box = (await launcher.boundingBox())!;
      assert.deepEqual([Math.round(1280 - box.x - box.width), Math.round(900 - box.y - box.height)], [20, 20], 'launcher offsets from the right and bottom edges');
      await log.filter({ hasText: 'twt-initialized' }).first().waitFor();
      await callGlobalApi(page, 'maximize');
      await log.filter({ hasText: 'twt-visibility-changed {"visibility":"maximized"}' }).first().waitFor();
      assert.equal(await globalVisibility(page), 'maximized', 'TWTChatWidget.get("state")');
      await chatRoundTrip(e2e!, page, 'Lit host');
      await page.evaluate(() => ((document.querySelector('support-chat') as any).theme = 'dark'));
      await until(() => panelIsDark(page), "the panel dark after the host's theme property changed");
      p.assertNoUnexpectedErrors();
    });
  });

  it('innerHTML page builder: the element written after core.js ran boots; on() and call() made before it existed reach it; get() reads it', T, async () => {
    await withPage(e2e!, '/integrations/innerhtml.html', async (page, p) => {
      const log = page.locator('#log li');
      await waitFor(page, () => !!customElements.get('twt-chat-widget'), undefined, 'core.js to define the element');
      // The page asks for the panel before the block exists: the call waits for the widget, then opens it.
      await startGlobalCall(page, 'maximize');
      await page.locator('#insert').click();
      await page.locator(surfaceSelector('launcher')).waitFor({ state: 'visible' });
      await log.getByText('initialized', { exact: true }).waitFor();
      await globalCallSettled(page, 'maximize');
      await log.getByText('visibility_changed maximized', { exact: true }).waitFor();
      assert.equal(await globalVisibility(page), 'maximized', 'TWTChatWidget.get("state")');
      await chatRoundTrip(e2e!, page, 'page-builder block');
      p.assertNoUnexpectedErrors();
    });
  });
});
