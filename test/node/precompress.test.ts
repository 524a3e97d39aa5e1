// scripts/precompress.mjs (a build step): a .br (q11) and a .gz (-9) next to each served file that shrinks,
// none for one that does not, and no sidecar left once its file is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
// @ts-expect-error: plain ESM script without declarations
import { precompress, servedSize } from '../../scripts/precompress.mjs';

test('sidecars decode to their file; incompressible files get none; orphans are removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twt-precompress-'));
  mkdirSync(join(dir, 'sub'));
  const js = 'export const x = "surface";\n'.repeat(200);
  writeFileSync(join(dir, 'sub', 'a-12345678.js'), js);
  writeFileSync(join(dir, 'noise.png'), randomBytes(4096));
  writeFileSync(join(dir, 'gone.js.br'), 'old');
  precompress([dir]);
  assert.equal(brotliDecompressSync(readFileSync(join(dir, 'sub', 'a-12345678.js.br'))).toString(), js);
  assert.equal(gunzipSync(readFileSync(join(dir, 'sub', 'a-12345678.js.gz'))).toString(), js);
  assert.equal(existsSync(join(dir, 'noise.png.br')), false);
  assert.equal(existsSync(join(dir, 'noise.png.gz')), false);
  assert.equal(existsSync(join(dir, 'gone.js.br')), false);
  assert.equal(servedSize(join(dir, 'sub', 'a-12345678.js'), 'br'), readFileSync(join(dir, 'sub', 'a-12345678.js.br')).length);
  assert.equal(servedSize(join(dir, 'noise.png'), 'br'), 4096);
});
