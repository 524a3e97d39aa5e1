/** Checks a visitor token against its signature, expiry, and the DB (revocation, ban, app state). */
import { CLOSE } from '../src/shared/wire-protocol.js';
import { verifyToken } from './auth.js';
import type { ServerContext } from './context.js';
import type { AppRow } from './data/apps.js';
import type { VisitorRow } from './data/visitors.js';

export type VisitorAuth =
  /** expiresAtMs: when the token stops being valid (an open socket is closed then). */
  | { ok: true; visitor: VisitorRow; app: AppRow; expiresAtMs: number }
  | { ok: false; closeCode: number; status: number; reason: string; message: string };

export async function authenticateVisitor(ctx: ServerContext, token: unknown): Promise<VisitorAuth> {
  const check = verifyToken(ctx.secret, token, ctx.now());
  if (!check.ok) {
    return check.why === 'expired'
      ? { ok: false, closeCode: CLOSE.TOKEN_EXPIRED, status: 401, reason: 'token_expired', message: 'the visitor token has expired' }
      : { ok: false, closeCode: CLOSE.TOKEN_REVOKED, status: 401, reason: 'token_revoked', message: 'the visitor token is invalid' };
  }
  const visitor = await ctx.data.visitors.byUid(check.claims.v);
  if (!visitor || visitor.appid !== check.claims.a || visitor.token_epoch !== check.claims.e) {
    return { ok: false, closeCode: CLOSE.TOKEN_REVOKED, status: 401, reason: 'token_revoked', message: 'the visitor token was revoked' };
  }
  const app = await ctx.data.apps.get(visitor.appid);
  if (!app || app.disabled) return { ok: false, closeCode: CLOSE.APP_DISABLED, status: 403, reason: 'app_disabled', message: 'the app is disabled' };
  if (visitor.banned) return { ok: false, closeCode: CLOSE.VISITOR_BANNED, status: 403, reason: 'visitor_banned', message: 'the visitor is banned' };
  return { ok: true, visitor, app, expiresAtMs: check.claims.x * 1000 };
}
