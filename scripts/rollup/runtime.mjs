// Rollup entries of the runtime part: the three surface pages and their ESM
// bundles in dist/widget/. One build with three entries, so lit and the
// bridge land in shared chunks; the chat UI and each locale are separate
// lazy chunks (dynamic imports in panel-app.ts and localization.ts). lit is
// bundled here, never shared with the host page.
import { copyFileSync, mkdirSync } from 'node:fs';
import { browserPlugins } from './shared.mjs';

const SURFACES = ['launcher', 'panel', 'card'];

/** Copies src/runtime/pages/<surface>.html next to the bundles. */
function copyPages() {
  return {
    name: 'twt-surface-pages',
    buildStart() {
      for (const s of SURFACES) this.addWatchFile(`src/runtime/pages/${s}.html`);
    },
    writeBundle() {
      mkdirSync('dist/widget', { recursive: true });
      for (const s of SURFACES) copyFileSync(`src/runtime/pages/${s}.html`, `dist/widget/${s}.html`);
    },
  };
}

export const runtimeConfigs = [
  {
    input: Object.fromEntries(SURFACES.map((s) => [s, `src/runtime/${s}.ts`])),
    output: {
      dir: 'dist/widget',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      sourcemap: false,
    },
    plugins: [...browserPlugins(), copyPages()],
  },
];
