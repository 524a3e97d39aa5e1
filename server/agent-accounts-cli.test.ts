// Agent accounts outside the HTTP API: migration 3 carries every existing
// agent key over (live keys keep working, revoked ones stay refused and can
// never be stored again), and the CLI creates accounts with the password on
// stdin, resets it, manages keys and deactivates, on the server's own store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, freshDataDir, startTestServer } from '../test/helpers/node/server.js';
import { openStore, type Store } from './db/store.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { MIGRATIONS, migrate } from './db/migrations.js';
import { Data } from './data/index.js';
import { sha256Hex } from './auth.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs the CLI (through tsx) on this data directory; `stdin` is piped to it (closed empty when not given). */
function cli(args: string[], dataDir: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const { DATABASE_URL: _omit, ...base } = process.env;
    const child = execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...base, TWT_DATA_DIR: dataDir }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      ok({ code, stdout, stderr });
    });
    child.stdin!.end(stdin);
  });
}

const pg = testDatabase({ prefix: 'twt_accounts' });

/** Migrations 1-2, agents made the old way (a key hash per row, one revoked), then migration 3: checks the carry-over. */
async function keysCarriedOver(store: Store): Promise<void> {
  await store.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const [i, sql] of MIGRATIONS.slice(0, 2).entries()) {
    for (const stmt of sql.split(';').map((s) => s.trim()).filter(Boolean)) await store.query(stmt);
    await store.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
  }
  await store.query("INSERT INTO apps (appid, name, secret) VALUES ('shop', 'Shop', 's')");
  await store.query("INSERT INTO agents (name, key_hash, appid) VALUES ('Old Live', $1, 'shop'), ('Old Gone', $2, NULL)", [sha256Hex('old-live-key'), sha256Hex('old-gone-key')]);
  await store.query("UPDATE agents SET revoked_at = now() WHERE name = 'Old Gone'");

  await migrate(store);
  const data = new Data(store);
  const live = await data.agents.byKey('old-live-key');
  assert.deepEqual(live?.agent, { id: live!.agent.id, name: 'Old Live', appid: 'shop', role: 'agent', email: null }, 'same agent, same scope');
  assert.equal(await data.agents.byKey('old-gone-key'), null);
  const gone = (await data.agents.list()).find((a) => a.name === 'Old Gone')!;
  assert.equal(typeof gone.revokedAt, 'string');
  assert.equal((await data.agentKeys.list(gone.id))[0]!.revokedAt !== null, true, 'its key is revoked too');
  assert.equal(await data.agents.create({ name: 'Thief', key: 'old-gone-key', appid: null }), false, 'a revoked key is never stored again');
  assert.equal(await data.agentKeys.create(live!.agent.id, 'again', 'old-gone-key'), null);
  // The new tables on this store: an account, a session, a rotated secret.
  const ada = await data.agents.createAccount({ email: 'ada@example.test', name: 'Ada', passwordHash: 'x', role: 'admin', appid: null });
  await assert.rejects(data.agents.createAccount({ email: 'ADA@example.test', name: 'Ada 2', passwordHash: 'x', role: 'agent', appid: null }), /another agent has this email/);
  const session = await data.agentSessions.create(ada.id, 1_000_000);
  assert.equal((await data.agentSessions.find(session.id, 2_000_000, { idleMs: 10_000_000, absoluteMs: 20_000_000 }))?.agent.email, 'ada@example.test');
  assert.deepEqual([...(await data.agentSessions.liveRefs([session.ref, 'nope']))], [session.ref]);
  await data.agentSessions.end(session.id);
  assert.equal(await data.agentSessions.find(session.id, 2_000_000, { idleMs: 10_000_000, absoluteMs: 20_000_000 }), null);
  assert.equal(await data.apps.setSecret('shop', 'new', { ms: 60_000, nowMs: Date.parse('2026-11-30T12:00:00Z') }), true);
  const app = (await data.apps.get('shop'))!;
  assert.deepEqual([app.secret, app.previousSecret, app.previousSecretUntil], ['new', 's', Date.parse('2026-11-30T12:01:00Z')]);
}

test('migration 3 on PGlite: keys of agents made before accounts keep working, revoked ones stay revoked', async () => {
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'twt-m3-')) });
  try {
    await keysCarriedOver(store);
  } finally {
    await store.close();
  }
});

test('migration 3 on PostgreSQL: the same', async (t) => {
  if (!pg.available) return t.skip(pg.skipReason);
  // A database of our own, or a shared one whose schema we must not touch.
  if (!pg.name) return t.skip('no database of our own (CREATE DATABASE refused)');
  const store = await openStore({ databaseUrl: pg.url });
  try {
    await keysCarriedOver(store);
  } finally {
    await store.close();
  }
});

test('CLI: agents:create with the password on stdin, keys:create/list/revoke, agents:reset-password, agents:deactivate', { timeout: 600_000 }, async () => {
  const dataDir = await freshDataDir();
  const created = await cli(['agents:create', '--email', 'Ops@Example.test', '--name', 'Ops Lead', '--admin'], dataDir, 'a-cli-password\n');
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual({ ...JSON.parse(created.stdout), id: 'n' }, { id: 'n', email: 'ops@example.test', name: 'Ops Lead', role: 'admin', appid: null });
  assert.doesNotMatch(created.stdout + created.stderr, /a-cli-password/, 'the password is never printed');

  const dup = await cli(['agents:create', '--email', 'ops@example.test', '--name', 'Again'], dataDir, 'a-cli-password\n');
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /another agent has this email/);
  const weak = await cli(['agents:create', '--email', 'weak@example.test', '--name', 'Weak'], dataDir, 'short\n');
  assert.equal(weak.code, 2);
  assert.match(weak.stderr, /at least 10 characters/);

  const key = await cli(['keys:create', '--email', 'ops@example.test', '--label', 'ci'], dataDir);
  assert.equal(key.code, 0, key.stderr);
  const { key: apiKey, keyId } = JSON.parse(key.stdout);
  const reset = await cli(['agents:reset-password', '--email', 'ops@example.test'], dataDir, 'a-brand-new-password\n');
  assert.equal(reset.code, 0, reset.stderr);

  const server = await startTestServer({ dataDir });
  try {
    const signIn = (password: string) => api(server.url, '/v1/console/session', { body: { email: 'ops@example.test', password }, headers: { origin: server.url } });
    assert.equal((await signIn('a-cli-password')).status, 401, 'the old password is gone');
    const ok = await signIn('a-brand-new-password');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.agent.role, 'admin');
    assert.equal((await api(server.url, '/v1/agent/conversations', { headers: { authorization: `Bearer ${apiKey}` } })).status, 200);
  } finally {
    await server.close();
  }

  const listed = await cli(['keys:list', '--email', 'ops@example.test'], dataDir);
  assert.match(listed.stdout, new RegExp(`^${keyId}\\tci\\tcreated .*\\tused `, 'm'));
  assert.equal((await cli(['keys:revoke', '--email', 'ops@example.test', '--key-id', String(keyId)], dataDir)).code, 0);
  assert.match((await cli(['keys:list', '--email', 'ops@example.test'], dataDir)).stdout, /\trevoked /);
  const off = await cli(['agents:deactivate', '--email', 'ops@example.test'], dataDir);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /^deactivated agent \d+ \(ops@example.test\)/);
  assert.match((await cli(['agents:list'], dataDir)).stdout, /Ops Lead\tops@example.test\tadmin\t\(all apps\)\tdeleted /);
  assert.equal((await cli(['agents:deactivate', '--email', 'nobody@example.test'], dataDir)).code, 2);
});
