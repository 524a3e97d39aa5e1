// Configuration of the custom-elements-manifest analyzer (`npm run build` and scripts/api-docs.mjs).
//
// <twt-chat-widget>'s reactive properties are declared at run time from the one option table,
// src/shared/config-fields.ts, and its events come from the one event table (src/shared/bridge-protocol.ts
// EVENT_TABLE); the analyzer sees neither. This plugin reads both (scripts/source-tables.mjs) and declares,
// for each option, its attribute (type from the table, description from the entry's comment) linked to
// its camelCase property (`fieldName`), listed as a public field too, so editors and the API docs show both
// `z-index` and `zIndex`; and, for each public event, its `twt-…` DOM event.
import { configOptions, eventTable } from './scripts/source-tables.mjs';

function linkOptionProperties() {
  return {
    name: 'twt-option-properties',
    packageLinkPhase({ customElementsManifest }) {
      const options = configOptions();
      const events = eventTable().filter((e) => e.page);
      for (const mod of customElementsManifest.modules ?? []) {
        for (const decl of mod.declarations ?? []) {
          if (decl.tagName !== 'twt-chat-widget') continue;
          decl.attributes = options.map((o) => ({ type: { text: o.type }, description: o.description, name: o.attribute, fieldName: o.property }));
          decl.members ??= [];
          for (const o of options) {
            if (decl.members.some((m) => m.name === o.property)) continue;
            decl.members.push({ kind: 'field', name: o.property, type: { text: o.type }, description: o.description, attribute: o.attribute, reflects: false });
          }
          decl.events = [...(decl.events ?? []).filter((e) => !e.name), ...events.map((e) => ({ description: e.description, name: e.domEvent }))];
        }
      }
    },
  };
}

export default {
  litelement: true,
  plugins: [linkOptionProperties()],
};
