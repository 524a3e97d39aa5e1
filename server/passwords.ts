/**
 * Agent passwords: scrypt (node:crypto, no native dependency of ours) with a
 * random salt per password. The stored string carries its own parameters
 * (`scrypt$N$r$p$salt$hash`, base64url), so the cost can be raised later and
 * old hashes still verify. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_MIN_LENGTH } from '../src/shared/agent-accounts.js';

/** 2^15 × 8 × 128 B = 32 MiB and some tens of milliseconds per hash: OWASP's floor for scrypt is N=2^17 at r=8 only with more memory than a small server spares per sign-in. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Passwords people choose: at least this long; longer than the max is refused before hashing (scrypt's work does not depend on it, but the body does). */
export const PASSWORD_MIN = PASSWORD_MIN_LENGTH;
export const PASSWORD_MAX = 200;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return new Promise((ok, fail) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? fail(err) : ok(key))));
}

/** Why this password cannot be set, or null. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'password must be a string';
  if ([...password].length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; a malformed or missing hash never matches (and costs the same work). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  const valid = parts.length === 6 && scheme === 'scrypt' && [n, r, p].every((x) => /^\d{1,7}$/.test(x!)) && Number(n) <= 2 ** 20 && Number(r) <= 32 && Number(p) <= 16;
  const expected = valid ? Buffer.from(hash!, 'base64url') : Buffer.alloc(KEY_BYTES);
  const key = await derive(password.slice(0, PASSWORD_MAX), valid ? Buffer.from(salt!, 'base64url') : DUMMY_SALT, valid ? { N: Number(n), r: Number(r), p: Number(p) } : PARAMS);
  if (!valid || expected.length !== key.length) return false;
  return timingSafeEqual(key, expected);
}

const DUMMY_SALT = randomBytes(SALT_BYTES);
