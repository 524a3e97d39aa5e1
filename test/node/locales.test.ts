/**
 * The locale list has one home, src/shared/locales.ts. lit-localize's config
 * must name the same locales (it generates src/runtime/locales/<locale>.ts from
 * locales/<locale>.xlf), or a locale would be offered with no translation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SOURCE_LOCALE, TARGET_LOCALES } from '../../src/shared/locales.js';

const root = new URL('../../', import.meta.url);

describe('locales: one list', () => {
  it('lit-localize.json names exactly the locales of src/shared/locales.ts', () => {
    const config = JSON.parse(readFileSync(new URL('lit-localize.json', root), 'utf8')) as { sourceLocale: string; targetLocales: string[] };
    assert.equal(config.sourceLocale, SOURCE_LOCALE);
    assert.deepEqual([...config.targetLocales].sort(), [...TARGET_LOCALES].sort());
  });

  it('every target locale has its XLIFF file and its generated module', () => {
    for (const l of TARGET_LOCALES) {
      assert.ok(existsSync(new URL(`locales/${l}.xlf`, root)), `locales/${l}.xlf missing`);
      assert.ok(existsSync(new URL(`src/runtime/locales/${l}.ts`, root)), `src/runtime/locales/${l}.ts missing (run lit-localize build)`);
    }
  });
});
