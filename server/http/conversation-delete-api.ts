/**
 * Deleting a conversation: POST /v1/agent/conversations/:id/delete, for admins of its app (others: 403
 * `forbidden`; another app's conversation is as unknown as a missing one, 404). Its messages, files and their
 * chunks go with it (ON DELETE CASCADE, migration 8), so a visitor's files can be erased on request.
 */
import type { AgentRow } from '../data/agents.js';
import { canSee } from '../agent-permissions.js';
import { Refusal } from '../refusal.js';
import { possibleId } from '../storable-input.js';
import type { ApiCall, ApiHandler } from './api.js';
import { sendJson } from './respond.js';
import type { Route } from './router.js';

export const CONVERSATION_DELETE_ROUTES: Route<ApiHandler>[] = [
  { method: 'POST', pattern: '/v1/agent/conversations/:id/delete', handler: (call) => deleteConversation(call as ApiCall & { agent: AgentRow }) },
];

async function deleteConversation({ ctx, res, params, agent }: ApiCall & { agent: AgentRow }): Promise<void> {
  const id = possibleId(params.id);
  const conv = id === null ? null : await ctx.data.conversations.get(id);
  if (!conv || !canSee(agent, conv.appid)) throw new Refusal(404, 'not_found', 'no such conversation');
  if (agent.role !== 'admin') throw new Refusal(403, 'forbidden', 'only admins delete conversations');
  await ctx.data.conversations.delete(conv.id);
  return sendJson(res, 200, { ok: true });
}
