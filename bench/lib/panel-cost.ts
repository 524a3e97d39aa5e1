/**
 * What the visitors' panels cost the server per event, in one process (PGlite, as `npm start` runs it):
 * `sockets` visitor sockets each on its own conversation, then agent messages stored round robin (`batch` per
 * event-loop turn, as db-cost.ts does, through Messages.append: the REST layer is not what is measured), then each
 * visitor's read mark. Prints the process's CPU (user + system, the sockets' client side included: the same in
 * both builds) per agent message and per read mark, and how many read-state and status queries the hub made.
 * Usage: node --import tsx bench/lib/panel-cost.ts [--sockets 500] [--rounds 6] [--batch 50]
 */
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { startTestServer, newVisitor } from '../../test/helpers/node/server.js';

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const sockets = Number(arg('--sockets', '500'));
const rounds = Number(arg('--rounds', '6'));
const batch = Number(arg('--batch', '50'));

const server = await startTestServer();
const conversations = server.data.conversations;
const calls = { readStates: 0, statuses: 0 };
const realReadStates = conversations.visitorReadStates.bind(conversations);
const realStatuses = conversations.visitorStatuses.bind(conversations);
conversations.visitorReadStates = (ids) => {
  calls.readStates++;
  return realReadStates(ids);
};
conversations.visitorStatuses = (ids) => {
  calls.statuses++;
  return realStatuses(ids);
};

interface Panel {
  ws: WebSocket;
  conversationId: string;
  lastSeq: number;
  unread: number;
  readSeq: number;
}
const panels: Panel[] = [];
let changed: () => void = () => {};
for (let i = 0; i < sockets; i++) {
  const { token } = await newVisitor(server.url);
  const ws = new WebSocket(server.wsUrl + '/v1/ws');
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  const panel = await new Promise<Panel>((ok) => {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'ready') ok({ ws, conversationId: f.conversationId, lastSeq: f.lastSeq, unread: f.unread, readSeq: f.visitorReadSeq });
      else if (f.type === 'message') p().lastSeq = Math.max(p().lastSeq, f.message.seq);
      else if (f.type === 'unread') Object.assign(p(), { unread: f.count, readSeq: f.visitorReadSeq });
      changed();
    });
    ws.send(JSON.stringify({ type: 'auth', token }));
  });
  const p = () => panel;
  panels.push(panel);
}

/** Resolves once every panel satisfies `done` (checked on every frame). */
const allPanels = (done: (p: Panel) => boolean) =>
  new Promise<void>((ok) => {
    changed = () => {
      if (panels.every(done)) ok();
    };
    changed();
  });

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
console.log(`PGlite, ${sockets} visitor sockets, ${rounds} rounds, batches of ${batch}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
let agentUs = 0;
let readUs = 0;
const before = { ...calls };
let readQueries = { readStates: 0, statuses: 0 };
for (let round = 1; round <= rounds; round++) {
  // Each conversation gets one agent message; its panel then has `1` unread.
  let c0 = cpuUs();
  for (let i = 0; i < panels.length; i += batch) {
    await Promise.all(
      panels.slice(i, i + batch).map((p, j) => server.data.messages.append({ conversationId: p.conversationId, author: 'agent', authorName: 'Ann', authorAgentId: 1, text: `reply ${round}`, clientId: `agent:${round}:${i + j}` })),
    );
  }
  await allPanels((p) => p.lastSeq === round && p.unread === 1);
  agentUs += cpuUs() - c0;
  // Every visitor reads it: the count goes back to 0.
  const q0 = { ...calls };
  c0 = cpuUs();
  for (const p of panels) p.ws.send(JSON.stringify({ type: 'read', seq: round }));
  await allPanels((p) => p.readSeq === round && p.unread === 0);
  readUs += cpuUs() - c0;
  readQueries = { readStates: readQueries.readStates + calls.readStates - q0.readStates, statuses: readQueries.statuses + calls.statuses - q0.statuses };
}
const n = rounds * panels.length;
console.log(`agent message (stored + fanned out + its unread count)   ${(agentUs / n).toFixed(0).padStart(6)} CPU-µs per message`);
console.log(`visitor read mark (stored + its unread count)            ${(readUs / n).toFixed(0).padStart(6)} CPU-µs per read`);
console.log(`queries after the sockets were ready: visitorReadStates ${calls.readStates - before.readStates} (${readQueries.readStates} of them for read marks), visitorStatuses ${calls.statuses - before.statuses} (${readQueries.statuses} for read marks), for ${n} messages and ${n} read marks`);
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const p of panels) p.ws.close();
await server.close();
process.exit(0);
