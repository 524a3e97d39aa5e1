/**
 * End-to-end: a repeat page view downloads no JS again. Every script a
 * surface page (or the agent console) loads carries its content hash in its
 * name and is served immutable for a year; only the pages and core.js
 * revalidate (a 304 when unchanged). In Chromium, a second view of a demo
 * page in the same browser context takes every widget script from the cache.
 * And a first view gets the build's precompressed brotli (Chromium asks for br
 * on loopback and HTTPS), which it decodes to the very files of the build.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import type { Response } from 'playwright-core';
// @ts-expect-error: plain ESM script without declarations
import { surfaceFiles } from '../../../scripts/check-size.mjs';
import { CORE_PATH, ROOT, withPage, waitForEvent, e2eHarness } from '../../helpers/e2e/harness.js';
import { SURFACES, surfacePage } from '../../../src/shared/bridge-protocol.js';

const T = { timeout: 90_000 };
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Rollup's `[name]-[hash].js` (scripts/rollup/pages.mjs). */
const HASHED_NAME = /\/[\w-]+-[A-Za-z0-9_-]{8}\.js$/;
/** Every surface page the host may ask for (the launcher's in each theme). */
const PAGES = [...new Set(SURFACES.flatMap((s) => (['light', 'dark'] as const).map((theme) => `/widget/${surfacePage(s, theme)}?appid=demo`)))];
const e2e = e2eHarness();

/** The page, then every script it loads, boot and lazy (the same walk as the byte budgets), as widget URLs. */
function surfaceScriptPaths(surface: string): string[] {
  const files: string[] = surfaceFiles(surface, { lazy: true });
  return files.filter((f) => f.endsWith('.js')).map((f) => '/' + relative(`${ROOT}/dist`, `${ROOT}/${f}`));
}

describe('e2e: repeat views', { timeout: 300_000 }, () => {
  it('every script a surface page loads has a hashed name and is served immutable', T, async () => {
    for (const surface of SURFACES) {
      const scripts = surfaceScriptPaths(surface);
      assert.ok(scripts.length >= 2, `${surface}: the pages' entry and at least one chunk (${scripts})`);
      for (const path of scripts) {
        assert.match(path, HASHED_NAME);
        const r = await fetch(e2e.widgetUrl + path);
        assert.equal(r.status, 200, path);
        assert.equal(r.headers.get('cache-control'), IMMUTABLE, path);
        await r.arrayBuffer();
      }
    }
    const consolePage = await (await fetch(`${e2e.widgetUrl}/console/`)).text();
    const consoleScripts = [...consolePage.matchAll(/<script[^>]*\bsrc="\.\/([^"]+)"/g)].map((m) => `/console/${m[1]}`);
    assert.equal(consoleScripts.length, 1, consolePage);
    for (const path of consoleScripts) {
      assert.match(path, HASHED_NAME);
      const r = await fetch(e2e.widgetUrl + path);
      assert.equal(r.headers.get('cache-control'), IMMUTABLE, path);
      await r.arrayBuffer();
    }
  });

  it('the pages and core.js revalidate: no-cache, and 304 to a conditional request', T, async () => {
    for (const path of [CORE_PATH, ...PAGES, '/console/']) {
      const r = await fetch(e2e.widgetUrl + path, { headers: { 'accept-encoding': 'br' } });
      assert.equal(r.status, 200, path);
      await r.arrayBuffer();
      assert.equal(r.headers.get('cache-control'), 'no-cache', path);
      const etag = r.headers.get('etag');
      assert.ok(etag, path);
      const again = await fetch(e2e.widgetUrl + path, { headers: { 'accept-encoding': 'br', 'if-none-match': etag } });
      assert.equal(again.status, 304, path);
    }
  });

  it('Chromium gets the precompressed brotli of core.js and the surfaces, and decodes it to the built files', T, async () => {
    await withPage(e2e, '/demo/element.html', async (page, p) => {
      const answers: Response[] = [];
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (r.url().startsWith(e2e.widgetUrl) && (path === '/install/core.js' || /^\/widget\/[\w.-]+\.(js|html)$/.test(path))) answers.push(r);
      });
      // A first visit again: nothing in the HTTP cache, every answer comes from the server.
      const cdp = await p.context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
      await page.reload({ waitUntil: 'load' });
      await waitForEvent(page, 'session_connected');
      const paths = answers.map((r) => new URL(r.url()).pathname);
      for (const want of ['/install/core.js', '/widget/launcher.html', '/widget/panel.html']) assert.ok(paths.includes(want), `${want} among ${paths}`);
      assert.ok(paths.filter((x) => x.endsWith('.js')).length >= 3, `core.js and the surfaces' scripts: ${paths}`);
      const checked = new Set<string>();
      for (const r of answers) {
        const path = new URL(r.url()).pathname;
        // The panel's copy of the pages' shared script is the launcher's, from the HTTP cache: no body of its own.
        const body = await r.body().catch(() => null);
        if (!body) continue;
        const file = `${ROOT}/dist${path}`;
        // Playwright sees the network's request headers of the page's own requests (not always of its iframes').
        const asked = (await r.request().allHeaders())['accept-encoding'];
        if (asked !== undefined || path === '/install/core.js') assert.match(asked ?? '', /\bbr\b/, `${path}: Chromium asked for br`);
        const headers = await r.allHeaders();
        assert.equal(headers['content-encoding'], 'br', path);
        assert.match(headers.vary ?? '', /Accept-Encoding/, path);
        // The bytes on the wire are the build's sidecar; what the page got is the built file itself.
        assert.equal(Number(headers['content-length']), statSync(file + '.br').size, `${path}: the .br sidecar`);
        assert.deepEqual(body, readFileSync(file), `${path}: decoded to the built file`);
        checked.add(path);
      }
      assert.deepEqual([...new Set(paths)].filter((x) => !checked.has(x)), [], 'every file answered and decoded');
      p.assertNoUnexpectedErrors();
    });
  });

  it('Chromium: the second view of a page downloads no widget script (all from the cache)', T, async () => {
    await withPage(e2e, '/demo/element.html', async (page, p) => {
      /**
       * Each widget frame's scripts with the bytes that came over the network
       * (Resource Timing: transferSize is 0 when the HTTP cache answered; the
       * frame's scripts are same-origin to it, so the figure is exposed).
       */
      const widgetScripts = async () => {
        const out: { url: string; transferSize: number }[] = [];
        for (const frame of page.frames()) {
          if (!/\/widget\/\w+\.html/.test(frame.url())) continue;
          const entries = await frame.evaluate(() =>
            (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
              .filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
              .map((e) => ({ url: e.name, transferSize: e.transferSize })),
          );
          out.push(...entries);
        }
        return out;
      };

      await waitForEvent(page, 'session_connected');
      const first = await widgetScripts();
      // The pages' one script in each frame (the launcher's and the panel's), and the panel's runtime chunk.
      assert.ok(first.length >= 3, `launcher and panel scripts seen on the first view: ${JSON.stringify(first)}`);
      assert.ok(first.some((e) => e.transferSize > 0), `the first view downloaded its scripts: ${JSON.stringify(first)}`);

      await page.goto(e2e.hostUrl + '/demo/element.html', { waitUntil: 'load' });
      await waitForEvent(page, 'session_connected');
      const second = await widgetScripts();
      assert.ok(second.length >= 3, `launcher and panel scripts seen on the second view: ${JSON.stringify(second)}`);
      const downloaded = second.filter((e) => e.transferSize > 0);
      assert.deepEqual(downloaded, [], 'scripts that went over the network on the second view');
      p.assertNoUnexpectedErrors();
    });
  });
});
