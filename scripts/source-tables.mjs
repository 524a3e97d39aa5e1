// The two tables the docs are generated from, read from their TypeScript source (these scripts run
// without a TypeScript loader): the option table (src/shared/config-fields.ts CONFIG_FIELDS) and the
// event table (src/shared/bridge-protocol.ts EVENT_TABLE). Each entry's comment is its description.
// Used by custom-elements-manifest.config.mjs (the element's attributes and events) and scripts/api-docs.mjs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const read = (file) => readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8');

/** `{ key: …, … }` of `export const NAME = {` in a file: each entry's key, source text and one-line `/** comment *\/`. */
function entries(file, name) {
  const m = read(file).match(new RegExp(`export const ${name} = \\{\\n([\\s\\S]*?)\\n\\}`));
  if (!m) throw new Error(`${file}: cannot find "export const ${name} = {"; update scripts/source-tables.mjs`);
  const keys = [...m[1].matchAll(/^  (?:\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n  )?(\w+): \{/gm)];
  return keys.map((k, i) => ({
    key: k[1],
    body: m[1].slice(k.index + k[0].length, keys[i + 1]?.index),
    description: k[0].match(/^  \/\*\* (.*) \*\/\n/)?.[1],
  }));
}

/** Every option: config key, element property and attribute, attribute type, description. */
export function configOptions() {
  return entries('src/shared/config-fields.ts', 'CONFIG_FIELDS').map(({ key, body, description }) => {
    if (!description) throw new Error(`src/shared/config-fields.ts: option ${key} has no /** description */ (its attribute's docs)`);
    const property = body.match(/property: '(\w+)'/)?.[1] ?? key;
    const values = body.match(/values: \[([^\]]*)\]/)?.[1];
    const type = body.match(/type: '(\w+)'/)?.[1] ?? (values ? values.split(', ').join('|') : 'string');
    return { key, property, attribute: property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), type, description };
  });
}

/** Every event: name, DOM event name, `page` ('lifecycle' | 'state'; none: not public), replayed, description. */
export function eventTable() {
  return entries('src/shared/bridge-protocol.ts', 'EVENT_TABLE').map(({ key, body, description }) => {
    return { name: key, domEvent: `twt-${key.replace(/_/g, '-')}`, page: body.match(/_page: '(\w+)'/)?.[1], replayed: /_replayed: true/.test(body), description };
  });
}
