/** The console's client of the admin API (/v1/agent/admin/*; shapes in src/shared/agent-accounts.ts), on the session cookie. */
import type { AdminAgent, AdminAgentKey, AdminApp, AgentRole } from '../../shared/agent-accounts.js';
import type { ReplyTime } from '../../shared/wire-protocol.js';
import type { BusinessHoursJson } from '../../shared/business-hours.js';
import type { AttachmentType } from '../../shared/attachments.js';

async function call<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/v1/agent/admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => null);
  if (!res.ok || !data?.ok) throw new Error(data?.message ?? `HTTP ${res.status}`);
  return data as T;
}

const seg = encodeURIComponent;

export const adminApi = {
  apps: async () => (await call<{ apps: AdminApp[] }>('apps')).apps,
  createApp: async (app: { name: string; greeting: string; domains: string[] }) => (await call<{ app: AdminApp }>('apps', app)).app,
  updateApp: async (appid: string, change: { name?: string; greeting?: string; replyTime?: ReplyTime | ''; hours?: BusinessHoursJson | null; addDomains?: string[]; removeDomains?: string[]; disabled?: boolean; attachmentMaxBytes?: number; attachmentTypes?: AttachmentType[] }) =>
    (await call<{ app: AdminApp }>(`apps/${seg(appid)}`, change)).app,
  rotateSecret: async (appid: string, graceSeconds: number) => (await call<{ app: AdminApp }>(`apps/${seg(appid)}/secret`, { graceSeconds })).app,
  agents: async () => (await call<{ agents: AdminAgent[] }>('agents')).agents,
  createAgent: async (a: { email: string; name: string; password: string; role: AgentRole; appid: string | null }) => (await call<{ agent: AdminAgent }>('agents', a)).agent,
  updateAgent: async (id: number, change: { name?: string; role?: AgentRole }) => (await call<{ agent: AdminAgent }>(`agents/${id}`, change)).agent,
  deactivate: (id: number) => call(`agents/${id}/deactivate`, {}),
  resetPassword: (id: number, password: string) => call(`agents/${id}/password`, { password }),
  keys: async (id: number) => (await call<{ keys: AdminAgentKey[] }>(`agents/${id}/keys`)).keys,
  createKey: async (id: number, label: string) => (await call<{ key: string; id: number }>(`agents/${id}/keys`, { label })).key,
  revokeKey: (id: number, keyId: number) => call(`agents/${id}/keys/${keyId}/revoke`, {}),
};
