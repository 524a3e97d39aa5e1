/**
 * Wire shapes of agent accounts: console sign-in (/v1/console/*) and the
 * admin API (/v1/agent/admin/*, admins only). Requests with a console
 * session cookie must come from the server's own origin (see
 * server/console-session.ts); API keys (Bearer) work on every /v1/agent/ route.
 *
 *   POST   /v1/console/session {email, password} -> SignedIn + Set-Cookie  (401 sign_in_failed, 429 rate_limited)
 *   DELETE /v1/console/session                   -> {ok}, cookie cleared
 *   GET    /v1/console/me                        -> Me (agent null when nobody is signed in)
 *   POST   /v1/agent/me/avatar  (body: the image, ≤ AVATAR_MAX_BYTES; empty body removes it) -> {ok}
 *   GET    /v1/agent/agents/:id/avatar           -> the image
 *
 *   GET  /v1/agent/admin/apps                              -> {ok, apps: AdminApp[]}
 *   POST /v1/agent/admin/apps {name, appid?, greeting?, domains}  -> {ok, app: AdminApp}   (all-apps admins)
 *   POST /v1/agent/admin/apps/:appid {name?, greeting?, replyTime? ('' | REPLY_TIMES), addDomains?, removeDomains?, disabled?, hours? (null | {timeZone, week: {mon: [{from: 'HH:MM', to: 'HH:MM'}], …}}: 400 invalid_hours)} -> {ok, app}
 *   POST /v1/agent/admin/apps/:appid/secret {graceSeconds?} -> {ok, app}  (the old secret verifies logins for graceSeconds, default 0)
 *   GET  /v1/agent/admin/agents                            -> {ok, agents: AdminAgent[]}
 *   POST /v1/agent/admin/agents {email, name, password, role?, appid?} -> {ok, agent: AdminAgent}
 *   POST /v1/agent/admin/agents/:id {name?, role?}         -> {ok, agent: AdminAgent}  (409 last_admin: the last active admin who can manage it stays one)
 *   POST /v1/agent/admin/agents/:id/deactivate             -> {ok}
 *   POST /v1/agent/admin/agents/:id/password {password}    -> {ok}  (its sessions end)
 *   GET  /v1/agent/admin/agents/:id/keys                   -> {ok, keys: AdminAgentKey[]}
 *   POST /v1/agent/admin/agents/:id/keys {label?}          -> {ok, key: string, id}  (the key is shown this once)
 *   POST /v1/agent/admin/agents/:id/keys/:keyId/revoke     -> {ok}
 */
import type { BusinessHoursJson } from './business-hours.js';
import type { ReplyTime } from './wire-protocol.js';
import type { AttachmentType } from './attachments.js';

export type AgentRole = 'admin' | 'agent';

/**
 * The signed-in agent: the one shape of "me" across the console (the shell, the
 * inbox, the admin screens, the avatar picker). appid null: every app.
 */
export interface ConsoleAgent {
  id: number;
  name: string;
  email: string | null;
  role: AgentRole;
  appid: string | null;
  hasAvatar: boolean;
}

/** Whether an agent may create, edit and delete canned replies (of the apps it sees): the server's rule and the console's. */
export function canEditCannedReplies(agent: { role: AgentRole }): boolean {
  return agent.role === 'admin';
}

export interface SignedIn {
  ok: true;
  agent: ConsoleAgent;
}

export interface Me {
  ok: true;
  agent: ConsoleAgent | null;
}

export interface AdminApp {
  appid: string;
  name: string;
  greeting: string;
  /** How soon the team usually replies (REPLY_TIMES), '' when not said. */
  replyTime: ReplyTime | '';
  /** Business hours (src/shared/business-hours.ts), null: always open. Set with POST …/apps/:appid {hours}. */
  hours: BusinessHoursJson | null;
  secret: string;
  disabled: boolean;
  domains: string[];
  /** ISO time until which the previous secret still verifies logins, or null. */
  previousSecretUntil: string | null;
  /** Attachments: the largest file in bytes, and the types accepted (ATTACHMENT_TYPES; empty: none). */
  attachmentMaxBytes: number;
  attachmentTypes: AttachmentType[];
}

export interface AdminAgent extends ConsoleAgent {
  /** ISO time of deactivation, or null when active. */
  deactivatedAt: string | null;
  createdAt: string;
}

export interface AdminAgentKey {
  id: number;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Avatar images: checked by their first bytes, not by what the upload claims. */
export const AVATAR_MAX_BYTES = 256 * 1024;
export const PASSWORD_MIN_LENGTH = 10;
