/**
 * The server's limits on cheap requests: one table of settings (name,
 * environment variable, default), and the limiters one process builds from
 * them. docs/operating.md lists the same table; a test keeps the two equal.
 */
import { ConcurrencyLimiter, KeyedRateLimiter, TokenBucket, type Clock } from './rate-limit.js';

export interface LimitSettings {
  /** Messages per visitor (over all its sockets) per 10 s. */
  messagesPer10s: number;
  /** Other frames (typing, read, ping) per socket per 10 s; past it they are refused, and a socket refused 20 times is closed CLOSE.RATE_LIMITED. */
  socketFramesPer10s: number;
  /** Page reports (`page` frames: the visitor's navigations) per socket per 10 s; past it they are refused `rate_limited`. */
  pagesPer10s: number;
  /** POST /v1/visitor/session per client address per 10 s (the burst; refilled evenly, so 10 = 1 a second). */
  sessionsPerAddressPer10s: number;
  /** POST /v1/visitor/session per app per 10 s, from all addresses together. */
  sessionsPerAppPer10s: number;
  /** Failed agent-key attempts (REST and agent socket) per client address per minute; past it, every attempt is refused until a token is back. */
  agentAuthFailuresPerMinute: number;
  /** Failed console sign-ins per client address per 15 minutes; past it, that address's sign-ins are refused (429) until a token is back. */
  signInFailuresPerAddressPer15Min: number;
  /** Failed console sign-ins per account (the email given, known or not) per 15 minutes, from all addresses together. */
  signInFailuresPerAccountPer15Min: number;
  /** Open WebSockets (visitor and agent together) per client address. */
  socketsPerAddress: number;
}

/** Name -> environment variable and default. The defaults suit one real site; see docs/operating.md. */
export const LIMIT_SETTINGS: { readonly [K in keyof LimitSettings]: { env: string; default: number } } = {
  messagesPer10s: { env: 'TWT_MESSAGES_PER_10S', default: 10 },
  socketFramesPer10s: { env: 'TWT_SOCKET_FRAMES_PER_10S', default: 50 },
  pagesPer10s: { env: 'TWT_PAGES_PER_10S', default: 20 },
  sessionsPerAddressPer10s: { env: 'TWT_SESSIONS_PER_ADDRESS_PER_10S', default: 10 },
  sessionsPerAppPer10s: { env: 'TWT_SESSIONS_PER_APP_PER_10S', default: 1000 },
  agentAuthFailuresPerMinute: { env: 'TWT_AGENT_AUTH_FAILURES_PER_MINUTE', default: 10 },
  signInFailuresPerAddressPer15Min: { env: 'TWT_SIGN_IN_FAILURES_PER_ADDRESS_PER_15MIN', default: 20 },
  signInFailuresPerAccountPer15Min: { env: 'TWT_SIGN_IN_FAILURES_PER_ACCOUNT_PER_15MIN', default: 10 },
  socketsPerAddress: { env: 'TWT_SOCKETS_PER_ADDRESS', default: 100 },
};

/**
 * For harnesses where every simulated visitor shares one loopback address
 * (the test servers, the capacity bench): the per-address and per-app limits
 * out of the way. Per-visitor and per-socket limits stay as configured; tests
 * of a per-address limit set it explicitly.
 */
export const ONE_ADDRESS_MANY_VISITORS: Partial<LimitSettings> = {
  sessionsPerAddressPer10s: 1_000_000,
  sessionsPerAppPer10s: 1_000_000,
  agentAuthFailuresPerMinute: 1_000_000,
  signInFailuresPerAddressPer15Min: 1_000_000,
  socketsPerAddress: 1_000_000,
};

/** Reads the limit variables from `env`; a variable set to anything but a positive integer is an error at start. */
export function limitSettingsFromEnv(env: Record<string, string | undefined>): LimitSettings {
  const out = {} as LimitSettings;
  for (const [name, s] of Object.entries(LIMIT_SETTINGS) as Array<[keyof LimitSettings, { env: string; default: number }]>) {
    const raw = env[s.env];
    if (raw === undefined || raw.trim() === '') {
      out[name] = s.default;
      continue;
    }
    if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new Error(`${s.env} must be a positive integer; got ${JSON.stringify(raw)}`);
    out[name] = Number(raw);
  }
  return out;
}

/** The limiters of one process. */
export interface Limiters {
  messages: KeyedRateLimiter;
  /** A fresh bucket for one socket's typing, read and ping frames. */
  socketFrames: () => TokenBucket;
  /** A fresh bucket for one socket's page reports. */
  socketPages: () => TokenBucket;
  sessionsPerAddress: KeyedRateLimiter;
  sessionsPerApp: KeyedRateLimiter;
  agentAuthFailures: KeyedRateLimiter;
  signInFailuresPerAddress: KeyedRateLimiter;
  signInFailuresPerAccount: KeyedRateLimiter;
  sockets: ConcurrencyLimiter;
}

export function buildLimiters(s: LimitSettings, now: Clock = Date.now): Limiters {
  return {
    messages: new KeyedRateLimiter(s.messagesPer10s, 10_000, now),
    socketFrames: () => new TokenBucket(s.socketFramesPer10s, 10_000, now),
    socketPages: () => new TokenBucket(s.pagesPer10s, 10_000, now),
    sessionsPerAddress: new KeyedRateLimiter(s.sessionsPerAddressPer10s, 10_000, now),
    sessionsPerApp: new KeyedRateLimiter(s.sessionsPerAppPer10s, 10_000, now),
    agentAuthFailures: new KeyedRateLimiter(s.agentAuthFailuresPerMinute, 60_000, now),
    signInFailuresPerAddress: new KeyedRateLimiter(s.signInFailuresPerAddressPer15Min, 15 * 60_000, now),
    signInFailuresPerAccount: new KeyedRateLimiter(s.signInFailuresPerAccountPer15Min, 15 * 60_000, now),
    sockets: new ConcurrencyLimiter(s.socketsPerAddress),
  };
}

/** How long a fresh WebSocket (visitor or agent) may go without its auth frame before it is closed CLOSE.AUTH_TIMEOUT. */
export const SOCKET_AUTH_TIMEOUT_MS = 10_000;
/** Refused frames (rate-limited or malformed) a socket may send; past it, it is closed CLOSE.RATE_LIMITED or CLOSE.PROTOCOL_ERROR. */
export const SOCKET_MAX_REFUSALS = 20;

/** Whole seconds for a Retry-After header or field (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
