import { expect } from '@open-wc/testing';
import { browserLocale, normalizeLocale } from './locales.js';

describe('normalizeLocale', () => {
  it('keeps the standard values', () => {
    for (const l of ['en', 'zh-cn', 'zh-tw', 'ja', 'ko', 'de', 'fr', 'pt', 'ru']) expect(normalizeLocale(l)).to.equal(l);
  });
  it('normalises case and region variants', () => {
    expect(normalizeLocale('zh-Hans')).to.equal('zh-cn');
    expect(normalizeLocale('zh-SG')).to.equal('zh-cn');
    expect(normalizeLocale('zh-HK')).to.equal('zh-tw');
    expect(normalizeLocale('zh-Hant-TW')).to.equal('zh-tw');
    expect(normalizeLocale('pt-BR')).to.equal('pt');
    expect(normalizeLocale('EN_us')).to.equal('en');
  });
  it('refuses unsupported and non-string values', () => {
    expect(normalizeLocale('xx')).to.equal(null);
    expect(normalizeLocale('')).to.equal(null);
    expect(normalizeLocale(42)).to.equal(null);
    expect(normalizeLocale('__proto__')).to.equal(null);
  });
  it('falls back through navigator languages to en', () => {
    expect(browserLocale(['xx', 'de-AT'])).to.equal('de');
    expect(browserLocale(['xx'])).to.equal('en');
  });
});
