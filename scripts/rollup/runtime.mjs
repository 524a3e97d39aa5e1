// Rollup entries of the runtime part: the three surface pages and their ESM
// bundles in dist/widget/. One entry script for the three pages; the panel's
// and the card's boot, the chat UI and each locale are lazy chunks (dynamic
// imports in surface-entry.ts, panel-app.ts and localization.ts). lit is
// bundled here, never shared with the host page, and loaded by no surface
// before the visitor interacts (the launcher and the panel shell are plain
// custom elements). Every script name carries
// its content hash; the pages name this build's entry files (pages.mjs).
import { browserPlugins } from './shared.mjs';
import { build } from 'esbuild';
import { hashedEntryPages, hashedOutput } from './pages.mjs';

const SURFACES = ['launcher', 'panel', 'card'];

/**
 * partysocket's reconnecting socket logs through `this._debug(...)` only when created with `debug: true`, which the
 * panel never sets (src/runtime/connection.ts); its log strings still cost the panel's first load about 0.3 KB gzip.
 * Each call becomes `0&&this._debug(...)`, which the minifier drops with its arguments; the method stays, so an
 * upgrade that calls it elsewhere still works. A partysocket without those calls fails the build (the cut is stale).
 */
const withoutSocketDebugLog = {
  name: 'twt-without-socket-debug-log',
  transform(code, id) {
    if (!/[\\/]partysocket[\\/]dist[\\/]ws\.js$/.test(id)) return;
    const cut = code.replaceAll('this._debug(', '0&&this._debug(');
    if (cut === code) this.error('partysocket changed: no this._debug( calls to drop (scripts/rollup/runtime.mjs)');
    return { code: cut, map: null };
  },
};

/**
 * The launcher page's first paint (src/runtime/launcher-look.ts), computed from the same rules, label and icon
 * the live launcher draws with: that module is bundled for Node and run, so the page holds no copy of them.
 */
async function launcherFirstPaint(theme) {
  const { outputFiles } = await build({ entryPoints: ['src/runtime/launcher-look.ts'], bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], conditions: ['production'], write: false, logLevel: 'error' });
  const { launcherFirstPaint: paint } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  const { documentStyle, shadowRoot } = paint(theme);
  return { 'first-paint-style': documentStyle, 'first-paint-shadow-root': shadowRoot };
}

/**
 * The surfaces' pages. The launcher's is written twice, painted in each theme's colours (the host asks for the
 * one of the theme in effect: surfacePage() in src/shared/bridge-protocol.ts names them).
 */
const SURFACE_PAGES = [
  { fileName: 'launcher.html', source: 'src/runtime/pages/launcher.html', fills: () => launcherFirstPaint('light') },
  { fileName: 'launcher-dark.html', source: 'src/runtime/pages/launcher.html', fills: () => launcherFirstPaint('dark') },
  ...SURFACES.filter((s) => s !== 'launcher').map((s) => ({ fileName: `${s}.html`, source: `src/runtime/pages/${s}.html` })),
];

export const runtimeConfigs = [
  {
    // One entry for every surface page (surface-entry.ts): the launcher's boot is in it, the panel's and the
    // card's are chunks it imports, so the panel page takes the script the launcher page already loaded. lit
    // lands in a chunk of its own that only the chat UI (lazy) and the card load: Rollup's own split, as a
    // manual chunk would pull the tokens and icon shapes it shares with the launcher into it.
    input: { surface: 'src/runtime/surface-entry.ts' },
    output: { dir: 'dist/widget', format: 'es', ...hashedOutput, sourcemap: false },
    plugins: [withoutSocketDebugLog, ...browserPlugins(), hashedEntryPages(SURFACE_PAGES)],
  },
];
