// Configuration of the custom-elements-manifest analyzer (`npm run build` and scripts/api-docs.mjs).
//
// <twt-chat-widget>'s attributes are documented by JSDoc @attr tags, but its reactive
// properties are declared at run time from the one option table, src/shared/config-fields.ts,
// which the analyzer cannot see. This plugin reads that table and, for each option,
// links the attribute to its camelCase property (`fieldName`) and lists the property as
// a public field, so editors and the API docs show both `z-index` and `zIndex`. It fails
// the build when the JSDoc and the table disagree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIELDS_FILE = fileURLToPath(new URL('./src/shared/config-fields.ts', import.meta.url));

/** [property, attribute] of every option, as the element declares them (see configProperties()). */
function optionProperties() {
  const text = readFileSync(FIELDS_FILE, 'utf8');
  const body = text.match(/export const CONFIG_FIELDS = \{([\s\S]*?)\n\}/);
  if (!body) throw new Error('custom-elements-manifest.config.mjs: cannot find CONFIG_FIELDS in src/shared/config-fields.ts');
  return [...body[1].matchAll(/^\s+(\w+): \{(.*)\},?$/gm)].map(([, key, rest]) => {
    const property = rest.match(/property: '(\w+)'/)?.[1] ?? key;
    return [property, property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)];
  });
}

function linkOptionProperties() {
  return {
    name: 'twt-option-properties',
    packageLinkPhase({ customElementsManifest }) {
      const options = optionProperties();
      for (const mod of customElementsManifest.modules ?? []) {
        for (const decl of mod.declarations ?? []) {
          if (decl.tagName !== 'twt-chat-widget') continue;
          const attrs = new Map((decl.attributes ?? []).map((a) => [a.name, a]));
          const documented = [...attrs.keys()].sort().join(' ');
          const declared = options.map(([, a]) => a).sort().join(' ');
          if (documented !== declared) {
            throw new Error(`<twt-chat-widget>: the @attr tags (${documented}) differ from src/shared/config-fields.ts (${declared})`);
          }
          decl.members ??= [];
          for (const [property, attribute] of options) {
            const attr = attrs.get(attribute);
            attr.fieldName = property;
            if (decl.members.some((m) => m.name === property)) continue;
            decl.members.push({ kind: 'field', name: property, type: attr.type, description: attr.description, attribute, reflects: false });
          }
        }
      }
    },
  };
}

export default {
  litelement: true,
  plugins: [linkOptionProperties()],
};
