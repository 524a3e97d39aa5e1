// Build step: writes `<file>.br` (brotli q11) and `<file>.gz` (gzip -9) next to every file the server
// serves from dist/ (install/, widget/, console/), so it sends the smallest encoding the browser accepts
// without compressing anything at request time (server/http/static-files.ts reads them, and compresses in
// memory only a file that has none, e.g. demo/). A sidecar is written only when it is smaller than the
// file: the server decides which types are served compressed; here, images and fonts simply do not shrink.
// node:zlib only. Sidecars of files that no longer exist are removed, so a rebuild leaves no orphan.
import { readdirSync, readFileSync, writeFileSync, renameSync, rmSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

export const SERVED_DIST_DIRS = ['dist/install', 'dist/widget', 'dist/console'];
export const SIDECARS = { br: '.br', gzip: '.gz' };
const isSidecar = (name) => Object.values(SIDECARS).some((ext) => name.endsWith(ext));

export const brotli = (buf) =>
  brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length } });
export const gzip9 = (buf) => gzipSync(buf, { level: 9 });

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    // Dotfiles are never served (safeJoin), and an interrupted build's `.<name>.tmp` is one.
    if (e.name.startsWith('.')) {
      if (e.name.endsWith('.tmp')) rmSync(full);
      continue;
    }
    if (e.isDirectory()) yield* files(full);
    else if (e.isFile()) yield full;
  }
}

export function precompress(dirs = SERVED_DIST_DIRS) {
  let written = 0;
  let saved = 0;
  for (const dir of dirs.filter(existsSync)) {
    for (const file of files(dir)) {
      if (isSidecar(file)) {
        const source = file.slice(0, file.lastIndexOf('.'));
        if (!existsSync(source)) rmSync(file);
        continue;
      }
      const raw = readFileSync(file);
      for (const [encoding, ext] of Object.entries(SIDECARS)) {
        const body = encoding === 'br' ? brotli(raw) : gzip9(raw);
        if (body.length < raw.length) {
          // Written aside, then renamed: a running server never reads half a sidecar (a dotfile is never served).
          const aside = join(dirname(file), `.${basename(file)}${ext}.tmp`);
          writeFileSync(aside, body);
          renameSync(aside, file + ext);
          written++;
          saved += raw.length - body.length;
        } else if (existsSync(file + ext)) rmSync(file + ext);
      }
    }
  }
  return { written, saved };
}

/** The bytes the server sends for a built file in an encoding: its sidecar when there is one, else the file. */
export function servedSize(file, encoding) {
  const ext = SIDECARS[encoding];
  if (ext && existsSync(file + ext) && statSync(file + ext).mtimeMs >= statSync(file).mtimeMs) return statSync(file + ext).size;
  return statSync(file).size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { written, saved } = precompress();
  console.log(`precompress: ${written} sidecar files (.br q11, .gz -9) in ${SERVED_DIST_DIRS.join(', ')}, ${(saved / 1024).toFixed(1)} KB smaller in all`);
}
