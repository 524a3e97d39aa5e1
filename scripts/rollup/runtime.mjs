// Rollup entries of the runtime part: the three surface pages and their ESM
// bundles in dist/widget/. One build with three entries, so lit and the
// bridge land in shared chunks; the chat UI and each locale are separate
// lazy chunks (dynamic imports in panel-app.ts and localization.ts). lit is
// bundled here, never shared with the host page. Every script name carries
// its content hash; the pages name this build's entry files (pages.mjs).
import { browserPlugins } from './shared.mjs';
import { hashedEntryPages, hashedOutput } from './pages.mjs';

const SURFACES = ['launcher', 'panel', 'card'];

/**
 * The icons (under 0.5 KB gzip) and the page-listeners controller ride in the chunk every surface loads at boot
 * instead of costing the launcher a request of their own.
 */
function sharedChunk(id) {
  if (/src\/runtime\/(start-surface|icons|page-listeners)\.ts$/.test(id)) return 'start-surface';
}

export const runtimeConfigs = [
  {
    input: Object.fromEntries(SURFACES.map((s) => [s, `src/runtime/${s}-entry.ts`])),
    output: { dir: 'dist/widget', format: 'es', ...hashedOutput, sourcemap: false, manualChunks: sharedChunk },
    plugins: [...browserPlugins(), hashedEntryPages(SURFACES.map((s) => ({ fileName: `${s}.html`, source: `src/runtime/pages/${s}.html` })))],
  },
];
