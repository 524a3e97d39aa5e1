// Rollup entries of the host part:
//  - dist/install/core.js: one minified IIFE for the legacy snippet (lit bundled in).
//  - dist/esm/**: ESM for bundlers, one file per source module (preserveModules),
//    lit external, element classes free of side effects, define.js registers the tags.
// The SDK version is injected from package.json (src/host/version.ts).
import { readFileSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

const injectVersion = {
  name: 'twt-sdk-version',
  transform(code, id) {
    if (id.replace(/\\/g, '/').endsWith('src/host/version.ts')) return { code: code.replace(/SDK_VERSION = '[^']*'/, `SDK_VERSION = ${JSON.stringify(version)}`), map: null };
  },
};

// core.js only: lit's style helpers (css-tag.js) replaced by the two functions ReactiveElement calls. Our
// elements render into their light DOM (createRenderRoot returns the element) and declare no `static styles`,
// so lit never adopts a stylesheet for them; the real helpers would cost core.js about 0.5 KB gzip for nothing.
// The ESM build keeps lit external and untouched.
const withoutLitStyles = {
  name: 'twt-without-lit-styles',
  resolveId(source, importer) {
    if (source === './css-tag.js' && importer && /[\\/]@lit[\\/]reactive-element[\\/]/.test(importer)) return '\0twt-lit-css-tag';
  },
  load(id) {
    if (id !== '\0twt-lit-css-tag') return;
    return [
      'export const getCompatibleStyle = (s) => s;',
      'export const adoptStyles = () => {};',
      // re-exported by reactive-element.js, unused here (tree-shaken)
      'export class CSSResult {}',
      'export const css = () => new CSSResult(), unsafeCSS = css, supportsAdoptingStyleSheets = false;',
    ].join('\n');
  },
};

const plugins = ({ minify }) =>
  [
    minify && withoutLitStyles,
    injectVersion,
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.base.json', minify: false }),
    // Property mangling for our `_`-prefixed private members only (readable source, short core.js). Names that
    // other code on the page shares keep theirs: `_q` (the snippet stub's queue), `__twt`, `__twt__config`,
    // `__proto__` and any `__x`, and lit's `_$…` members (its copies talk through them).
    minify &&
      terser({
        ecma: 2021,
        module: false,
        // `unsafe` (e.g. String(x) -> ""+x) and `keep_fargs: false` assume standard built-ins and no reader of
        // Function.length: true of our code and lit's; the browser suites run against this build.
        compress: { passes: 3, unsafe_arrows: true, hoist_funs: true, keep_fargs: false, unsafe: true },
        mangle: { properties: { regex: /^_(?![_$])/, reserved: ["_q"] } },
        format: { comments: false },
      }),
  ].filter(Boolean);

export const hostConfigs = [
  {
    input: 'src/host/core.ts',
    output: { file: 'dist/install/core.js', format: 'iife', sourcemap: false },
    plugins: plugins({ minify: true }),
  },
  {
    input: { index: 'src/host/index.ts', define: 'src/host/define.ts' },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    output: { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: '.', entryFileNames: '[name].js', sourcemap: true },
    plugins: plugins({ minify: false }),
  },
];
