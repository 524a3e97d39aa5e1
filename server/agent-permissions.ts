/**
 * What an agent may see and do. Scope: an agent row names one app, or none
 * (an agent of every app). Role: `admin` edits what the team shares (canned
 * replies; apps and agents in admin-api.ts), `agent` answers.
 */
import type { AgentRow } from './data/agents.js';
export { canEditCannedReplies } from '../src/shared/agent-accounts.js';

/** Whether `agent` may see (and act on) app `appid`'s conversations, visitors and canned replies. */
export function canSee(agent: AgentRow, appid: string): boolean {
  return agent.appid === null || agent.appid === appid;
}
