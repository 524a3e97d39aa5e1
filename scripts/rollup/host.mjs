// Rollup entries of the host part:
//  - dist/install/core.js: one minified IIFE for the legacy snippet (lit's ReactiveElement bundled in, no lit-html).
//  - dist/esm/**: ESM for bundlers, one file per source module (preserveModules),
//    lit external, element classes free of side effects, define.js registers the tags.
// The SDK version is injected from package.json (src/host/version.ts).
import { readFileSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

const injectVersion = {
  name: 'twt-sdk-version',
  transform(code, id) {
    if (id.replace(/\\/g, '/').endsWith('src/host/version.ts')) return { code: code.replace(/SDK_VERSION = '[^']*'/, `SDK_VERSION = ${JSON.stringify(version)}`), map: null };
  },
};

// core.js only: lit's style helpers (css-tag.js) replaced by the two functions ReactiveElement calls. Our
// elements render into their light DOM (createRenderRoot returns the element) and declare no `static styles`,
// so lit never adopts a stylesheet for them; the real helpers would cost core.js about 0.5 KB gzip for nothing.
// The ESM build keeps lit external and untouched.
const withoutLitStyles = {
  name: 'twt-without-lit-styles',
  resolveId(source, importer) {
    if (source === './css-tag.js' && importer && /[\\/]@lit[\\/]reactive-element[\\/]/.test(importer)) return '\0twt-lit-css-tag';
  },
  load(id) {
    if (id !== '\0twt-lit-css-tag') return;
    return [
      'export const getCompatibleStyle = (s) => s;',
      'export const adoptStyles = () => {};',
      // re-exported by reactive-element.js, unused here (tree-shaken)
      'export class CSSResult {}',
      'export const css = () => new CSSResult(), unsafeCSS = css, supportsAdoptingStyleSheets = false;',
    ].join('\n');
  },
};

/**
 * core.js only: the parts of lit's ReactiveElement (its production build, reactive-element.js) that no element of
 * core.js can reach, cut out (about 0.4 KB gzip of core.js's 12 KB budget). Our two elements declare their
 * properties with `static properties` (no decorators), reflect none of them, render into their light DOM
 * (both override createRenderRoot) and adopt no styles; nothing else extends them inside core.js. Each cut
 * names the code it removes and why that code is dead here; a cut that no longer matches (lit was upgraded)
 * fails the build, so the budget never silently loses it, and the browser suites run against this build.
 * The ESM build (dist/esm) keeps lit external and whole: bundlers get the full ReactiveElement.
 */
const LIT_CUTS = [
  // Decorator support: `addInitializer` (standard and legacy decorators) and the decorator metadata (`@property`
  // on an accessor) feed elementProperties; our properties come from `static properties` only.
  ['addInitializer', 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', ''],
  ['inherited initializers', 'void 0!==t.l&&(this.l=[...t.l]),', ''],
  ['initializers run at construction', ',this.constructor.l?.forEach(t=>t(this))', ''],
  ['decorator metadata globals', 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;', ''],
  ['decorator metadata read', 'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}', ''],
  // `static styles` and the shadow root: both elements return themselves from createRenderRoot (light DOM).
  ['finalizeStyles', 'static finalizeStyles(s){const i=[];if(Array.isArray(s)){const e=new Set(s.flat(1/0).reverse());for(const s of e)i.unshift(t(s))}else void 0!==s&&i.push(t(s));return i}', ''],
  ['elementStyles at finalize', 'this.elementStyles=this.finalizeStyles(this.styles)', ''],
  ['shadow root', 'createRenderRoot(){const t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return s(t,this.constructor.elementStyles),t}', 'createRenderRoot(){return this}'],
  ['static styles defaults', 'y.elementStyles=[],y.shadowRootOptions={mode:"open"},', ''],
  // `reflect: true` (property -> attribute): no property of ours reflects; the state attributes the widget
  // shows (`visibility`, `unread-count`) are set by the element itself. Attribute -> property stays whole.
  ['reflect to attribute', '_$ET(t,s){const i=this.constructor.elementProperties.get(t),e=this.constructor._$Eu(t,i);if(void 0!==e&&!0===i.reflect){const h=(void 0!==i.converter?.toAttribute?i.converter:u).toAttribute(s,i.type);this._$Em=t,null==h?this.removeAttribute(e):this.setAttribute(e,h),this._$Em=null}}', ''],
  ['reflect at update', 'update(t){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}', 'update(t){this._$EM()}'],
  ['default toAttribute', 'toAttribute(t,s){switch(s){case Boolean:t=t?l:null;break;case Object:case Array:t=null==t?t:JSON.stringify(t)}return t},', ''],
  ['its empty-attribute value', 'c=a.trustedTypes,l=c?c.emptyScript:"",', ''],
  // The ShadyDOM/ShadyCSS polyfill hook: it patches shadow roots and styles, which our elements have none of.
  ['polyfill support', 'p?.({ReactiveElement:y}),', ''],
  // `wrapped` (a reactive property over an accessor the class defines itself) and `useDefault` (a declared default
  // that reflects): our properties come from the option table, none has an accessor of the class or `useDefault`,
  // and none reflects, so a change is only recorded for the next update. These paid for the `sound` option.
  ['wrapped accessors', 'this.prototype.hasOwnProperty(t)&&((s=Object.create(s)).wrapped=!0),', ''],
  ['wrapped initial values', 'const t=this.constructor.elementProperties;if(t.size>0)for(const[s,i]of t){const{wrapped:t}=i,e=this[s];!0!==t||this._$AL.has(s)||void 0===e||this.C(s,void 0,i,e)}', ''],
  ['useDefault at requestUpdate', '||i.useDefault&&i.reflect&&h===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i))', ''],
  [
    'useDefault, wrapped and reflect at change',
    'C(t,s,{useDefault:i,reflect:e,wrapped:h},r){i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??s??this[t]),!0!==h||void 0!==r)||(this._$AL.has(t)||(this.hasUpdated||i||(s=void 0),this._$AL.set(t,s)),!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}',
    'C(t,s){this._$AL.has(t)||(this.hasUpdated||(s=void 0),this._$AL.set(t,s))}',
  ],
];
const leanLit = {
  name: 'twt-lean-lit',
  transform(code, id) {
    if (!/[\\/]@lit[\\/]reactive-element[\\/]reactive-element\.js$/.test(id)) return;
    for (const [what, cut, keep] of LIT_CUTS) {
      if (!code.includes(cut)) this.error(`lit's reactive-element.js changed: the "${what}" cut no longer matches (scripts/rollup/host.mjs LIT_CUTS)`);
      code = code.replace(cut, keep);
    }
    return { code, map: null };
  },
};

const plugins = ({ minify }) =>
  [
    minify && withoutLitStyles,
    minify && leanLit,
    injectVersion,
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.base.json', minify: false }),
    // Property mangling for our `_`-prefixed private members only (readable source, short core.js). Names that
    // other code on the page shares keep theirs: `_q` (the snippet stub's queue), `__twt`, `__twt__config`,
    // `__proto__` and any `__x`, and lit's `_$…` members (its copies talk through them).
    minify &&
      terser({
        ecma: 2021,
        module: false,
        // `unsafe` (e.g. String(x) -> ""+x) and `keep_fargs: false` assume standard built-ins and no reader of
        // Function.length: true of our code and lit's; the browser suites run against this build.
        // Function declarations stay where they are (hoist_funs off): next to their callers they gzip better.
        compress: { passes: 3, unsafe_arrows: true, keep_fargs: false, unsafe: true },
        mangle: { properties: { regex: /^_(?![_$])/, reserved: ["_q"] } },
        // V8's explicit compile hint (Chromium 136+; a plain comment elsewhere), on core.js only (the one minified
        // build here): compile every function of core.js eagerly, on the background thread that already parses the
        // async script while it downloads, instead of lazily on the host page's main thread at first call. Nearly
        // all of core.js runs at boot; measured on the bench's host page, the widget's main-thread CPU falls by
        // about a third (docs/performance.md).
        format: { comments: false, preamble: '//# allFunctionsCalledOnLoad' },
      }),
  ].filter(Boolean);

export const hostConfigs = [
  {
    input: 'src/host/core.ts',
    output: { file: 'dist/install/core.js', format: 'iife', sourcemap: false },
    plugins: plugins({ minify: true }),
  },
  {
    input: { index: 'src/host/index.ts', define: 'src/host/define.ts' },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    output: { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: '.', entryFileNames: '[name].js', sourcemap: true },
    plugins: plugins({ minify: false }),
  },
];
