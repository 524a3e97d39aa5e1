// Server-side rendering (Next.js, Nuxt, Astro import the package in Node): importing the ESM entry points
// must not throw and must register nothing; the elements register in the browser (see the browser suites).
// Runs against the built dist/esm (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

const entries = ['dist/esm/index.js', 'dist/esm/define.js', 'dist/esm/elements/twt-chat-widget.js', 'dist/esm/elements/twt-launcher.js'];

test('the ESM entry points import in Node without a DOM', async () => {
  assert.equal(typeof (globalThis as { window?: unknown }).window, 'undefined');
  for (const entry of entries) {
    assert.ok(existsSync(entry), `${entry} is missing: run \`npm run build\` first`);
    const mod = await import(new URL(`../../${entry}`, import.meta.url).href);
    assert.ok(Object.keys(mod).length > 0 || entry.endsWith('define.js'), entry);
  }
  const { TwtChatWidget, TwtLauncher, createShim, SDK_VERSION } = await import(new URL('../../dist/esm/index.js', import.meta.url).href);
  assert.equal(typeof TwtChatWidget, 'function');
  assert.equal(typeof TwtLauncher, 'function');
  assert.equal(typeof createShim, 'function');
  assert.match(SDK_VERSION, /^\d+\.\d+\.\d+/);
});
