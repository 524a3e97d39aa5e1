/**
 * The wrappers of agent routes (everything under /v1/agent/, where api.ts's
 * dispatcher has authenticated the agent before any handler runs). Every route
 * table wraps its own rows: `asAgent` for any agent, `asAdmin` for admins only.
 */
import type { AgentRow } from '../data/agents.js';
import { Refusal } from '../refusal.js';
import type { ApiCall, ApiHandler } from './api.js';

/** A request on an agent route: the caller is known. */
export type AgentCall = ApiCall & { agent: AgentRow };

/** An agent route's handler (any role). */
export function asAgent(handler: (call: AgentCall) => Promise<void>): ApiHandler {
  return (call) => handler(call as AgentCall);
}

/** An admin route's handler: other agents get 403 `forbidden`. */
export function asAdmin(handler: (call: AgentCall) => Promise<void>): ApiHandler {
  return (call) => {
    if (call.agent?.role !== 'admin') throw new Refusal(403, 'forbidden', 'admins only');
    return handler(call as AgentCall);
  };
}
