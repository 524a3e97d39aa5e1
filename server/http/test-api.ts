/**
 * Test-mode only routes (StartOptions.testMode, TWT_TEST_MODE=1): the browser
 * tests create and disable apps through them. apiHandler() adds them to the
 * route table only in test mode; otherwise they do not exist (404).
 *
 *   POST /v1/test/apps {appid?, name?, domains: string[], secret?, greeting?} -> {ok, app: {appid, name, secret, domains}}
 *   POST /v1/test/apps/:appid/disable {disabled?: boolean} -> {ok}
 */
import { randomId } from '../auth.js';
import { normalizeTrustedDomain } from '../domains.js';
import { isStorable } from '../storable-input.js';
import { normalizeAppid } from '../visitor-session.js';
import type { ApiCall, ApiHandler } from './api.js';
import { readJsonBody, sendError, sendJson } from './respond.js';
import type { Route } from './router.js';

export const TEST_ROUTES: Route<ApiHandler>[] = [
  { method: 'POST', pattern: '/v1/test/apps', handler: createApp },
  { method: 'POST', pattern: '/v1/test/apps/:appid/disable', handler: disableApp },
];

async function createApp({ ctx, req, res }: ApiCall): Promise<void> {
  const body = await readJsonBody(req);
  const appid = body.appid === undefined ? `app-${randomId(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}` : normalizeAppid(body.appid);
  if (!appid) return sendError(res, 400, 'malformed', 'appid must match [a-z0-9][a-z0-9_-]*');
  const list = Array.isArray(body.domains) ? body.domains : [];
  const domains: string[] = [];
  for (const d of list) {
    const n = typeof d === 'string' ? normalizeTrustedDomain(d) : null;
    if (!n) return sendError(res, 400, 'malformed', `not a valid trusted domain: ${String(d)}`);
    domains.push(n);
  }
  for (const field of ['name', 'greeting', 'secret'] as const) {
    if (typeof body[field] === 'string' && !isStorable(body[field])) return sendError(res, 400, 'malformed', `${field} must not contain U+0000 (NUL)`);
  }
  const secret = typeof body.secret === 'string' && body.secret ? body.secret : randomId(18);
  const name = typeof body.name === 'string' && body.name ? body.name.slice(0, 100) : appid;
  const greeting = typeof body.greeting === 'string' ? body.greeting.slice(0, 500) : '';
  const created = await ctx.data.apps.create({ appid, name, secret, greeting, domains });
  if (!created) return sendError(res, 409, 'exists', 'appid already exists');
  return sendJson(res, 200, { ok: true, app: { appid, name, secret, greeting, domains } });
}

async function disableApp({ ctx, req, res, params }: ApiCall): Promise<void> {
  const body = await readJsonBody(req);
  const appid = normalizeAppid(params.appid);
  const ok = appid ? await ctx.data.apps.setDisabled(appid, body.disabled !== false) : false;
  return ok ? sendJson(res, 200, { ok: true }) : sendError(res, 404, 'not_found', 'no such app');
}
