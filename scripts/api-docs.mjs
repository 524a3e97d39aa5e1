// Generates docs/api.md, the API reference:
//   - the global API (window.TWTChatWidget, window.__twt): hand-written tables
//     that mirror the spec (shared/spec/js-api.zh.md), cross-checked against the
//     names the code really accepts (src/host/shim.ts, src/host/config.ts),
//   - the elements: generated from custom-elements.json (the elements' JSDoc),
//   - the package entry points: from package.json `exports`.
//
//   node scripts/api-docs.mjs           writes docs/api.md   (also: npm run docs)
//   node scripts/api-docs.mjs --check   exits 1 when docs/api.md is stale
//
// custom-elements.json is a build output; when it is missing or older than the
// element sources, the analyzer is run here (same options as scripts/build.mjs)
// into node_modules/.cache, so the check never reads a stale manifest
// (TWT_API_DOCS_FRESH=1 forces that).
import { readFileSync, writeFileSync, existsSync, statSync, readdirSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configOptions, eventTable } from './source-tables.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'api.md');
const REGENERATE = 'npm run docs';

// ------------------------------------------------------------------ sources

/** What custom-elements.json is made from: the elements, and the option and event tables (scripts/source-tables.mjs). */
function elementSources() {
  return readdirSync(join(ROOT, 'elements'))
    .filter((f) => /^twt-.*\.ts$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.styles.ts'))
    .map((f) => join(ROOT, 'elements', f))
    .concat(['src/shared/config-fields.ts', 'src/shared/bridge-protocol.ts'].map((f) => join(ROOT, f)));
}

function loadManifest() {
  const built = join(ROOT, 'custom-elements.json');
  const newestSource = Math.max(...elementSources().map((f) => statSync(f).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource && !process.env.TWT_API_DOCS_FRESH) return JSON.parse(readFileSync(built, 'utf8'));
  // The analyzer also writes a `customElements` path into the package.json of its
  // working directory, so it runs in a scratch directory that links to the sources.
  const work = join(ROOT, 'node_modules', '.cache', 'twt-api-docs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const dir of ['elements', 'src']) symlinkSync(join(ROOT, dir), join(work, dir), 'dir');
  writeFileSync(join(work, 'package.json'), '{}\n');
  const bin = join(ROOT, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js');
  const r = spawnSync(
    process.execPath,
    [bin, 'analyze', '--litelement', '--quiet', '--config', join(ROOT, 'custom-elements-manifest.config.mjs'), '--outdir', 'out', '--globs', 'elements/twt-*.ts', '--exclude', 'elements/*.test.ts', 'elements/*.styles.ts'],
    { cwd: work, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`custom-elements-manifest analyze failed:\n${r.stderr || r.stdout}`);
  const outdir = join(work, 'out');
  return JSON.parse(readFileSync(join(outdir, 'custom-elements.json'), 'utf8'));
}

/** The string literals of `export const NAME = [...]` or `export type NAME = 'a' | 'b'` in a source file. */
function literalsOf(file, name) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const m = text.match(new RegExp(`export (?:const|type) ${name}\\s*=\\s*([^;]+);`));
  if (!m) throw new Error(`${file}: cannot find "export const|type ${name}"; update scripts/api-docs.mjs`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

const EVENT_TABLE = eventTable();
const eventsOn = (page) => EVENT_TABLE.filter((e) => e.page === page).map((e) => e.name);

// ------------------------------------------------------------------ the global API (mirrors the spec's tables)

const CORE_FUNCTIONS = [
  ['on(event, handler)', 'Registers an event handler.', 'Yes: the snippet stub queues it'],
  ['once(event, handler)', 'Registers a handler that runs once.', 'After core.js has loaded (a richer stub may queue it)'],
  ['off(event, handler?)', 'Removes that handler; without a handler, every handler of the event.', 'After core.js has loaded'],
  ['call(method, payload?)', 'Runs a widget method (below). Returns a Promise; never throws; rejects with an `Error` carrying `reason`.', 'Queued until the widget exists; best after `initialized`'],
  ['get(getter)', 'Reads state synchronously (below).', 'No: throws before `init()` has completed'],
  ['init()', 'Creates the widget. Idempotent.', 'After core.js has loaded'],
  ['login(sbs, sbs_mm, ranstr, name?, nickname?, email?, phone?)', "Shorthand for `call('login', {...})`.", 'After init'],
  ['logout()', "*Extension.* Shorthand for `call('logout')`.", 'After init'],
  ['setLanguage(locale)', "Shorthand for `call('set_language', locale)`.", 'After init'],
  ['scriptTagVersion()', 'The snippet version from the core.js URL (`?version=v1.2` gives `v1.2`); equals `get(\'sdk_info\').scriptTagVersion`.', 'After core.js has loaded'],
];

const CONFIG = [
  ['appid', 'string', '—', "Required. Your project's appid, lowercase (letters, digits, `-`, `_`; at most 64)."],
  ['asyncInit', 'boolean', '`false`', 'Skip the automatic `init()`; call `TWTChatWidget.init()` yourself.'],
  ['language', 'string', "the browser's", 'Initial language (see Languages). Unsupported values are ignored with a console warning.'],
  ['theme', "'light' \\| 'dark' \\| 'system'", '`light`', '`system` follows `prefers-color-scheme`, live.'],
  ['launcher', "'default' \\| 'custom'", '`default`', '`custom`: no launcher iframe; your page provides the button.'],
  ['zIndex', 'number', '`2147483000`', 'Stacking level of the widget iframes.'],
  ['sbs', 'string', '—', 'Business user id (login triple).'],
  ['sbs_mm', 'string', '—', 'Business user signature (login triple), computed by your server.'],
  ['ranstr', 'string', '—', 'Signature nonce (login triple).'],
  ['name', 'string', '—', 'Visitor name.'],
  ['nickname', 'string', '—', 'Visitor nickname.'],
  ['email', 'string', '—', 'Visitor email.'],
  ['phone', 'string', '—', 'Visitor phone.'],
  ['referer', 'string', 'the page URL', 'Source URL shown to agents.'],
  ['source_title', 'string', 'the page title', 'Source title shown to agents.'],
  ['server', 'string', 'the origin core.js came from', '*Extension.* Widget server origin; required when the ESM build is bundled into an app.'],
  ['storage', "'local' \\| 'cookie' \\| 'none'", '`local`', '*Extension.* Where the visitor identity clue is kept on your origin (`local` falls back to a cookie).'],
  ['right', 'number', '`20`', '*Extension.* Distance from the right edge, px (also `window.__twt__config.position.right`).'],
  ['bottom', 'number', '`20`', '*Extension.* Distance from the bottom edge, px (also `window.__twt__config.position.bottom`).'],
  ['icon', 'string', 'our chat icon', 'Launcher image (also `window.__twt__config.icon`): an absolute http(s) URL or a base64 `data:image/` URL; shown while the panel is closed, our icon if it fails to load. With an icon, the launcher is shown once the widget\'s script has put it in: our icon is never painted first.'],
  ['trackPages', 'boolean', '`true`', "*Extension.* Report the page the visitor is on to your agents (the first page, then every navigation, single-page ones too: History API, `popstate`, `hashchange` or the Navigation API); `false` (attribute `track-pages=\"false\"`) reports nothing. See [embedding](embedding.md#page-tracking-and-privacy)."],
  ['trackPageQuery', 'boolean', '`false`', '*Extension.* Keep query strings and fragments in the reported URLs; by default they are dropped on your page, before anything leaves it.'],
  ['sound', 'boolean', '`false`', "*Extension.* A short tone (two notes, made in the browser, no audio file) when an agent's message arrives while the panel is closed (minimized, not hidden). Browsers play sound only after the visitor has interacted: a click, tap or key press anywhere on your page or in the widget since it loaded; before that the tone is skipped. The panel iframe gets `allow=\"autoplay\"` for it; a `Permissions-Policy` on your page that denies `autoplay` to the widget origin silences it. Changing it (attribute `sound`, property) applies at once. See [embedding](embedding.md#new-message-sound)."],
];

const LANGUAGES = [
  ['en', 'English'], ['zh-cn', '简体中文'], ['zh-tw', '繁體中文'], ['ja', '日本語'], ['ko', '한국어'],
  ['de', 'Deutsch'], ['fr', 'Français'], ['pt', 'Português'], ['ru', 'Русский'],
];

const METHODS = [
  ['maximize', '—', 'Opens the chat panel.'],
  ['minimize', '—', 'Closes the panel; only the launcher stays.'],
  ['hide', '—', 'Hides the whole widget; the iframes stay mounted.'],
  ['show', '—', 'From hidden back to minimized.'],
  ['toggle', '—', 'Between maximized and minimized.'],
  ['destroy', '—', 'Removes the iframes, listeners and card (host side, no runtime confirmation); fires `destroyed`. `init()` creates a new widget.'],
  ['login', '`{sbs, sbs_mm, ranstr, name?, nickname?, email?, phone?}`', 'Reloads the session as that business user. Rejects `login_failed` when a triple field is missing or the signature does not verify.'],
  ['logout', '—', "*Extension.* Forgets the business user and the visitor's identity clue on this browser, and restarts the widget as a new anonymous visitor: nothing of the previous person's conversations stays visible (for a shared computer; call it from your own sign-out). The panel closes, the lifecycle events fire again (no `destroyed`); a login your `window.__twt`, `options` or attributes still hold stays dropped until another `login`. See [operating](operating.md#signing-the-business-user-login)."],
  ['set_language', "`'en'` (or `{locale}`)", 'Switches launcher and panel language. Case and region variants normalise (`zh-CN`, `pt-BR`); others reject `unsupported_locale`.'],
  ['set_theme', "`'dark'` (or `{theme}`)", "`light`, `dark` or `system`; anything else rejects `invalid_payload`."],
];

const GETTERS = [
  ['state', '`{ visibility: \'maximized\' | \'minimized\' | \'hidden\' }`', 'Current visibility.'],
  ['sdk_info', "`{ version, scriptTagVersion, compatibilityMode: 'off', transport: 'mixed' }`", '`version`: host SDK version; `scriptTagVersion`: snippet version.'],
  ['unread_count', '`number`', 'Cached unread count; 0 until the runtime reports one.'],
  ['theme', "`'light' | 'dark' | 'system'`", 'The theme setting.'],
];

const LIFECYCLE_EVENTS = [
  ['initialized', '—', '`init()` completed: bootstrap accepted, iframes created.'],
  ['iframe_loaded', '`{ surface }`', 'An iframe (`launcher`, `panel`, `card`) fired `load`. Diagnostic only.'],
  ['bridge_ready', '—', 'The panel runtime registered its command handlers; commands are accepted.'],
  ['runtime_mounted', '—', 'The panel runtime mounted.'],
  ['visitor_auth_ready', '`{ bs, bs_mm, fk_id, fkid, hasToken, source, visitorUid }`', "The visitor identity is resolved or restored (`source`: `'initial'` \\| `'resolved'`). The SDK stores `{bs, bs_mm, fk_id}` on your origin."],
  ['runtime_activated', '—', 'First activation done: the initial conversation list is loaded.'],
  ['destroyed', '—', 'The widget was destroyed.'],
];

const STATE_EVENTS = [
  ['visibility_changed', '`{ visibility }`', '`maximized`, `minimized` or `hidden`.'],
  ['connection_state_changed', '`{ status }`', '`disconnected`, `connecting`, `connected` or `reconnecting`.'],
  ['session_connected', "`{ status: 'connected' }`", 'The WebSocket is connected.'],
  ['session_disconnected', '`{ status }`', 'The WebSocket closed or is reconnecting.'],
  ['auth_closed', '`{ message, reason, source, clearToken, closeAuthType, closeCode, terminal }`', 'The server closed visitor authentication (banned, revoked, app disabled); the widget is hidden.'],
  ['bootstrap_failed', '`{ reason, source, mode: \'embedded\', message? }`', "Embedded start failed; the widget is hidden and removed. `reason`: `domain_not_whitelisted`, `login_failed`, `invalid_bootstrap`, `timeout`, …"],
  ['unread_count_changed', '`{ count }`', 'The unread count changed.'],
];

const REFUSALS = [
  ['unknown_method', '`call()` with a name not listed above.'],
  ['destroyed', '`call()` after `destroy` and before the next `init()`.'],
  ['bootstrap_failed', 'The widget failed to boot (see the event).'],
  ['unsupported_locale', '`set_language` with a language outside the list.'],
  ['invalid_payload', '`set_theme` with a value other than light/dark/system.'],
  ['login_failed', '`login` without the full triple, or the server rejected the signature.'],
];

/** Fails when the hand-written tables and the code disagree (a new event, method or config key must be documented). */
function crossCheck() {
  const same = (what, documented, actual) => {
    const missing = actual.filter((x) => !documented.includes(x));
    const extra = documented.filter((x) => !actual.includes(x));
    if (missing.length || extra.length) {
      throw new Error(`${what}: the code and scripts/api-docs.mjs disagree` + (missing.length ? `; undocumented: ${missing.join(', ')}` : '') + (extra.length ? `; documented but not in the code: ${extra.join(', ')}` : '') + '. Update the tables in scripts/api-docs.mjs.');
    }
  };
  same('lifecycle events (src/shared/bridge-protocol.ts EVENT_TABLE)', LIFECYCLE_EVENTS.map((r) => r[0]), eventsOn('lifecycle'));
  same('state events (src/shared/bridge-protocol.ts EVENT_TABLE)', STATE_EVENTS.map((r) => r[0]), eventsOn('state'));
  same('methods (src/host/shim.ts MethodName)', METHODS.map((r) => r[0]), literalsOf('src/host/shim.ts', 'MethodName'));
  same('getters (src/host/shim.ts GetterName)', GETTERS.map((r) => r[0]), literalsOf('src/host/shim.ts', 'GetterName'));
  same('config keys (src/shared/config-fields.ts CONFIG_FIELDS)', CONFIG.map((r) => r[0]), configOptions().map((o) => o.key));
  same('languages (src/shared/locales.ts SOURCE_LOCALE + TARGET_LOCALES)', LANGUAGES.map((r) => r[0]), [...literalsOf('src/shared/locales.ts', 'SOURCE_LOCALE'), ...literalsOf('src/shared/locales.ts', 'TARGET_LOCALES')]);
}

// ------------------------------------------------------------------ markdown

const cell = (s) => String(s ?? '').replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
const code = (s) => (s ? '`' + s + '`' : '');
function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
/** Rows whose cells are already markdown (their pipes escaped by hand). */
function rawTable(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
/** `a`, `b` and `c`: the replayed events, broken before the last one as the page always was. */
function replayedList() {
  const names = EVENT_TABLE.filter((e) => e.replayed).map((e) => code(e.name));
  return `${names.slice(0, -1).join(', ')} and\n${names.at(-1)}`;
}
const domEvent = (name) => EVENT_TABLE.find((e) => e.name === name).domEvent;
const escPipes = (rows) => rows.map((r) => r.map((c) => String(c).replace(/`([^`]*)`/g, (m) => m.replace(/(?<!\\)\|/g, '\\|'))));

function globalApi() {
  return `## The global API: \`window.TWTChatWidget\`

The legacy snippet's API (spec v1.2). core.js replaces the snippet's stub with the real object and replays
what the stub queued. Every name below is checked against the code when this page is generated.

### Core functions

${rawTable(['Function', 'What it does', 'Before init?'], escPipes(CORE_FUNCTIONS.map(([f, d, b]) => [code(f), d, b])))}

### Configuration: \`window.__twt\`

Read when \`init()\` runs. Wrong types or unknown values fall back to the default with a console warning;
a missing or malformed \`appid\` fires \`bootstrap_failed\` (\`reason: 'invalid_bootstrap'\`, \`source: 'config'\`).
The older \`window.__twt__config\` (\`lang\`, \`position: {right, bottom}\`, \`icon\`) is still read; \`__twt\` wins (demo: \`/demo/legacy-config.html\`).
The same options exist as \`<twt-chat-widget>\` attributes, in kebab-case (\`z-index\`, \`async-init\`, \`sbs-mm\`,
\`source-title\`, \`offset-right\`, \`offset-bottom\`); see below.

${rawTable(['Key', 'Type', 'Default', 'Meaning'], CONFIG.map(([k, t, d, m]) => [code(k), code(t), d, m]))}

### Languages

${table(['Value', 'Language'], LANGUAGES.map(([v, l]) => [code(v), l]))}

Case and common region variants normalise (\`zh-CN\`, \`zh-Hant\`, \`pt-BR\`, \`EN-us\`). Without a configured language the
first supported entry of \`navigator.languages\` is used, else \`en\`.

### Methods: \`call(method, payload?)\`

${rawTable(['Method', 'Payload', 'What it does'], escPipes(METHODS.map(([m, p, d]) => [code(m), p, d])))}

\`call()\` returns a Promise that settles when the command has been applied (for \`login\`, \`set_language\` and
\`set_theme\`: when the runtime answered). It rejects with an \`Error\` whose \`reason\` is one of:

${table(['reason', 'When'], REFUSALS.map(([r, w]) => [code(r), w]))}

### Getters: \`get(getter)\`

Synchronous; throws an \`Error\` before \`init()\` has completed (wait for \`initialized\`) or for an unknown getter.

${rawTable(['Getter', 'Returns', 'Meaning'], escPipes(GETTERS.map(([g, r, m]) => [code(g), r, m])))}

### Events: \`on(event, handler)\`

Handlers get the payload as their only argument. ${replayedList()} reach a handler registered after they happened once, asynchronously. A handler that
throws is logged and does not stop the others. Each event is also dispatched on the \`<twt-chat-widget>\`
element as a DOM \`CustomEvent\` named \`twt-\` + the name with \`-\` for \`_\` (payload in \`detail\`, bubbling, composed).

Lifecycle:

${rawTable(['Event', 'DOM event', 'Payload', 'Meaning'], escPipes(LIFECYCLE_EVENTS.map(([e, p, m]) => [code(e), code(domEvent(e)), p, m])))}

\`initialized\` and \`bridge_ready\` do not mean that the WebSocket is connected; listen to
\`connection_state_changed\` or \`session_connected\` for that.

State:

${rawTable(['Event', 'DOM event', 'Payload', 'Meaning'], escPipes(STATE_EVENTS.map(([e, p, m]) => [code(e), code(domEvent(e)), p, m])))}

### Surfaces in the page

The widget's iframes are in the light DOM, each marked with \`data-twt-widget-surface\`:
\`iframe[data-twt-widget-surface="launcher"]\` (absent with \`launcher: 'custom'\`), \`"panel"\` and \`"card"\`
(the marketing card shown next to the launcher for a new agent message while minimized; created with its first card).
Their position and size are set as inline \`!important\` styles, so page CSS cannot break them.
`;
}

// ------------------------------------------------------------------ elements (from the manifest)

function describeType(t) {
  return t?.text ? code(t.text) : '—';
}
const text = (s) => (s && s.trim() ? s.trim() : '—');

function elementSection(decl, modulePath) {
  const out = [`### \`<${decl.tagName}>\``, ''];
  if (decl.summary) out.push(`**${decl.summary.trim()}** Class \`${decl.name}\` (\`${modulePath}\`).`, '');
  if (decl.description) out.push(decl.description.trim(), '');

  const attrs = decl.attributes ?? [];
  out.push('#### Attributes', '');
  if (attrs.length) {
    const byName = [...attrs].sort((a, b) => a.name.localeCompare(b.name));
    const withProperty = byName.some((a) => a.fieldName);
    out.push(
      withProperty
        ? table(['Attribute', 'Property', 'Type', 'Description'], byName.map((a) => [code(a.name), a.fieldName ? code(a.fieldName) : '—', describeType(a.type), text(a.description)]))
        : table(['Attribute', 'Type', 'Description'], byName.map((a) => [code(a.name), describeType(a.type), text(a.description)])),
      '',
    );
    if (withProperty) out.push('Each attribute has its property (set either; a property set from script wins over the attribute until the attribute changes again). Changes apply live, also while the widget boots; a new `appid` or `server` boots it again.', '');
  } else out.push('None.', '');

  const publicMembers = (decl.members ?? []).filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('#') && !m.name.startsWith('_'));
  // The option properties are in the attribute table above.
  const fields = publicMembers.filter((m) => m.kind === 'field' && !m.static && !m.attribute);
  const statics = publicMembers.filter((m) => m.kind === 'field' && m.static);
  const methods = publicMembers.filter((m) => m.kind === 'method' && !m.static);

  out.push('#### Properties', '');
  if (fields.length) {
    out.push(table(['Property', 'Type', 'Access', 'Description'], fields.map((f) => [code(f.name), describeType(f.type), f.readonly ? 'read-only' : 'read/write', text(f.description)])), '');
  } else out.push('None.', '');
  if (statics.length) {
    out.push('Static properties (set them before the element boots):', '');
    out.push(table(['Property', 'Type', 'Description'], statics.map((f) => [code(`${decl.name}.${f.name}`), describeType(f.type), text(f.description)])), '');
  }

  out.push('#### Methods', '');
  if (methods.length) {
    const sig = (m) => `${m.name}(${(m.parameters ?? []).map((p) => p.name + (p.optional ? '?' : '')).join(', ')})`;
    out.push(table(['Method', 'Returns', 'Description'], methods.map((m) => [code(sig(m)), describeType(m.return?.type), text(m.description)])), '');
  } else out.push('None.', '');

  const events = (decl.events ?? []).filter((e) => e.name);
  out.push('#### Events', '');
  if (events.length) {
    out.push('`CustomEvent`s dispatched on the element (bubbling, composed); the payload is in `event.detail`.', '');
    out.push(table(['Event', 'Description'], events.map((e) => [code(e.name), text(e.description)])), '');
  } else out.push('None.', '');

  out.push('#### CSS parts and custom properties', '');
  const parts = decl.cssParts ?? [];
  const props = decl.cssProperties ?? [];
  const states = decl.cssStates ?? [];
  if (parts.length) out.push(table(['Part', 'Description'], parts.map((p) => [code(p.name), p.description ?? ''])), '');
  if (props.length) out.push(table(['Custom property', 'Default', 'Description'], props.map((p) => [code(p.name), code(p.default), p.description ?? ''])), '');
  if (states.length) out.push(table(['Custom state', 'Description'], states.map((p) => [code(p.name), p.description ?? ''])), '');
  if (!parts.length && !props.length && !states.length) {
    out.push("None: the element has no shadow root. Its content is the widget's iframe(s) (light DOM), styled inside the iframe (theme) and placed by the widget.", '');
  }
  return out.join('\n');
}

function elementsApi(manifest) {
  const decls = [];
  for (const m of manifest.modules ?? []) for (const d of m.declarations ?? []) if (d.kind === 'class' && d.tagName) decls.push([d, m.path]);
  if (!decls.length) throw new Error('custom-elements.json lists no custom elements');
  decls.sort((a, b) => a[0].tagName.localeCompare(b[0].tagName));
  return [
    '## Elements',
    '',
    `Generated from \`custom-elements.json\` (the elements' JSDoc). Register both tags with \`import 'twt-chat-widget/define.js'\` (core.js does it for you).`,
    '',
    ...decls.map(([d, p]) => elementSection(d, p)),
  ].join('\n');
}

// ------------------------------------------------------------------ package entry points

function entryPoints() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const rows = Object.entries(pkg.exports ?? {}).map(([spec, target]) => {
    const file = typeof target === 'string' ? target : target.default;
    const types = typeof target === 'object' && target.types ? code(target.types) : '';
    return [code(spec === '.' ? pkg.name : `${pkg.name}/${spec.replace(/^\.\//, '')}`), code(file), types];
  });
  return `## Package entry points

From \`package.json\` \`exports\`. Only \`define.js\` (and \`install/core.js\`) have side effects.

${table(['Import', 'File', 'Types'], rows)}
`;
}

// ------------------------------------------------------------------ main

export function render() {
  crossCheck();
  const manifest = loadManifest();
  return [
    '<!-- Generated by scripts/api-docs.mjs. Do not edit: change the JSDoc or the script, then run `' + REGENERATE + '`. -->',
    '',
    '# API reference',
    '',
    'Two ways in, one widget: the **global API** of the legacy snippet (`window.TWTChatWidget`, configured by',
    '`window.__twt`) is a thin layer over the **`<twt-chat-widget>` element**. See [embedding.md](embedding.md) for how to',
    'put it on a page and [operating.md](operating.md) for the server side.',
    '',
    globalApi(),
    elementsApi(manifest),
    '',
    entryPoints(),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let text;
  try {
    text = render();
  } catch (e) {
    console.error(`api-docs: ${e.message}`);
    process.exit(2);
  }
  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      const a = current.split('\n');
      const b = text.split('\n');
      let line = b.findIndex((l, i) => l !== a[i]);
      if (line < 0) line = b.length; // the file on disk has extra lines at the end
      const where = existsSync(OUT) ? `first difference at line ${line + 1}: expected ${JSON.stringify((b[line] ?? '<end of file>').slice(0, 100))}` : 'the file is missing';
      console.error(`docs/api.md is stale (${where}).\nRegenerate it with: ${REGENERATE}   (= node scripts/api-docs.mjs), then commit docs/api.md.`);
      process.exit(1);
    }
    console.log('docs/api.md is up to date');
  } else {
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT.slice(ROOT.length + 1)}`);
  }
}
