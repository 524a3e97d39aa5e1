/**
 * The server's configuration: every environment variable it reads, read here
 * and only here (server/main.ts, startServer() and the CLI call readConfig()),
 * checked, and handed on as one typed object. A variable set to something
 * malformed stops the start with a message naming it. docs/operating.md lists
 * them all (the limits in their own table, from server/limits.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitSettingsFromEnv, type LimitSettings } from './limits.js';
import { parseTrustProxy } from './client-address.js';
import { normalizeTrustedDomain } from './domains.js';
import type { DemoSeed } from './seed.js';
import { DEFAULT_HEARTBEAT_MS } from './ws/heartbeat.js';
import { DEFAULT_PRESENCE_BEAT_MS } from './remote-presence.js';

export interface ServerConfig {
  /** PORT: where to listen (0: any free port). Default 8787. */
  port: number;
  /** HOST. Default 127.0.0.1. */
  host: string;
  /** DATABASE_URL: postgres://… switches the store to PostgreSQL. Default: none (PGlite). */
  databaseUrl: string | undefined;
  /** TWT_DATA_DIR: the PGlite data directory. Default <repo>/.twt-data. */
  dataDir: string;
  /**
   * TWT_PGLITE_WORKER: PGlite runs in a worker thread, off the thread of sockets and HTTP (db/pglite-worker-store.ts).
   * Default on: on 2 cores it carried 4x the visitor messages/s of PGlite on the main thread (docs/performance.md,
   * "PGlite in a worker thread"). TWT_PGLITE_WORKER=0 keeps PGlite on the main thread.
   */
  pgliteWorker: boolean;
  /** TWT_SERVER_SECRET: signs visitor tokens and clues. Default: none (generated once and stored in the DB). */
  serverSecret: string | undefined;
  /** TWT_TOKEN_TTL_SECONDS: visitor token lifetime. Default 3600. */
  tokenTtlSeconds: number;
  /** TWT_HEARTBEAT_MS: protocol-level ping interval. Default 30 s (ws/heartbeat.ts). */
  heartbeatMs: number;
  /** TWT_PRESENCE_BEAT_MS: how often this process tells the others it is alive. Default 10 s (remote-presence.ts). */
  presenceBeatMs: number;
  /** TWT_TRUST_PROXY: reverse-proxy hops whose X-Forwarded-For is believed. Default 0 (client-address.ts). */
  trustProxyHops: number;
  /** TWT_MESSAGES_PER_10S … TWT_SOCKETS_PER_ADDRESS (limits.ts). */
  limits: LimitSettings;
  /** TWT_TEST_MODE=1: the /v1/test/* routes exist. Default off. */
  testMode: boolean;
  /** NODE_ENV=production: no demo pages, no demo login signer, no demo seed. */
  production: boolean;
  /** The demo app and agent are seeded at start: not in production, and not with TWT_SEED_DEMO=0. */
  seedDemo: boolean;
  /** TWT_DEMO_APPID, TWT_DEMO_SECRET, TWT_DEMO_DOMAINS, TWT_DEMO_AGENT_KEY, TWT_DEMO_ADMIN_EMAIL, TWT_DEMO_ADMIN_PASSWORD: the demo app, its admin and its key. */
  demo: DemoSeed;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** The dev seed's admin sign-in (never seeded in production; documented in docs/operating.md). */
export const DEMO_ADMIN_EMAIL = 'admin@example.test';
export const DEMO_ADMIN_PASSWORD = 'demo-admin-password';

type Env = Record<string, string | undefined>;

export function readConfig(env: Env = process.env): ServerConfig {
  const production = env.NODE_ENV === 'production';
  return {
    port: port(env),
    host: env.HOST ?? DEFAULT_HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.TWT_DATA_DIR ?? join(repoRoot(), '.twt-data')),
    pgliteWorker: env.TWT_PGLITE_WORKER !== '0',
    serverSecret: env.TWT_SERVER_SECRET || undefined,
    tokenTtlSeconds: positiveInt(env, 'TWT_TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS),
    heartbeatMs: positiveInt(env, 'TWT_HEARTBEAT_MS', DEFAULT_HEARTBEAT_MS),
    presenceBeatMs: positiveInt(env, 'TWT_PRESENCE_BEAT_MS', DEFAULT_PRESENCE_BEAT_MS),
    trustProxyHops: parseTrustProxy(env.TWT_TRUST_PROXY),
    limits: limitSettingsFromEnv(env),
    testMode: env.TWT_TEST_MODE === '1',
    production,
    seedDemo: !production && env.TWT_SEED_DEMO !== '0',
    demo: {
      appid: (env.TWT_DEMO_APPID || 'demo').toLowerCase(),
      secret: env.TWT_DEMO_SECRET || 'demo-secret',
      domains: (env.TWT_DEMO_DOMAINS || 'localhost,127.0.0.1')
        .split(',')
        .map((d) => normalizeTrustedDomain(d))
        .filter((d): d is string => d !== null),
      agentKey: env.TWT_DEMO_AGENT_KEY || 'demo-agent-key',
      adminEmail: (env.TWT_DEMO_ADMIN_EMAIL || DEMO_ADMIN_EMAIL).trim().toLowerCase(),
      adminPassword: env.TWT_DEMO_ADMIN_PASSWORD || DEMO_ADMIN_PASSWORD,
    },
  };
}

/**
 * The repository root: the nearest directory above this module whose package.json declares the
 * npm workspaces (server/ has a package.json of its own, the nearest one when running from
 * source); failing that, the nearest directory with a package.json.
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  let nearest: string | undefined;
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      nearest ??= dir;
      try {
        if (JSON.parse(readFileSync(file, 'utf8')).workspaces) return dir;
      } catch {
        // unreadable: not the workspace root
      }
    }
    dir = dirname(dir);
  }
  return nearest ?? process.cwd();
}

function port(env: Env): number {
  const raw = env.PORT;
  if (raw === undefined) return DEFAULT_PORT;
  const n = Number(raw);
  if (!/^\s*\d{1,5}\s*$/.test(raw) || n > 65535) throw new Error(`PORT must be a port number (0-65535); got ${JSON.stringify(raw)}`);
  return n;
}

/** Unset or blank: the default. */
function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new Error(`${name} must be a positive integer; got ${JSON.stringify(raw)}`);
  return Number(raw);
}
