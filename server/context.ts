import type { Data } from './data/index.js';
import type { Hub } from './hub.js';
import type { Limiters } from './limits.js';
import type { TypingGate } from './typing-gate.js';
import type { ReadReceipts } from './read-receipts.js';
import type { SessionPolicy } from './data/agent-sessions.js';
import type { Clock } from './clock.js';

/** What request handlers and sockets share within one server process. */
export interface ServerContext {
  /** Data access (server/data/). */
  data: Data;
  hub: Hub;
  /** HMAC key for visitor tokens and identity clues; shared by all processes through the DB. */
  secret: string;
  tokenTtlSeconds: number;
  /** Rate and concurrency limits on cheap requests (server/limits.ts). */
  limits: Limiters;
  /** Reverse-proxy hops whose X-Forwarded-For is believed (TWT_TRUST_PROXY; see client-address.ts). */
  trustProxyHops: number;
  typing: TypingGate;
  readReceipts: ReadReceipts;
  /** The /v1/test/* routes exist (app creation etc. for browser tests; see http/test-api.ts), and answer CORS. Never on in production. */
  testMode: boolean;
  distDir: string;
  demoDir: string;
  /** Serve /demo/ (and redirect / there); off in production. */
  serveDemo: boolean;
  /** Wall-clock milliseconds of visitor tokens, console sessions and app-secret grace periods (StartOptions.wallClock; tests step it). */
  now: () => number;
  /** The monotonic clock of the server's timers (StartOptions.clock; tests step it). */
  clock: Clock;
  /** Idle and absolute lifetimes of console sessions. */
  sessionPolicy: SessionPolicy;
}
