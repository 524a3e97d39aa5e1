/**
 * POST /v1/visitor/session: resolve or create the visitor, verify the
 * business-user login if one is claimed, store the profile, issue a token.
 */
import type { VisitorSessionResponse, VisitorProfile } from '../src/shared/wire-protocol.js';
import { APPID_PATTERN, PROFILE_CAPS, PROFILE_FIELDS } from '../src/shared/wire-protocol.js';
import { issueToken, signClue, verifyClue, verifyLogin } from './auth.js';
import { originIsTrusted, requestOriginAllowed } from './domains.js';
import { isStorable } from './storable-input.js';
import { EMAIL_PATTERN } from '../src/shared/email.js';
import { appInfo, loginSecrets } from './data/apps.js';
import type { VisitorRow } from './data/visitors.js';
import type { ServerContext } from './context.js';
import { Refusal } from './refusal.js';

/** Validates and caps profile fields: strings only, control characters stripped, length-capped. */
export function cleanProfile(input: unknown): VisitorProfile {
  const out: VisitorProfile = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const f of PROFILE_FIELDS) {
    const v = (input as Record<string, unknown>)[f];
    if (typeof v !== 'string') continue;
    // eslint-disable-next-line no-control-regex
    let s = v.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    if (f === 'referer') {
      if (!/^https?:\/\//i.test(s)) continue; // not a URL we would show
    }
    if (f === 'email' && s && !EMAIL_PATTERN.test(s)) continue;
    s = s.slice(0, PROFILE_CAPS[f]);
    if (s) out[f] = s;
  }
  return out;
}

export function normalizeAppid(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const id = v.trim().toLowerCase();
  return APPID_PATTERN.test(id) ? id : null;
}

/** Where a request came from: its Origin and Host headers. */
export interface RequestPlace {
  origin: string | undefined;
  host: string | undefined;
}

export async function createVisitorSession(ctx: ServerContext, body: Record<string, unknown>, from: RequestPlace): Promise<VisitorSessionResponse> {
  const appid = normalizeAppid(body.appid);
  if (!appid) throw new Refusal(400, 'invalid_bootstrap', 'appid is missing or malformed');
  const app = await ctx.data.apps.get(appid);
  if (!app || app.disabled) throw new Refusal(404, 'invalid_bootstrap', 'unknown or disabled appid');
  if (!originIsTrusted(typeof body.hostOrigin === 'string' ? body.hostOrigin : null, app.domains)) {
    throw new Refusal(403, 'domain_not_whitelisted', 'the host page origin is not a trusted domain of this app');
  }
  // The body's hostOrigin is what the panel was told; the browser's Origin header says who is asking.
  if (!requestOriginAllowed(from.origin, from.host, app.domains)) {
    throw new Refusal(403, 'domain_not_whitelisted', 'the requesting page is neither the widget nor a trusted domain of this app');
  }

  // A claimed login must verify; there is no fall-back to the claimed identity.
  let sbs: string | null = null;
  if (body.login !== undefined && body.login !== null) {
    // During a secret rotation's grace period, a login signed with the previous secret still verifies.
    const secrets = loginSecrets(app, ctx.now());
    let check = verifyLogin(body.login, secrets[0]!);
    for (const older of secrets.slice(1)) if (!check.ok) check = verifyLogin(body.login, older);
    if (!check.ok) throw new Refusal(401, 'login_failed', check.message);
    // Signed by the business, yet not an id we can store (see storable-input.ts).
    if (!isStorable(check.sbs)) throw new Refusal(401, 'login_failed', 'login.sbs must not contain U+0000 (NUL)');
    sbs = check.sbs;
  }

  let visitor: VisitorRow | null = null;
  let source: 'initial' | 'resolved' = 'initial';
  const clue = body.clue as Record<string, unknown> | undefined;
  if (clue && typeof clue === 'object' && verifyClue(ctx.secret, appid, clue.bs, clue.bs_mm)) {
    const clued = await ctx.data.visitors.byBs(appid, clue.bs as string);
    // A business user's visitor opens only to that user's login: a clue left behind on a shared computer
    // (a logout that could not clear it, storage copied) never hands their conversations to whoever comes next.
    if (clued && (clued.business_user === null || clued.business_user === sbs)) {
      visitor = clued;
      source = 'resolved';
    }
  }
  if (sbs !== null) {
    // The business user's own visitor wins, so every device of that user shares it.
    const owner = await ctx.data.visitors.byBusinessUser(appid, sbs);
    if (owner) {
      if (owner.id !== visitor?.id) source = 'resolved';
      visitor = owner;
    } else if (visitor && visitor.business_user === null) {
      // A first login: the anonymous visitor (and its open conversation) becomes the business user's.
      await ctx.data.visitors.attachBusinessUser(visitor.id, sbs);
      visitor = { ...visitor, business_user: sbs };
    } else {
      visitor = await ctx.data.visitors.create(appid, sbs);
      source = 'initial';
    }
  }
  if (!visitor) visitor = await ctx.data.visitors.create(appid, null);
  if (visitor.banned) throw new Refusal(403, 'visitor_banned', 'this visitor is banned');

  const profile = cleanProfile(body.profile);
  const locale = typeof body.locale === 'string' && /^[a-zA-Z-]{2,20}$/.test(body.locale) ? body.locale : undefined;
  await ctx.data.visitors.updateProfile(visitor.id, { ...profile, locale });
  const conv = await ctx.data.conversations.ensure(visitor);
  if (Object.keys(profile).length) ctx.hub.queueConversationPush(conv.id);

  // Rounded up to the claim's whole second: the token lives at least tokenTtlSeconds (rounded down, a
  // 1-second lifetime would be anything from 0 to 1 s).
  const exp = Math.ceil(ctx.now() / 1000) + ctx.tokenTtlSeconds;
  const token = issueToken(ctx.secret, { v: visitor.uid, a: appid, e: visitor.token_epoch, x: exp });
  const name = profile.name ?? visitor.name ?? undefined;
  const nickname = profile.nickname ?? visitor.nickname ?? undefined;
  return {
    ok: true,
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    visitor: {
      visitorUid: visitor.uid,
      bs: visitor.bs,
      bs_mm: signClue(ctx.secret, appid, visitor.bs),
      fkid: visitor.fkid,
      source,
      ...(visitor.business_user ? { businessUser: visitor.business_user } : {}),
      ...(name ? { name } : {}),
      ...(nickname ? { nickname } : {}),
    },
    app: { ...appInfo(app), agentsOnline: ctx.hub.agentsOnline(appid) },
    // The list GET /v1/visitor/conversations gives, in this answer: the panel boots with one request fewer.
    conversations: await ctx.data.conversations.ofVisitor(visitor.id),
  };
}
