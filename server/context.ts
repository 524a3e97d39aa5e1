import type { Repo } from './repo.js';
import type { Hub } from './hub.js';
import type { KeyedRateLimiter } from './rate-limit.js';

/** What request handlers and sockets share within one server process. */
export interface ServerContext {
  repo: Repo;
  hub: Hub;
  /** HMAC key for visitor tokens and identity clues; shared by all processes through the DB. */
  secret: string;
  tokenTtlSeconds: number;
  messageLimiter: KeyedRateLimiter;
  /** Enables /v1/test/* (app creation etc. for browser tests). Never on in production. */
  testMode: boolean;
  distDir: string;
  demoDir: string;
}
