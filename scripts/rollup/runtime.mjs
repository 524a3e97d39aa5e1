// Rollup entries of the runtime part: the three surface pages and their ESM
// bundles in dist/widget/. One build with three entries, so lit and the
// bridge land in shared chunks; the chat UI and each locale are separate
// lazy chunks (dynamic imports in panel-app.ts and localization.ts). lit is
// bundled here, never shared with the host page, and loaded by no surface
// before the visitor interacts (the launcher and the panel shell are plain
// custom elements). Every script name carries
// its content hash; the pages name this build's entry files (pages.mjs).
import { browserPlugins } from './shared.mjs';
import { hashedEntryPages, hashedOutput } from './pages.mjs';

const SURFACES = ['launcher', 'panel', 'card'];

/**
 * The colour tokens and the icons' shapes (no lit) ride in the chunk every surface loads at boot instead of
 * costing the launcher a request of their own. lit is not in it: the launcher and the panel shell are plain
 * elements, and lit comes with the chat UI (lazy) and the card.
 */
function sharedChunk(id) {
  if (/src\/runtime\/(start-surface|tokens|icon-shapes)\.ts$/.test(id)) return 'start-surface';
  // lit and what only lit elements use, in a chunk of their own (else Rollup would merge them into the one above).
  if (/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\/|src\/runtime\/(icons|styles|page-listeners)\.ts$/.test(id)) return 'lit';
}

export const runtimeConfigs = [
  {
    input: Object.fromEntries(SURFACES.map((s) => [s, `src/runtime/${s}-entry.ts`])),
    output: { dir: 'dist/widget', format: 'es', ...hashedOutput, sourcemap: false, manualChunks: sharedChunk },
    plugins: [...browserPlugins(), hashedEntryPages(SURFACES.map((s) => ({ fileName: `${s}.html`, source: `src/runtime/pages/${s}.html` })))],
  },
];
