/**
 * The admin API (/v1/agent/admin/*): apps and agents, for agents whose role
 * is `admin` (others get 403 `forbidden`). An admin scoped to one app
 * (appid set) manages that app and the agents of that app only; creating
 * apps and all-apps agents takes an all-apps admin. Shapes and routes:
 * src/shared/agent-accounts.ts.
 */
import type { AdminAgent, AdminApp } from '../../src/shared/agent-accounts.js';
import { REPLY_TIMES, type ReplyTime } from '../../src/shared/wire-protocol.js';
import { ATTACHMENT_TYPES, attachmentPolicyProblem } from '../../src/shared/attachments.js';
import { randomId } from '../auth.js';
import { businessHoursJson, checkBusinessHours } from '../../src/shared/business-hours.js';
import { normalizeTrustedDomain } from '../domains.js';
import { normalizeEmail, normalizeName, type AgentListing, type AgentRole, type AgentRow } from '../data/agents.js';
import type { AppRow } from '../data/apps.js';
import { KEY_LABEL_MAX } from '../data/agent-keys.js';
import { hashPassword, passwordProblem } from '../passwords.js';
import { Refusal } from '../refusal.js';
import { isStorable } from '../storable-input.js';
import { normalizeAppid } from '../visitor-session.js';
import type { ApiHandler } from './api.js';
import { asAdmin, type AgentCall } from './agent-call.js';
import { readJsonBody, sendJson } from './respond.js';
import type { Route } from './router.js';

/** Longest grace period of a rotated secret: 30 days. */
const MAX_GRACE_SECONDS = 30 * 24 * 3600;
const GREETING_MAX = 500;

export const ADMIN_ROUTES: Route<ApiHandler>[] = [
  { method: 'GET', pattern: '/v1/agent/admin/apps', handler: asAdmin(listApps) },
  { method: 'POST', pattern: '/v1/agent/admin/apps', handler: asAdmin(createApp) },
  { method: 'POST', pattern: '/v1/agent/admin/apps/:appid', handler: asAdmin(updateApp) },
  { method: 'POST', pattern: '/v1/agent/admin/apps/:appid/secret', handler: asAdmin(rotateSecret) },
  { method: 'GET', pattern: '/v1/agent/admin/agents', handler: asAdmin(listAgents) },
  { method: 'POST', pattern: '/v1/agent/admin/agents', handler: asAdmin(createAgent) },
  { method: 'POST', pattern: '/v1/agent/admin/agents/:id', handler: asAdmin(updateAgent) },
  { method: 'POST', pattern: '/v1/agent/admin/agents/:id/deactivate', handler: asAdmin(deactivateAgent) },
  { method: 'POST', pattern: '/v1/agent/admin/agents/:id/password', handler: asAdmin(resetPassword) },
  { method: 'GET', pattern: '/v1/agent/admin/agents/:id/keys', handler: asAdmin(listKeys) },
  { method: 'POST', pattern: '/v1/agent/admin/agents/:id/keys', handler: asAdmin(createKey) },
  { method: 'POST', pattern: '/v1/agent/admin/agents/:id/keys/:keyId/revoke', handler: asAdmin(revokeKey) },
];

// --- apps --------------------------------------------------------------------
function adminApp(app: AppRow): AdminApp {
  return {
    appid: app.appid,
    name: app.name,
    greeting: app.greeting,
    replyTime: app.reply_time,
    hours: app.hours && businessHoursJson(app.hours),
    secret: app.secret,
    disabled: app.disabled,
    domains: app.domains,
    previousSecretUntil: app.previousSecretUntil === null ? null : new Date(app.previousSecretUntil).toISOString(),
    attachmentMaxBytes: app.attachment_max_bytes,
    attachmentTypes: app.attachment_types,
  };
}

const mayManageApp = (admin: AgentRow, appid: string) => admin.appid === null || admin.appid === appid;

/** The app named in the path, if this admin manages it (else 404, whether or not it exists). */
async function managedApp({ ctx, params, agent }: AgentCall): Promise<AppRow> {
  const appid = normalizeAppid(params.appid);
  const app = appid && mayManageApp(agent, appid) ? await ctx.data.apps.get(appid) : null;
  if (!app) throw new Refusal(404, 'not_found', 'no such app');
  return app;
}

function text(v: unknown, field: string, max: number, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && !v.trim()) || v.length > max || !isStorable(v)) throw new Refusal(400, 'malformed', `${field} must be a string of at most ${max} characters${required ? ', not empty' : ''}`);
  return v.trim();
}

function domainList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 100) throw new Refusal(400, 'malformed', `${field} must be a list of trusted domains`);
  return v.map((d) => {
    const n = typeof d === 'string' ? normalizeTrustedDomain(d) : null;
    if (!n) throw new Refusal(400, 'invalid_domain', `not a valid trusted domain: ${String(d)} (example.com, *.example.com, localhost or https://x.example.com:8443)`);
    return n;
  });
}

async function listApps({ ctx, res, agent }: AgentCall): Promise<void> {
  const apps = (await ctx.data.apps.list()).filter((a) => mayManageApp(agent, a.appid));
  return sendJson(res, 200, { ok: true, apps: apps.map(adminApp) });
}

async function createApp({ ctx, req, res, agent }: AgentCall): Promise<void> {
  if (agent.appid !== null) throw new Refusal(403, 'forbidden', 'only an admin of every app creates apps');
  const body = await readJsonBody(req);
  const name = text(body.name, 'name', 100, true)!;
  const greeting = text(body.greeting, 'greeting', GREETING_MAX, false) ?? '';
  const domains = domainList(body.domains, 'domains');
  if (!domains.length) throw new Refusal(400, 'invalid_domain', 'an app needs at least one trusted domain');
  const appid =
    body.appid === undefined || body.appid === ''
      ? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'app'}-${randomId(4).toLowerCase().replace(/[^a-z0-9]/g, '0')}`
      : normalizeAppid(body.appid);
  if (!appid) throw new Refusal(400, 'malformed', 'appid: lowercase letters, digits, - and _');
  if (!(await ctx.data.apps.create({ appid, name, secret: randomId(24), greeting, domains }))) throw new Refusal(409, 'app_exists', `app ${appid} already exists`);
  return sendJson(res, 200, { ok: true, app: adminApp((await ctx.data.apps.get(appid))!) });
}

async function updateApp(call: AgentCall): Promise<void> {
  const { ctx, req, res } = call;
  const app = await managedApp(call);
  const body = await readJsonBody(req);
  const name = text(body.name, 'name', 100, false);
  const greeting = text(body.greeting, 'greeting', GREETING_MAX, false);
  if (name === '') throw new Refusal(400, 'malformed', 'name must not be empty');
  const replyTime = body.replyTime;
  if (replyTime !== undefined && replyTime !== '' && !(REPLY_TIMES as readonly unknown[]).includes(replyTime)) {
    throw new Refusal(400, 'malformed', `replyTime must be '' or one of ${REPLY_TIMES.join(', ')}`);
  }
  const badPolicy = attachmentPolicyProblem(body.attachmentMaxBytes, body.attachmentTypes);
  if (badPolicy) throw new Refusal(400, 'malformed', badPolicy);
  const attachmentMaxBytes = body.attachmentMaxBytes as number | undefined;
  // Kept in the table's order, once each.
  const attachmentTypes = body.attachmentTypes === undefined ? undefined : ATTACHMENT_TYPES.filter((t) => (body.attachmentTypes as unknown[]).includes(t));
  const add = domainList(body.addDomains, 'addDomains');
  const remove = domainList(body.removeDomains, 'removeDomains');
  if (body.disabled !== undefined && typeof body.disabled !== 'boolean') throw new Refusal(400, 'malformed', 'disabled must be a boolean');
  const left = new Set([...app.domains.filter((d) => !remove.includes(d)), ...add]);
  if (!left.size) throw new Refusal(400, 'invalid_domain', 'an app keeps at least one trusted domain');
  if (name !== undefined || greeting !== undefined || replyTime !== undefined || attachmentMaxBytes !== undefined || attachmentTypes !== undefined) {
    await ctx.data.apps.update(app.appid, {
      ...(attachmentMaxBytes !== undefined ? { attachmentMaxBytes } : {}),
      ...(attachmentTypes !== undefined ? { attachmentTypes } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(greeting !== undefined ? { greeting } : {}),
      ...(replyTime !== undefined ? { replyTime: replyTime as ReplyTime | '' } : {}),
    });
  }
  // Business hours: null (always open) or {timeZone, week}; refused whole when any part is wrong.
  if (body.hours !== undefined) {
    const hours = checkBusinessHours(body.hours);
    if (typeof hours === 'string') throw new Refusal(400, 'invalid_hours', hours);
    await ctx.data.apps.setHours(app.appid, hours);
  }
  if (add.length || remove.length) await ctx.data.apps.setDomains(app.appid, add, remove);
  if (typeof body.disabled === 'boolean' && body.disabled !== app.disabled) await ctx.data.apps.setDisabled(app.appid, body.disabled);
  return sendJson(res, 200, { ok: true, app: adminApp((await ctx.data.apps.get(app.appid))!) });
}

async function rotateSecret(call: AgentCall): Promise<void> {
  const { ctx, req, res } = call;
  const app = await managedApp(call);
  const body = await readJsonBody(req);
  const grace = body.graceSeconds ?? 0;
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    throw new Refusal(400, 'malformed', `graceSeconds must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}`);
  }
  await ctx.data.apps.setSecret(app.appid, randomId(24), { ms: grace * 1000, nowMs: ctx.now() });
  return sendJson(res, 200, { ok: true, app: adminApp((await ctx.data.apps.get(app.appid))!) });
}

// --- agents ------------------------------------------------------------------
function adminAgent(a: AgentListing): AdminAgent {
  return { id: a.id, name: a.name, email: a.email, role: a.role, appid: a.appid, hasAvatar: a.hasAvatar, deactivatedAt: a.revokedAt, createdAt: a.createdAt };
}

const mayManageAgent = (admin: AgentRow, target: { appid: string | null }) => admin.appid === null || target.appid === admin.appid;

/** The agent named in the path (deactivated ones too), if this admin manages it; else 404. */
async function managedAgent({ ctx, params, agent }: AgentCall): Promise<AgentListing> {
  const id = /^[1-9]\d{0,14}$/.test(params.id ?? '') ? Number(params.id) : null;
  const all = id === null ? [] : await ctx.data.agents.list(agent.appid === null ? 'all' : { appid: agent.appid });
  const target = all.find((a) => a.id === id);
  if (!target || !mayManageAgent(agent, target)) throw new Refusal(404, 'not_found', 'no such agent');
  return target;
}

async function listAgents({ ctx, res, agent }: AgentCall): Promise<void> {
  const agents = await ctx.data.agents.list(agent.appid === null ? 'all' : { appid: agent.appid });
  return sendJson(res, 200, { ok: true, agents: agents.map(adminAgent) });
}

async function createAgent({ ctx, req, res, agent }: AgentCall): Promise<void> {
  const body = await readJsonBody(req);
  const email = normalizeEmail(body.email);
  if (!email) throw new Refusal(400, 'malformed', 'email must be an email address');
  const name = normalizeName(body.name);
  if (!name) throw new Refusal(400, 'malformed', 'name must be 1 to 100 characters');
  const bad = passwordProblem(body.password);
  if (bad) throw new Refusal(400, 'weak_password', bad);
  const role = body.role ?? 'agent';
  if (role !== 'agent' && role !== 'admin') throw new Refusal(400, 'malformed', "role is 'agent' or 'admin'");
  let appid: string | null = null;
  if (body.appid !== undefined && body.appid !== null && body.appid !== '') {
    appid = normalizeAppid(body.appid);
    if (!appid || !(await ctx.data.apps.get(appid))) throw new Refusal(400, 'malformed', 'appid names no app');
  }
  // A scoped admin creates agents of its own app only.
  if (agent.appid !== null && appid !== agent.appid) throw new Refusal(403, 'forbidden', `an admin of ${agent.appid} creates agents of ${agent.appid} only`);
  const created = await ctx.data.agents.createAccount({ email, name, passwordHash: await hashPassword(body.password as string), role, appid });
  const listed = (await ctx.data.agents.list(appid === null ? 'all' : { appid })).find((a) => a.id === created.id)!;
  return sendJson(res, 200, { ok: true, agent: adminAgent(listed) });
}

// POST /v1/agent/admin/agents/:id {name?, role?}: rename, promote or demote (never the last admin who can manage it).
async function updateAgent(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  const body = await readJsonBody(call.req);
  const change: { name?: string; role?: AgentRole } = {};
  if (body.name !== undefined) {
    const name = normalizeName(body.name);
    if (!name) throw new Refusal(400, 'malformed', 'name must be 1 to 100 characters, without control characters');
    change.name = name;
  }
  if (body.role !== undefined) {
    if (body.role !== 'agent' && body.role !== 'admin') throw new Refusal(400, 'malformed', "role is 'agent' or 'admin'");
    change.role = body.role;
  }
  if (change.name === undefined && change.role === undefined) throw new Refusal(400, 'malformed', 'nothing to change: give name and/or role');
  if (!(await call.ctx.data.agents.update(target.id, change))) throw new Refusal(409, 'deactivated', 'this agent is deactivated');
  const listed = (await call.ctx.data.agents.list(target.appid === null ? 'all' : { appid: target.appid })).find((a) => a.id === target.id)!;
  return sendJson(call.res, 200, { ok: true, agent: adminAgent(listed) });
}

async function deactivateAgent(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  if (target.id === call.agent.id) throw new Refusal(400, 'self', 'you cannot deactivate yourself (another admin can)');
  await call.ctx.data.agents.deactivate(target.id);
  return sendJson(call.res, 200, { ok: true });
}

async function resetPassword(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  const body = await readJsonBody(call.req);
  const bad = passwordProblem(body.password);
  if (bad) throw new Refusal(400, 'weak_password', bad);
  if (!(await call.ctx.data.agents.setPassword(target.id, await hashPassword(body.password as string)))) throw new Refusal(409, 'deactivated', 'this agent is deactivated');
  return sendJson(call.res, 200, { ok: true });
}

async function listKeys(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  return sendJson(call.res, 200, { ok: true, keys: await call.ctx.data.agentKeys.list(target.id) });
}

async function createKey(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  const body = await readJsonBody(call.req);
  const label = text(body.label, 'label', KEY_LABEL_MAX, false) ?? '';
  const created = await call.ctx.data.agentKeys.create(target.id, label);
  if (!created) throw new Refusal(409, 'deactivated', 'this agent is deactivated');
  return sendJson(call.res, 200, { ok: true, id: created.id, key: created.key });
}

async function revokeKey(call: AgentCall): Promise<void> {
  const target = await managedAgent(call);
  const keyId = /^[1-9]\d{0,14}$/.test(call.params.keyId ?? '') ? Number(call.params.keyId) : null;
  if (keyId === null || !(await call.ctx.data.agentKeys.revoke(target.id, keyId))) throw new Refusal(404, 'not_found', 'no such live key');
  return sendJson(call.res, 200, { ok: true });
}
