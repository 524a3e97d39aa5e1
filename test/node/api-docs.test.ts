/**
 * docs/api.md is generated (scripts/api-docs.mjs) from the elements' JSDoc
 * (custom-elements.json), the shim's event/method/getter names and the config
 * keys. This test fails as soon as the committed reference drifts from the code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('API reference (docs/api.md)', () => {
  it('is up to date with the code (else run: npm run docs)', { timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, ['scripts/api-docs.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stderr || r.stdout}`.trim());
  });

  it('documents every spec method, getter and event, and both elements', () => {
    const md = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const spec = {
      methods: ['maximize', 'minimize', 'hide', 'show', 'toggle', 'destroy', 'login', 'set_language', 'set_theme'],
      getters: ['state', 'sdk_info', 'unread_count', 'theme'],
      events: [
        'initialized', 'iframe_loaded', 'bridge_ready', 'runtime_mounted', 'visitor_auth_ready', 'runtime_activated', 'destroyed',
        'visibility_changed', 'connection_state_changed', 'session_connected', 'session_disconnected', 'auth_closed', 'bootstrap_failed', 'unread_count_changed',
      ],
    };
    for (const name of [...spec.methods, ...spec.getters, ...spec.events]) assert.match(md, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} has no table row`);
    for (const name of spec.events) assert.ok(md.includes(`\`twt-${name.replace(/_/g, '-')}\``), `DOM event of ${name} missing`);
    assert.ok(md.includes('### `<twt-chat-widget>`') && md.includes('### `<twt-launcher>`'), 'element sections missing');
  });
});
