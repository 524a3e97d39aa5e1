/**
 * CPU per message of the message path's queries alone, in one process (no sockets, no HTTP, no load generator):
 * what the database side of one message costs, as thread CPU time (`process.cpuUsage`), which a busy machine
 * disturbs far less than wall time. PGlite by default (a fresh data directory, as `npm start` runs it); with
 * `--postgres <url>` the same on PostgreSQL, where most of the work is the backend's and only the node side
 * shows here. Usage:
 *   node --import tsx bench/lib/db-cost.ts [--conversations 2000] [--messages 6000] [--batch 50] [--postgres url]
 * Each figure is CPU-µs per message (or per conversation, for the batched queries) over its phase:
 *   append           Messages.append, `batch` at a time (one group-committed transaction per turn, as the server's
 *                    sockets and requests of one event-loop turn are), visitor and agent messages
 *   visitorStatuses  the `status` refresh, one query per `batch` conversations (the hub's 20 ms window)
 *   visitorReadStates the visitors' `unread` counts, likewise
 *   forAgents        the agents' conversation summaries, likewise (50 ms window): per conversation event, and per
 *                    message only for a first or reopening one (server/agent-row-updates.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/db/store.js';
import { migrate } from '../../server/db/migrations.js';
import { Data } from '../../server/data/index.js';
import { EVENTS_CHANNEL } from '../../server/events.js';

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const conversations = Number(arg('--conversations', '2000'));
const messages = Number(arg('--messages', '6000'));
const batch = Number(arg('--batch', '50'));
const postgres = process.argv.includes('--postgres') ? arg('--postgres', '') : '';

const dir = mkdtempSync(join(tmpdir(), 'twt-db-cost-'));
const store = await openStore(postgres ? { databaseUrl: postgres } : { dataDir: dir });
await migrate(store);
const data = new Data(store);
const appid = `cost_${process.pid}`;
await data.apps.create({ appid, name: 'db cost', secret: 's'.repeat(32), greeting: 'hi', domains: ['localhost'] });
let heard = 0;
await store.listen(EVENTS_CHANNEL, () => void heard++);
const convs: string[] = [];
for (let i = 0; i < conversations; i++) convs.push((await data.conversations.ensure(await data.visitors.create(appid, null))).id);

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
/** Runs `op(i)` for i < n, `perTurn` at a time (started in one turn, awaited together); prints CPU-µs per op. */
async function phase(name: string, n: number, perTurn: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const c0 = cpuUs();
  const t0 = performance.now();
  for (let i = 0; i < n; i += perTurn) await Promise.all(Array.from({ length: Math.min(perTurn, n - i) }, (_, j) => op(i + j)));
  console.log(`${name.padEnd(44)} ${((cpuUs() - c0) / n).toFixed(0).padStart(6)} CPU-µs  ${(((performance.now() - t0) * 1000) / n).toFixed(0).padStart(6)} wall-µs`);
}
let n = 0;
const text = (i: number) => `hello there, how are you doing today? ${i}`;
console.log(`${postgres ? 'PostgreSQL' : 'PGlite'}, ${conversations} conversations, batches of ${batch}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await phase('append (warm-up)', 2000, batch, (i) => data.messages.append({ conversationId: convs[i % conversations]!, author: 'visitor', text: text(i), clientId: `w${n++}` }));
await phase('append, visitor message, per message', messages, batch, (i) => data.messages.append({ conversationId: convs[i % conversations]!, author: 'visitor', text: text(i), clientId: `v${n++}` }));
await phase('append, agent message, per message', messages, batch, (i) => data.messages.append({ conversationId: convs[i % conversations]!, author: 'agent', authorName: 'Ann', authorAgentId: 1, text: text(i), clientId: `agent:${n++}` }));
const ids = (from: number) => Array.from({ length: batch }, (_, j) => convs[(from + j) % conversations]!);
const perConversation = (q: (ids: string[]) => Promise<unknown>) => (i: number) => (i % batch === 0 ? q(ids(i)) : Promise.resolve());
await phase(`visitorStatuses, ${batch} a query, per conversation`, messages, 1, perConversation((x) => data.conversations.visitorStatuses(x)));
await phase(`visitorReadStates, ${batch} a query, per conversation`, messages, 1, perConversation((x) => data.conversations.visitorReadStates(x)));
await phase(`forAgents, ${batch} a query, per conversation`, messages, 1, perConversation((x) => data.conversations.forAgents({ ids: x }, () => true)));
console.log(`notifications heard: ${heard}`);
await store.close();
rmSync(dir, { recursive: true, force: true });
