// A fresh PostgreSQL database per test file, for the tests that need a real
// PostgreSQL (several processes, LISTEN/NOTIFY). It comes from DATABASE_URL_TEST,
// or the URL .ci/install-postgres wrote; without one the tests skip, saying how to get one.
import { after, before } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';

const URL_FILE = '/tmp/twt-ci-pg-url';

export interface TestDatabase {
  /** False when there is no reachable PostgreSQL (or, with `ownOnly`, no database of our own): skip. */
  available: boolean;
  /** Connection URL of the database the tests use. */
  url: string;
  /** Its name; '' when sharing the given database (no CREATE DATABASE right). */
  name: string;
  /** A connection to the server, open until the file's tests end (terminate backends, ALTER DATABASE…). */
  admin: pg.Client | null;
  /** Why the tests skip when `available` is false. */
  skipReason: string;
}

/**
 * Registers before/after hooks that create a database named `<prefix>_<pid>_<time>` (so earlier runs leave
 * nothing behind) and drop it. Without the right to create one the given database is shared, unless
 * `ownOnly` (tests that close their database to new connections must not do that to a shared one).
 */
export function testDatabase({ prefix = 'twt_test', ownOnly = false } = {}): TestDatabase {
  const adminUrl = process.env.DATABASE_URL_TEST || (existsSync(URL_FILE) ? readFileSync(URL_FILE, 'utf8').trim() : '');
  const db: TestDatabase = {
    available: false,
    url: '',
    name: '',
    admin: null,
    skipReason: `no PostgreSQL${ownOnly ? ' (or no CREATE DATABASE right)' : ''}: run .ci/install-postgres (writes ${URL_FILE}) or set DATABASE_URL_TEST`,
  };
  before(async () => {
    if (!adminUrl) return;
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
    } catch {
      await c.end().catch(() => {});
      return;
    }
    const name = `${prefix}_${process.pid}_${Date.now()}`;
    try {
      await c.query(`CREATE DATABASE ${name}`);
      const u = new URL(adminUrl);
      u.pathname = '/' + name;
      Object.assign(db, { available: true, url: u.toString(), name, admin: c });
    } catch {
      if (ownOnly) return void (await c.end().catch(() => {}));
      Object.assign(db, { available: true, url: adminUrl, admin: c }); // no CREATE DATABASE right: share the given one
    }
  });
  after(async () => {
    if (!db.admin) return;
    if (db.name) await db.admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`).catch(() => {});
    await db.admin.end().catch(() => {});
  });
  return db;
}
