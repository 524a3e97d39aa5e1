/**
 * Signatures and tokens: the visitor token (HMAC-signed, with expiry and a
 * revocation epoch), the identity clue signature bs_mm, and the vendor's
 * business-user login triple. All comparisons are constant-time.
 */
import { createHash, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * Random bytes are drawn from the CSPRNG a pool at a time: one call to the system per RANDOM_POOL_BYTES instead of
 * one per id (every message stores a fresh id, and `randomBytes` per id was 2 % of the server's CPU under message
 * load). Each byte is handed out once and wiped once read, as node's own randomUUID does with its cache.
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolAt = RANDOM_POOL_BYTES;

export function randomId(bytes = 16): string {
  if (bytes > RANDOM_POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString('base64url');
  if (randomPoolAt + bytes > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomPoolAt = 0;
  }
  const start = randomPoolAt;
  randomPoolAt += bytes;
  const id = randomPool.toString('base64url', start, randomPoolAt);
  randomPool.fill(0, start, randomPoolAt);
  return id;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function md5Hex(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // same work either way
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** bs_mm = HMAC-SHA256(server secret, appid + ':' + bs), hex: a clue from another app does not verify. */
export function signClue(secret: string, appid: string, bs: string): string {
  return createHmac('sha256', secret).update(`${appid}:${bs}`, 'utf8').digest('hex');
}

export function verifyClue(secret: string, appid: string, bs: unknown, bsMm: unknown): boolean {
  if (typeof bs !== 'string' || typeof bsMm !== 'string' || !bs || bs.length > 200) return false;
  return safeEqual(signClue(secret, appid, bs), bsMm);
}

/** The vendor's rule: sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr), lowercase hex. */
export function loginSignature(sbs: string, appSecret: string, ranstr: string): string {
  return md5Hex(`${md5Hex(`${sbs}_${appSecret}`)}_${ranstr}`);
}

export type LoginCheck = { ok: true; sbs: string } | { ok: false; message: string };

export function verifyLogin(login: unknown, appSecret: string): LoginCheck {
  if (typeof login !== 'object' || login === null) return { ok: false, message: 'login must be an object with sbs, sbs_mm, ranstr' };
  const { sbs, sbs_mm, ranstr } = login as Record<string, unknown>;
  for (const [k, v] of [['sbs', sbs], ['sbs_mm', sbs_mm], ['ranstr', ranstr]] as const) {
    if (typeof v !== 'string' || v.length === 0) return { ok: false, message: `login.${k} is missing` };
    if (v.length > 200) return { ok: false, message: `login.${k} is too long` };
  }
  if (!/^[0-9a-f]{32}$/.test(sbs_mm as string)) return { ok: false, message: 'login.sbs_mm must be 32 lowercase hex digits' };
  const expected = loginSignature(sbs as string, appSecret, ranstr as string);
  if (!safeEqual(expected, sbs_mm as string)) return { ok: false, message: 'login signature does not verify' };
  return { ok: true, sbs: sbs as string };
}

export interface TokenClaims {
  /** visitor uid */
  v: string;
  /** appid */
  a: string;
  /** revocation epoch of the visitor when issued */
  e: number;
  /** expiry, seconds since epoch */
  x: number;
}

export function issueToken(secret: string, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const sig = createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${sig}`;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; why: 'invalid' | 'expired'; claims?: TokenClaims };

export function verifyToken(secret: string, token: unknown, nowMs = Date.now()): TokenCheck {
  if (typeof token !== 'string' || token.length > 1000) return { ok: false, why: 'invalid' };
  const dot = token.indexOf('.');
  if (dot <= 0) return { ok: false, why: 'invalid' };
  const body = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  const expected = createHmac('sha256', secret).update(body).digest('base64url');
  if (!safeEqual(expected, sig)) return { ok: false, why: 'invalid' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'invalid' };
  }
  if (typeof claims?.v !== 'string' || typeof claims.a !== 'string' || typeof claims.e !== 'number' || typeof claims.x !== 'number') {
    return { ok: false, why: 'invalid' };
  }
  if (claims.x * 1000 <= nowMs) return { ok: false, why: 'expired', claims };
  return { ok: true, claims };
}
