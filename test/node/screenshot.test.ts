/**
 * The README screenshot is taken by scripts/screenshot.mjs (real server, host
 * page on another origin, headless Chromium, agent reply over REST). This test
 * runs that same flow into a temp file, so the committed docs/screenshot.png
 * can always be retaken: `node --import tsx scripts/screenshot.mjs`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { takeScreenshot } from '../../scripts/screenshot.mjs';
// @ts-expect-error: a plain .mjs script without type declarations
import { takeInboxScreenshot } from '../../scripts/inbox-screenshot.mjs';

/** Width and height of a PNG, or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('README screenshot', () => {
  it('the committed docs/screenshot.png is a 1100x760 PNG', () => {
    assert.deepEqual(pngSize(readFileSync(new URL('../../docs/screenshot.png', import.meta.url))), { width: 1100, height: 760 });
  });

  it('can be retaken: widget open with a visitor/agent conversation', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twt-shot-'));
    try {
      const file: string = await takeScreenshot(join(dir, 'shot.png'));
      const bytes = readFileSync(file);
      assert.deepEqual(pngSize(bytes), { width: 1100, height: 760 });
      assert.ok(bytes.length > 20_000, `the screenshot is suspiciously small (${bytes.length} bytes)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README inbox screenshot', () => {
  it('the committed docs/inbox.png is a 1100x760 PNG', () => {
    assert.deepEqual(pngSize(readFileSync(new URL('../../docs/inbox.png', import.meta.url))), { width: 1100, height: 760 });
  });

  it('can be retaken: the console with conversations, a teammate viewing, canned replies offered', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twt-inbox-shot-'));
    try {
      const file: string = await takeInboxScreenshot(join(dir, 'inbox.png'));
      const bytes = readFileSync(file);
      assert.deepEqual(pngSize(bytes), { width: 1100, height: 760 });
      assert.ok(bytes.length > 20_000, `the screenshot is suspiciously small (${bytes.length} bytes)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
