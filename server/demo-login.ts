/**
 * Demo-only routes behind the pages in demo/ (never part of the product API):
 *
 *   POST /demo/api/login-triple {sbs}  -> {sbs, sbs_mm, ranstr}
 *     Plays the role of a site's own backend for the business-user login demo:
 *     it signs `sbs` with the seeded demo app's secret
 *     (sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)), so the secret
 *     never reaches the browser. Only the demo app, never in production.
 *   GET /demo/vendor/vue.js
 *     Vue 3's browser ESM build from node_modules, for the framework demo page
 *     (so no vendored copy is committed).
 *
 * Mount it before the static files: `if (await handleDemoRoutes(ctx, req, res, url)) return;`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { loginSignature } from './auth.js';
import { readJsonBody, sendError, sendJson } from './http/respond.js';
import { Refusal } from './refusal.js';

export const DEMO_LOGIN_PATH = '/demo/api/login-triple';
export const DEMO_VUE_PATH = '/demo/vendor/vue.js';

/** What the routes need from the server: only the app lookup (the server passes its apps table, `data.apps`). */
export interface DemoRoutesContext {
  apps: { get(appid: string): Promise<{ secret: string } | null> };
}

/** Both come from the server's config, read once at start (server/app.ts passes config.demo.appid and !config.production). */
export interface DemoRoutesOptions {
  /** The app whose secret signs the triple: the seeded demo app. */
  appid: string;
  /** Off in production. */
  enabled: boolean;
}

/** Answers the demo routes; returns false (and writes nothing) for any other URL. */
export async function handleDemoRoutes(ctx: DemoRoutesContext, req: IncomingMessage, res: ServerResponse, url: URL, options: DemoRoutesOptions): Promise<boolean> {
  if (url.pathname === DEMO_LOGIN_PATH) {
    await handleDemoLogin(ctx, req, res, options);
    return true;
  }
  if (url.pathname === DEMO_VUE_PATH) {
    await serveVue(req, res);
    return true;
  }
  return false;
}

const SBS_RE = /^[^\u0000-\u001f\u007f]{1,200}$/;

/** POST {sbs} -> a correctly signed login triple for the demo app. */
export async function handleDemoLogin(ctx: DemoRoutesContext, req: IncomingMessage, res: ServerResponse, options: DemoRoutesOptions): Promise<void> {
  if (!options.enabled) return sendError(res, 404, 'not_found', 'the demo login signer is disabled in production');
  if (req.method !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST with {"sbs": "<business user id>"}', { allow: 'POST' });
  let body: Record<string, unknown>;
  try {
    body = await readJsonBody(req);
  } catch (err) {
    if (err instanceof Refusal) return sendError(res, err.status, err.reason, err.message);
    throw err;
  }
  const sbs = body.sbs;
  if (typeof sbs !== 'string' || !SBS_RE.test(sbs)) {
    return sendError(res, 400, 'malformed', 'sbs must be a string of 1..200 printable characters');
  }
  const appid = options.appid;
  const app = await ctx.apps.get(appid);
  if (!app) return sendError(res, 404, 'not_found', `the demo app "${appid}" does not exist (start the server with the demo seed)`);
  const ranstr = randomBytes(12).toString('hex');
  sendJson(res, 200, { sbs, sbs_mm: loginSignature(sbs, app.secret, ranstr), ranstr });
}

async function serveVue(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', 'use GET', { allow: 'GET, HEAD' });
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve('vue/dist/vue.esm-browser.prod.js');
  } catch {
    return sendError(res, 404, 'not_found', 'vue is not installed (it is a dev dependency, used only by the framework demo)');
  }
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) return sendError(res, 404, 'not_found', 'vue build not found');
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'content-length': String(stat.size),
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
