import { expect } from '@open-wc/testing';
import { resolveConfig, mergeConfig, fromLegacyConfig } from './config.js';
import { SDK_VERSION } from './version.js';

const env = { href: 'https://shop.example.com/p?x=1', title: 'Shop' };
const quiet = (sources: unknown[]) => resolveConfig(sources, env);

describe('config', () => {
  it('defaults per the spec', () => {
    const { config, warnings, error } = quiet([{ appid: 'demo' }]);
    expect(error).to.equal(undefined);
    expect(warnings).to.deep.equal([]);
    expect(config).to.deep.include({ appid: 'demo', asyncInit: false, theme: 'light', launcher: 'default', zIndex: null, storage: 'local', server: '' });
    expect(config.position).to.deep.equal({ right: 20, bottom: 20 });
    expect(config.profile).to.deep.equal({ referer: env.href, source_title: 'Shop' });
    expect(config.login).to.equal(undefined);
  });

  it('missing or malformed appid is an error that says how to fix it', () => {
    expect(quiet([{}]).error).to.contain('window.__twt = { appid: "YOUR_APPID" }');
    expect(quiet([{ appid: 'a b<script>' }]).error).to.contain('malformed');
    expect(quiet([{ appid: 42 }]).error).to.contain('malformed');
    const upper = quiet([{ appid: ' Demo ' }]);
    expect(upper.config.appid).to.equal('demo');
    expect(upper.warnings[0]).to.contain('lowercase');
  });

  it('wrong types and unknown values warn and use the default', () => {
    const { config, warnings } = quiet([{ appid: 'demo', theme: 'neon', launcher: 5, zIndex: 'high', asyncInit: 'yes', storage: 'disk', language: 'klingon', name: {} }]);
    expect(config).to.deep.include({ theme: 'light', launcher: 'default', zIndex: null, asyncInit: false, storage: 'local' });
    expect(config.profile.name).to.equal(undefined);
    expect(warnings.length).to.equal(7);
  });

  it('language: normalised; no value -> browser; unsupported -> not kept', () => {
    expect(quiet([{ appid: 'a', language: 'zh-Hant' }]).config.language).to.equal('zh-tw');
    expect(quiet([{ appid: 'a', language: 'EN_us' }]).config.language).to.equal('en');
    expect(quiet([{ appid: 'a', language: 'pt-BR' }]).config.language).to.equal('pt');
    const unsupported = quiet([{ appid: 'a', language: 'xx' }]).config.language;
    expect(['en', 'zh-cn', 'zh-tw', 'ja', 'ko', 'de', 'fr', 'pt', 'ru']).to.include(unsupported);
  });

  it('reads the legacy __twt__config (lang, position); __twt wins on conflicts', () => {
    const legacy = fromLegacyConfig({ appid: 'old', lang: 'de', position: { right: 40, bottom: 60 }, theme: 'dark', icon: 'https://x.example/i.png' });
    const { config } = quiet([legacy, { appid: 'new', theme: 'light' }]);
    expect(config).to.deep.include({ appid: 'new', language: 'de', theme: 'light', icon: 'https://x.example/i.png' });
    expect(config.position).to.deep.equal({ right: 40, bottom: 60 });
    expect(quiet([legacy, { appid: 'new', icon: 'https://y.example/j.svg' }]).config.icon).to.equal('https://y.example/j.svg');
  });

  it('icon: an http(s) or base64 data:image URL; anything else warns and keeps the chat icon', () => {
    expect(quiet([{ appid: 'a' }]).config.icon).to.equal('');
    expect(quiet([{ appid: 'a', icon: 'data:image/png;base64,iVBORw0KGgo=' }]).config.icon).to.equal('data:image/png;base64,iVBORw0KGgo=');
    for (const bad of ['javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', '/relative.png', 'data:image/png;base64,' + 'A'.repeat(100000), 42]) {
      const { config, warnings } = quiet([{ appid: 'a', icon: bad }]);
      expect(config.icon, String(bad).slice(0, 30)).to.equal('');
      expect(warnings.length, String(bad).slice(0, 30)).to.equal(1);
    }
  });

  it('sound: off by default; a boolean, or an attribute\'s text; anything else warns and stays off', () => {
    expect(quiet([{ appid: 'a' }]).config.sound).to.equal(false);
    expect(quiet([{ appid: 'a', sound: true }]).config.sound).to.equal(true);
    // A bare attribute is "", `sound="false"` is off; the element passes its property, the latest source wins.
    expect(quiet([{ appid: 'a', sound: '' }]).config.sound).to.equal(true);
    expect(quiet([{ appid: 'a', sound: true }, { sound: 'false' }]).config.sound).to.equal(false);
    const wrong = quiet([{ appid: 'a', sound: 'loud' }]);
    expect(wrong.config.sound).to.equal(false);
    expect(wrong.warnings).to.deep.equal(['sound must be a boolean; got "loud", using false']);
  });

  it('attributes (strings) are parsed like the object form', () => {
    const { config } = quiet([{ appid: 'demo', zIndex: '9999', asyncInit: '', right: '12px', server: 'https://w.example.com/some/path' }]);
    expect(config).to.deep.include({ zIndex: 9999, asyncInit: true, server: 'https://w.example.com' });
    expect(config.position.right).to.equal(12);
  });

  it('login triple only when complete; referer must be an http(s) URL', () => {
    expect(quiet([{ appid: 'a', sbs: 's', sbs_mm: 'm', ranstr: 'r' }]).config.login).to.deep.equal({ sbs: 's', sbs_mm: 'm', ranstr: 'r' });
    const partial = quiet([{ appid: 'a', sbs: 's' }]);
    expect(partial.config.login).to.equal(undefined);
    expect(partial.warnings[0]).to.contain('sbs, sbs_mm and ranstr');
    expect(quiet([{ appid: 'a', referer: 'javascript:alert(1)' }]).config.profile.referer).to.equal(env.href);
  });

  it('profile fields are capped as the server caps them: a 2000-char referer is kept whole', () => {
    const referer = 'https://shop.example/' + 'p'.repeat(2000 - 'https://shop.example/'.length);
    const { profile } = quiet([{ appid: 'a', referer: referer + 'cut', name: 'n'.repeat(300) }]).config;
    expect(profile.referer).to.equal(referer);
    expect(profile.name).to.have.length(200);
  });

  it('__proto__ / constructor keys cannot pollute prototypes or inject values', () => {
    const hostile = JSON.parse('{"appid":"demo","__proto__":{"theme":"dark","polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    const { config } = quiet([hostile]);
    const merged = mergeConfig(hostile, fromLegacyConfig(hostile));
    expect(config.theme).to.equal('light');
    expect(({} as any).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
    expect(Object.keys(merged)).to.deep.equal(['appid']);
  });

  it('ignores inherited properties when the host page polluted Object.prototype', () => {
    const proto = Object.prototype as any;
    proto.appid = 'evil';
    proto.theme = 'dark';
    proto.server = 'https://evil.example';
    try {
      const { config, error } = quiet([{}]);
      expect(error).to.contain('missing');
      expect(config.theme).to.equal('light');
      expect(config.server).to.equal('');
      expect(mergeConfig({ appid: 'ok' })).to.deep.equal({ appid: 'ok' });
    } finally {
      delete proto.appid;
      delete proto.theme;
      delete proto.server;
    }
  });

  it('SDK_VERSION matches package.json', async () => {
    const pkg = await (await fetch('/package.json')).json();
    expect(SDK_VERSION).to.equal(pkg.version);
  });
});
