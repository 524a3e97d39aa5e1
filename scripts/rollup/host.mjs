// Rollup entries of the host part:
//  - dist/install/core.js: one minified IIFE for the legacy snippet (lit bundled in).
//  - dist/esm/**: ESM for bundlers, one file per source module (preserveModules),
//    lit external, element classes free of side effects, define.js registers the tags.
// The SDK version is injected from package.json (src/shim/version.ts).
import { readFileSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

const injectVersion = {
  name: 'twt-sdk-version',
  transform(code, id) {
    if (id.replace(/\\/g, '/').endsWith('src/shim/version.ts')) return { code: code.replace(/SDK_VERSION = '[^']*'/, `SDK_VERSION = ${JSON.stringify(version)}`), map: null };
  },
};

const plugins = ({ minify }) =>
  [
    injectVersion,
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json', minify: false }),
    // No property mangling here: `window.__twt`, `__twt__config` and `__proto__` must keep their names.
    minify && terser({ ecma: 2021, module: false, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } }),
  ].filter(Boolean);

export const hostConfigs = [
  {
    input: 'src/install/core.ts',
    output: { file: 'dist/install/core.js', format: 'iife', sourcemap: false },
    plugins: plugins({ minify: true }),
  },
  {
    input: { index: 'src/index.ts', define: 'src/define.ts' },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    output: { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: '.', entryFileNames: '[name].js', sourcemap: true },
    plugins: plugins({ minify: false }),
  },
];
