// Plugins shared by every browser bundle: TypeScript through esbuild, bare
// imports resolved from node_modules (production builds of lit), minified output.
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export function browserPlugins({ minify = true } = {}) {
  return [
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.base.json', minify: false }),
    minify &&
      terser({
        ecma: 2021,
        module: true,
        compress: { passes: 2, unsafe_arrows: true },
        mangle: { properties: { regex: /^__/ } },
        format: { comments: false },
      }),
  ].filter(Boolean);
}
