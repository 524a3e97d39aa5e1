/**
 * The published package works when installed into a fresh project: `npm pack`,
 * `npm install <tarball>` in a new project in a temp dir, then from that
 * project: every `exports` target (and main/module/types/customElements)
 * exists, Node resolves every subpath, core.js is there and parses, the type
 * declarations typecheck a consumer, custom-elements.json lists both tags, and
 * esbuild bundles `import 'twt-chat-widget/define.js'`.
 *
 * Needs `npm run build` (npm test builds first when dist/ is stale).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, installPackedTarball, pkg, type PackedInstall } from './packed-package.js';

let packed: PackedInstall | undefined;
let app = '';
let installed = '';

/** Runs a small ES module inside the fresh project (so resolution starts from its node_modules). */
function runInApp(name: string, source: string): string {
  writeFileSync(join(app, name), source);
  return execFileSync(process.execPath, [name], { cwd: app, encoding: 'utf8', timeout: 30_000 });
}

describe('npm package (packed tarball installed into a fresh project)', { timeout: 180_000 }, () => {
  before(() => {
    packed = installPackedTarball();
    ({ app, installed } = packed);
  });

  after(() => {
    packed?.remove();
  });

  it('ships every file that package.json points to', () => {
    const targets = new Set<string>();
    const collect = (t: unknown) => {
      if (typeof t === 'string') targets.add(t);
      else if (t && typeof t === 'object') for (const v of Object.values(t)) collect(v);
    };
    collect(pkg.exports);
    for (const k of ['main', 'module', 'types', 'customElements']) if (pkg[k]) targets.add(pkg[k]);
    const missing = [...targets].filter((t) => !existsSync(join(installed, t)));
    assert.deepEqual(missing, [], `package.json points to files the installed package lacks (check "exports"/"files" against the build output): ${missing.join(', ')}`);
    assert.ok(existsSync(join(installed, 'dist/install/core.js')), 'dist/install/core.js missing');
  });

  it('resolves package.json and every export subpath from the fresh project', () => {
    const subpaths = Object.keys(pkg.exports).map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
    const out = runInApp(
      'resolve.mjs',
      `import { createRequire } from 'node:module';
       import { existsSync } from 'node:fs';
       import { fileURLToPath } from 'node:url';
       const require = createRequire(import.meta.url);
       const meta = require(${JSON.stringify(`${pkg.name}/package.json`)});
       const resolved = {};
       for (const s of ${JSON.stringify(subpaths)}) {
         const file = fileURLToPath(import.meta.resolve(s));
         if (!existsSync(file)) throw new Error(s + ' resolves to a missing file ' + file);
         resolved[s] = file;
       }
       console.log(JSON.stringify({ name: meta.name, version: meta.version, resolved }));`,
    );
    const r = JSON.parse(out);
    assert.equal(r.name, pkg.name);
    assert.equal(r.version, pkg.version);
    assert.match(r.resolved[`${pkg.name}/install/core.js`], /dist[\\/]install[\\/]core\.js$/);
    assert.match(r.resolved[`${pkg.name}/define.js`], /dist[\\/]esm[\\/]define\.js$/);
  });

  it('ships a core.js that parses as a classic script', () => {
    const out = runInApp(
      'core.mjs',
      `import { readFileSync } from 'node:fs';
       import { createRequire } from 'node:module';
       import vm from 'node:vm';
       const file = createRequire(import.meta.url).resolve(${JSON.stringify(`${pkg.name}/install/core.js`)});
       const code = readFileSync(file, 'utf8');
       new vm.Script(code, { filename: 'core.js' });
       console.log(code.length);`,
    );
    assert.ok(Number(out) > 1000, `core.js is suspiciously small (${out.trim()} bytes)`);
  });

  it('ships a custom-elements.json that lists both tags, and every option of the widget as attribute and property', async () => {
    const out = runInApp(
      'manifest.mjs',
      `import { readFileSync } from 'node:fs';
       import { createRequire } from 'node:module';
       const file = createRequire(import.meta.url).resolve(${JSON.stringify(`${pkg.name}/custom-elements.json`)});
       const m = JSON.parse(readFileSync(file, 'utf8'));
       const decls = m.modules.flatMap((mod) => (mod.declarations || []).filter((d) => d.customElement || d.tagName));
       const widget = decls.find((d) => d.tagName === 'twt-chat-widget');
       const fields = new Set(widget.members.filter((x) => x.kind === 'field').map((x) => x.name));
       console.log(JSON.stringify({
         tags: decls.map((d) => d.tagName).sort(),
         links: widget.attributes.map((a) => [a.name, a.fieldName, fields.has(a.fieldName)]),
       }));`,
    );
    const { tags, links } = JSON.parse(out);
    assert.deepEqual(tags, ['twt-chat-widget', 'twt-launcher']);
    // The element's reactive properties come from the option table: each attribute names its property, which is listed.
    const { CONFIG_KEYS, propertyOf, attributeOf } = await import('../../src/shared/config-fields.js');
    assert.deepEqual(
      links.sort(),
      CONFIG_KEYS.map((k) => [attributeOf(k), propertyOf(k), true]).sort(),
    );
  });

  it('ships type declarations that typecheck a consumer', () => {
    for (const t of [pkg.types, pkg.exports['.'].types, pkg.exports['./define.js'].types]) assert.ok(existsSync(join(installed, t)), `types file ${t} missing`);
    writeFileSync(
      join(app, 'consumer.ts'),
      `import 'twt-chat-widget/define.js';
       import { TwtChatWidget, SDK_VERSION, type TWTChatWidgetApi } from 'twt-chat-widget';
       const el: TwtChatWidget = document.createElement('twt-chat-widget');
       el.options = { appid: 'demo', server: 'https://chat.example.com' };
       const v: 'maximized' | 'minimized' | 'hidden' = el.visibility;
       const api: TWTChatWidgetApi = window.TWTChatWidget;
       const n: number = api.get('unread_count');
       export const used = [el, v, n, SDK_VERSION];
      `,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'], types: [] },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `tsc in the fresh project failed:\n${r.stdout}${r.stderr}`);
  });

  it('bundles with esbuild from the fresh project', async () => {
    const result = await build({
      stdin: { contents: `import 'twt-chat-widget/define.js';\nimport { TwtChatWidget } from 'twt-chat-widget';\nconsole.log(TwtChatWidget.name);\n`, resolveDir: app, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      absWorkingDir: app,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile!.inputs);
    assert.ok(inputs.some((f) => f.includes(`node_modules/${pkg.name}/dist/esm/define.js`)), `define.js not bundled from the installed package: ${inputs.join(', ')}`);
    const code = result.outputFiles[0].text;
    assert.match(code, /customElements\.define\(/);
    assert.ok(code.includes('"twt-chat-widget"') && code.includes('"twt-launcher"'), 'both tags are registered');
  });
});
