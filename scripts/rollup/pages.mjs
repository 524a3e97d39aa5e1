// HTML pages that load content-hashed entry scripts. Every script is named
// `<name>-<hash>.js` so the server can serve it `immutable` for a year (a
// repeat page view downloads no JS again); the pages are the only files that
// revalidate, so each copy names the entry files of this very build.
import { readFileSync } from 'node:fs';

/** Output names of every script: content-hashed, entries and chunks alike. */
export const hashedOutput = { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js' };

/**
 * Emits each page (`{ fileName, source, fills? }`) with `src="./<entry>.js"` rewritten to
 * the hashed file of that entry, and each `<!--fill:NAME-->` replaced by `fills()[NAME]`
 * (markup computed at build time); fails the build when a page names no entry, or
 * names a fill it is not given or leaves one of its fills unused.
 */
export function hashedEntryPages(pages) {
  return {
    name: 'twt-hashed-entry-pages',
    buildStart() {
      for (const p of pages) this.addWatchFile(p.source);
    },
    async generateBundle(_options, bundle) {
      const entries = Object.values(bundle).filter((c) => c.type === 'chunk' && c.isEntry);
      for (const page of pages) {
        let html = readFileSync(page.source, 'utf8');
        let rewritten = 0;
        for (const entry of entries) {
          html = html.replaceAll(`src="./${entry.name}.js"`, () => {
            rewritten++;
            return `src="./${entry.fileName}"`;
          });
        }
        if (!rewritten) this.error(`${page.source} loads none of the entry scripts (${entries.map((e) => e.name).join(', ')})`);
        const fills = page.fills ? await page.fills() : {};
        const unused = new Set(Object.keys(fills));
        html = html.replace(/<!--fill:([\w-]+)-->/g, (_, name) => {
          if (!(name in fills)) this.error(`${page.source} names <!--fill:${name}-->, which the build does not give it`);
          unused.delete(name);
          return fills[name];
        });
        if (unused.size) this.error(`${page.source} has no <!--fill:${[...unused][0]}-->`);
        this.emitFile({ type: 'asset', fileName: page.fileName, source: html });
      }
    },
  };
}
