/**
 * The published package works when installed into a fresh project: `npm pack`,
 * `npm install <tarball>` in a new project in a temp dir, then from that
 * project: every `exports` target (and main/module/types/customElements)
 * exists, Node resolves every subpath, core.js is there and parses, the type
 * declarations typecheck a consumer, custom-elements.json lists both tags,
 * esbuild bundles `import 'twt-chat-widget/define.js'`, and the package is for
 * browsers only: its dependencies are the browser ones, installing it pulls none
 * of the server's (PGlite, pg, ws… belong to the server workspace, server/), and
 * the tarball carries no server files.
 *
 * Also checks the development layout the server runs from: the server
 * workspace's dependencies resolve from dist/server (npm hoists them to the
 * root node_modules).
 *
 * Needs `npm run build` (npm test builds first when dist/ is stale).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { ROOT, installPackedTarball, pkg, type PackedInstall } from './packed-package.js';

/** The browser runtime's packages: all the published package may depend on. */
const BROWSER_DEPENDENCIES = ['@lit/localize', '@lit/reactive-element', 'lit', 'partysocket'];
const SERVER_PKG = JSON.parse(readFileSync(join(ROOT, 'server', 'package.json'), 'utf8'));

/** Every package installed under `nodeModules` (nested ones too), as name → [dirs]. */
function installedPackages(nodeModules: string, found = new Map<string, string[]>()): Map<string, string[]> {
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@') ? readdirSync(join(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name];
    for (const name of names) {
      const dir = join(nodeModules, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      found.set(name, [...(found.get(name) ?? []), dir]);
      installedPackages(join(dir, 'node_modules'), found);
    }
  }
  return found;
}

/** Total size in bytes of the files under `dir`. */
function du(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += du(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

/** Every file under `dir`, relative to it, with forward slashes. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), base) : [relative(base, join(dir, e.name)).split('\\').join('/')],
  );
}

/**
 * The names of the packages the lockfile installs for `roots` (paths in its "packages", "" = the repository root,
 * "server" = the server workspace) through their production dependencies, resolved the way Node does
 * (the nearest node_modules up the tree).
 */
function lockClosure(roots: string[]): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; link?: boolean; resolved?: string }>;
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const entry = lock[path];
    if (!entry) return;
    if (entry.link && entry.resolved) return visit(entry.resolved);
    const optionalPeers = Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n);
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.includes(n));
    for (const dep of [...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }), ...peers]) {
      for (let at = path; ; at = at.includes('/node_modules/') ? at.slice(0, at.lastIndexOf('/node_modules/')) : '') {
        const candidate = `${at ? `${at}/` : ''}node_modules/${dep}`;
        if (lock[candidate]) {
          names.add(dep);
          visit(candidate);
          break;
        }
        if (!at) break;
      }
    }
  };
  for (const r of roots) visit(r);
  return names;
}

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

  it('is for browsers: depends on exactly the browser runtime packages and installs none of the server ones', (t) => {
    const shipped = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(shipped.dependencies ?? {}).sort(), BROWSER_DEPENDENCIES, 'the published dependencies are the browser runtime\'s (server packages go in server/package.json)');
    for (const field of ['optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) assert.equal(shipped[field], undefined, `the published package.json has ${field}`);
    // What only the server needs: its workspace's closure in the lockfile, less the browser packages' closure.
    const browser = lockClosure(['']);
    const serverOnly = new Set([...lockClosure(['server'])].filter((n) => !browser.has(n)));
    for (const n of ['@electric-sql/pglite', 'pg', 'ws']) assert.ok(serverOnly.has(n), `${n} is not among the server-only packages of the lockfile: ${[...serverOnly].join(', ')}`);
    const tree = installedPackages(join(app, 'node_modules'));
    const leaked = [...tree.keys()].filter((n) => serverOnly.has(n)).sort();
    assert.deepEqual(leaked, [], `installing the package pulled in server packages: ${leaked.map((n) => `${n} (${tree.get(n)!.map((d) => relative(app, d)).join(', ')})`).join('; ')}`);
    t.diagnostic(`installed closure: ${tree.size} packages, ${(du(join(app, 'node_modules')) / 1e6).toFixed(2)} MB (${[...tree.keys()].sort().join(', ')})`);
  });

  it('declares every package its shipped JavaScript and type declarations import', () => {
    const imported = new Set<string>();
    for (const f of filesUnder(installed)) {
      if (!/^dist\/(esm|install|types)\/.*\.(js|d\.ts)$/.test(f)) continue;
      for (const m of readFileSync(join(installed, f), 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"./][^'"]*)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (name !== pkg.name) imported.add(name);
      }
    }
    const undeclared = [...imported].filter((n) => !BROWSER_DEPENDENCIES.includes(n)).sort();
    assert.deepEqual(undeclared, [], `the shipped files import packages that are not dependencies: ${undeclared.join(', ')}`);
    assert.ok(imported.has('@lit/reactive-element'), `no import of @lit/reactive-element found in the shipped files: ${[...imported].join(', ')}`);
  });

  it('packs no server files', () => {
    const files = packed!.files;
    assert.ok(files.includes('dist/install/core.js') && files.includes('package.json'), `unexpected pack list: ${files.join(', ')}`);
    const serverFiles = files.filter((f) => /^(server|dist\/server|dist\/console|dist\/types\/server|node_modules|\.twt-data)\//.test(f) || f === 'package-lock.json');
    assert.deepEqual(serverFiles, [], `npm pack ships server files (check "files" in package.json): ${serverFiles.join(', ')}`);
    assert.deepEqual(filesUnder(installed).filter((f) => f.startsWith('server/') || f.startsWith('dist/server/')), []);
  });
});

describe('server workspace (server/package.json) in the development tree', () => {
  it('owns the server\'s dependencies; the root package is the workspace root and does not declare them', () => {
    assert.ok(Array.isArray(pkg.workspaces) && pkg.workspaces.includes('server'), 'package.json "workspaces" lists server');
    assert.equal(SERVER_PKG.private, true, 'server/package.json is private (never published)');
    for (const n of ['@electric-sql/pglite', 'pg', 'ws']) assert.ok(SERVER_PKG.dependencies?.[n], `server/package.json depends on ${n}`);
    const both = Object.keys(SERVER_PKG.dependencies).filter((n) => pkg.dependencies?.[n] || pkg.optionalDependencies?.[n] || pkg.peerDependencies?.[n]);
    assert.deepEqual(both, [], 'the root package declares server dependencies');
  });

  it('resolves the server\'s dependencies from dist/server and bench/ (npm hoists them to the root node_modules)', () => {
    const unresolved: string[] = [];
    for (const from of [join(ROOT, 'dist', 'server'), join(ROOT, 'bench', 'lib')]) {
      for (const dep of Object.keys(SERVER_PKG.dependencies)) {
        let dir = from;
        while (!existsSync(join(dir, 'node_modules', dep, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
        if (!existsSync(join(dir, 'node_modules', dep, 'package.json'))) unresolved.push(`${dep} from ${relative(ROOT, from)}`);
      }
    }
    assert.deepEqual(unresolved, [], 'run "npm ci" at the repository root (it installs the server workspace too)');
  });
});
