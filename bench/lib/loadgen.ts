/**
 * The server bench's load generator: a separate process (so the server's
 * figures are its own) driven over IPC by bench/steps/server.ts. It holds the
 * visitors, their sockets and one agent socket, and measures every latency
 * on one clock (this process's). Every command is bounded in count and time.
 *
 * Commands (`{cmd, ...args}` -> `{type:'done', cmd, ...result}`):
 *   sessions  create visitors with POST /v1/visitor/session
 *   connect   open visitor sockets (auth frame, wait for `ready`)
 *   agent     open the agent socket
 *   v2a       visitors send at a fixed total rate; latency at the agent socket
 *   a2v       agent REST posts at a fixed rate; latency at the visitor sockets
 *   ping      ping/pong round trips on a sample of idle sockets
 *   closeAll  close every socket
 *   pauses    this process's event-loop delay and GC pauses since the last ask
 *   flood     one cheap request in bulk (`kind`: idle, typing, read, sessions, agentKeys,
 *             sockets) while a probe times GET /v1/health; returns the probe's latencies
 *             and what the flood got through
 */
import WebSocket from 'ws';
import http from 'node:http';
import type { VisitorServerFrame, AgentServerFrame, VisitorSessionResponse } from '../../src/shared/wire-protocol.js';
import { max, nowMs, percentile, sleep } from './stats.js';
import { recordPauses } from './pauses.js';

interface Visitor {
  token: string;
  bs: string;
  bs_mm: string;
  uid: string;
}
interface VisitorSocket {
  ws: WebSocket;
  visitor: Visitor;
  conversationId?: string;
  /** Called with each frame after `ready`. */
  onFrame?: (f: VisitorServerFrame, at: number) => void;
}

const HOST_ORIGIN = 'http://localhost';
let base = '';
/** Where the agent connects and posts its replies: `base`, or a second server process (the bench's --processes 2). */
let agentBase = '';
let agentKey = 'demo-agent-key';
const visitors: Visitor[] = [];
const groups = new Map<string, VisitorSocket[]>();
let agent: WebSocket | null = null;
let onAgentFrame: ((f: AgentServerFrame, at: number) => void) | null = null;

const wsUrl = (path: string, origin = base) => origin.replace(/^http/, 'ws') + path;
const lat = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99), max: max(xs) });

/**
 * POSTs JSON over a bounded pool of keep-alive connections and reads the
 * answer. node:http rather than fetch: at 1,000 requests/s fetch's per-call
 * cost (web streams, abort signals) made this process the bottleneck, and
 * its unbounded pool opened hundreds of fresh connections in a burst, which
 * is not how an agent tool or a browser talks to the server.
 * 256 connections: HTTP/1.1 carries one request at a time per connection, so
 * a pool of C connections caps the replies at C / (answer time) per second
 * whatever the server does. An answer waits for its group commit (a batch or
 * two, ~30-60 ms at 3,000 msg/s), and 64 connections capped the agent ->
 * visitor step near 1,500-2,000/s with the rest queued in this process. 3,000
 * replies/s is a team of hundreds of agents, each console on its own
 * connections, so 256 is still fewer connections than that team would hold.
 */
const pool = new http.Agent({ keepAlive: true, maxSockets: 256 });
function postJson(path: string, body: unknown, headers: Record<string, string>, timeoutMs: number, origin = base): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(`${origin}${path}`, { method: 'POST', agent: pool, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

async function createSession(body: Record<string, unknown>, timeoutMs = 15_000): Promise<{ ms: number; data?: VisitorSessionResponse; status: number }> {
  const t0 = nowMs();
  const res = await postJson('/v1/visitor/session', { appid: 'demo', hostOrigin: HOST_ORIGIN, ...body }, { origin: HOST_ORIGIN }, timeoutMs);
  let data: VisitorSessionResponse | undefined;
  try {
    data = JSON.parse(res.text) as VisitorSessionResponse;
  } catch {
    data = undefined;
  }
  return { ms: nowMs() - t0, data: res.status === 200 ? data : undefined, status: res.status };
}

/** Creates up to `n` visitors with `concurrency` requests in flight, stopping at `maxMs`. */
async function sessions({ n, concurrency = 8, maxMs = 60_000 }: { n: number; concurrency?: number; maxMs?: number }) {
  const t0 = nowMs();
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < n && nowMs() - t0 < maxMs) {
      next++;
      try {
        const r = await createSession({});
        if (r.data?.ok) {
          times.push(r.ms);
          visitors.push({ token: r.data.token, bs: r.data.visitor.bs, bs_mm: r.data.visitor.bs_mm, uid: r.data.visitor.visitorUid });
        } else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = nowMs() - t0;
  return { created: times.length, total: visitors.length, errors, ms, perSecond: (times.length / ms) * 1000, latency: lat(times) };
}

/** Opens one authenticated visitor socket; resolves once `ready` arrives. */
/**
 * Loopback source addresses the visitor sockets take turns on: each has its
 * own range of ephemeral ports (about 28,000 on Linux), which one address
 * alone would run out of first when tens of thousands of sockets are held.
 */
const SOURCE_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
let socketsOpened = 0;

function openVisitorSocket(visitor: Visitor, timeoutMs: number): Promise<VisitorSocket> {
  return new Promise((resolve, reject) => {
    const localAddress = SOURCE_ADDRESSES[socketsOpened++ % SOURCE_ADDRESSES.length];
    const ws = new WebSocket(wsUrl('/v1/ws'), { perMessageDeflate: false, localAddress, headers: { origin: 'http://127.0.0.1' } });
    const vs: VisitorSocket = { ws, visitor };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no ready in time'));
    }, timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: visitor.token })));
    ws.on('message', (data) => {
      const at = nowMs();
      let f: VisitorServerFrame;
      try {
        f = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (f.type === 'ready' && !vs.conversationId) {
        vs.conversationId = f.conversationId;
        clearTimeout(timer);
        resolve(vs);
      } else vs.onFrame?.(f, at);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`closed ${code} before ready`));
    });
  });
}

/**
 * Opens `count` sockets into `group`, `batch` at a time. Visitor i of the
 * group uses visitor (offset + i) mod visitors (a visitor may hold several
 * sockets, like several tabs). Stops at `maxMs`.
 */
async function connect({ group, count, batch = 500, offset = 0, maxMs = 90_000 }: { group: string; count: number; batch?: number; offset?: number; maxMs?: number }) {
  if (!visitors.length) throw new Error('no visitors: run sessions first');
  const list = groups.get(group) ?? [];
  groups.set(group, list);
  const t0 = nowMs();
  const times: number[] = [];
  let failed = 0;
  const failures = new Map<string, number>();
  for (let i = 0; i < count && nowMs() - t0 < maxMs; i += batch) {
    const n = Math.min(batch, count - i);
    await Promise.all(
      Array.from({ length: n }, async (_, j) => {
        const v = visitors[(offset + i + j) % visitors.length];
        const s = nowMs();
        try {
          list.push(await openVisitorSocket(v, 30_000));
          times.push(nowMs() - s);
        } catch (err) {
          failed++;
          const why = String((err as Error).message ?? err).slice(0, 60);
          failures.set(why, (failures.get(why) ?? 0) + 1);
        }
      }),
    );
  }
  const open = [...groups.values()].reduce((n, g) => n + g.filter((s) => s.ws.readyState === WebSocket.OPEN).length, 0);
  return { opened: times.length, failed, failures: Object.fromEntries(failures), open, ms: nowMs() - t0, latency: lat(times) };
}

async function openAgent({ key }: { key?: string }) {
  if (key) agentKey = key;
  const t0 = nowMs();
  agent = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(wsUrl('/v1/agent/ws', agentBase || base), { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error('agent: no ready in time')), 30_000);
    // Like the console: it needs no summary after an ordinary message (server/agent-row-updates.ts).
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', key: agentKey, rowsFromMessages: true })));
    ws.on('message', (data) => {
      const at = nowMs();
      const f = JSON.parse(data.toString()) as AgentServerFrame;
      if (f.type === 'ready') {
        clearTimeout(timer);
        resolve(ws);
      } else onAgentFrame?.(f, at);
    });
    ws.on('close', (code) => reject(new Error(`agent socket closed ${code}`)));
    ws.on('error', reject);
  });
  return { ms: nowMs() - t0 };
}

/** Stamps a message text with its send time and a unique id. */
const stamp = (id: string, at: number) => `bench ${id} ${at.toFixed(3)}`;
const unstamp = (text: string): { id: string; at: number } | null => {
  const m = /^bench (\S+) (\d+(?:\.\d+)?)$/.exec(text);
  return m ? { id: m[1], at: Number(m[2]) } : null;
};

/**
 * Runs `fn(i)` at a fixed rate for `seconds` (open loop: sends are not held
 * back by slow answers, so queueing shows in the latencies). Returns the
 * number of calls made.
 */
async function atRate(rate: number, seconds: number, fn: (i: number) => void): Promise<{ calls: number; ms: number }> {
  const t0 = nowMs();
  const total = Math.round(rate * seconds);
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((nowMs() - t0) / 1000) * rate) + 1);
    while (i < due) fn(i++);
    await sleep(2);
  }
  return { calls: i, ms: nowMs() - t0 };
}

/**
 * Session restores (POST /v1/visitor/session with a stored identity clue) at
 * `rate` per second while `running()`; latencies for the restore step.
 */
function restoreProbe(rate: number, running: () => boolean): Promise<{ latency: ReturnType<typeof lat>; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  const inflight = new Set<Promise<void>>();
  return (async () => {
    let i = 0;
    while (running()) {
      const v = visitors[(i * 7919) % visitors.length];
      i++;
      // A restore stuck behind a backlog counts as an error after 5 s (keeps the run bounded).
      const p = createSession({ clue: { bs: v.bs, bs_mm: v.bs_mm } }, 5000)
        .then((r) => {
          if (r.data?.ok && r.data.visitor.source === 'resolved') times.push(r.ms);
          else errors++;
        })
        .catch(() => {
          errors++;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
      await sleep(1000 / rate);
    }
    await Promise.all(inflight);
    return { latency: lat(times), errors };
  })();
}

/** Visitors in `group` send `rate` messages/s in total for `seconds`; the agent socket receives them. */
async function v2a({ group, rate, seconds, senders, drainMs = 5000, restoreRate = 0 }: { group: string; rate: number; seconds: number; senders: number; drainMs?: number; restoreRate?: number }) {
  if (!agent) throw new Error('no agent socket');
  const socks = (groups.get(group) ?? []).filter((s) => s.ws.readyState === WebSocket.OPEN).slice(0, senders);
  if (!socks.length) throw new Error(`no open sockets in group ${group}`);
  const run = `v${Date.now().toString(36)}`;
  const sentAt = new Map<string, number>();
  const delivered: number[] = [];
  const acks: number[] = [];
  const refused = new Map<string, number>();
  let duplicates = 0;
  let firstAt = 0;
  let lastAt = 0;
  onAgentFrame = (f, at) => {
    if (f.type !== 'message' || f.message.author !== 'visitor') return;
    const s = unstamp(f.message.text);
    if (!s || !sentAt.has(s.id)) return;
    if (sentAt.get(s.id)! < 0) {
      duplicates++;
      return;
    }
    delivered.push(at - s.at);
    sentAt.set(s.id, -1);
    if (!firstAt) firstAt = at;
    lastAt = at;
  };
  for (const s of socks) {
    s.onFrame = (f, at) => {
      if (f.type === 'ack') {
        const st = unstamp(f.message.text);
        if (st) acks.push(at - st.at);
      } else if (f.type === 'error') refused.set(f.code, (refused.get(f.code) ?? 0) + 1);
    };
  }
  let running = true;
  const restore = restoreRate > 0 ? restoreProbe(restoreRate, () => running) : null;
  const sendStart = nowMs();
  const { calls, ms } = await atRate(rate, seconds, (i) => {
    const s = socks[i % socks.length];
    const id = `${run}-${i}`;
    const at = nowMs();
    sentAt.set(id, at);
    s.ws.send(JSON.stringify({ type: 'send', clientId: id, text: stamp(id, at) }));
  });
  const drainUntil = nowMs() + drainMs;
  while (delivered.length < calls && nowMs() < drainUntil) await sleep(20);
  running = false;
  const restored = restore ? await restore : null;
  for (const s of socks) s.onFrame = undefined;
  onAgentFrame = null;
  return {
    senders: socks.length,
    offered: calls,
    offeredRate: (calls / ms) * 1000,
    delivered: delivered.length,
    // Delivered per second over the sending window (what the agent saw while load was offered).
    deliveredRate: lastAt > sendStart ? (delivered.length / Math.max(ms, lastAt - sendStart)) * 1000 : 0,
    lost: calls - delivered.length,
    duplicates,
    refused: Object.fromEntries(refused),
    latency: lat(delivered),
    ack: lat(acks),
    restore: restored,
  };
}

/** The agent posts `rate` messages/s over REST into the group's conversations; latency at the visitor sockets. */
async function a2v({ group, rate, seconds, targets, maxInFlight = 512, drainMs = 5000, restoreRate = 0 }: { group: string; rate: number; seconds: number; targets: number; maxInFlight?: number; drainMs?: number; restoreRate?: number }) {
  const socks = (groups.get(group) ?? []).filter((s) => s.ws.readyState === WebSocket.OPEN && s.conversationId).slice(0, targets);
  if (!socks.length) throw new Error(`no open sockets in group ${group}`);
  // One socket per conversation receives: the first socket seen for it.
  const byConv = new Map<string, VisitorSocket>();
  for (const s of socks) if (!byConv.has(s.conversationId!)) byConv.set(s.conversationId!, s);
  const convs = [...byConv.keys()];
  const run = `a${Date.now().toString(36)}`;
  const seen = new Set<string>();
  const delivered: number[] = [];
  const rest: number[] = [];
  let httpErrors = 0;
  let skipped = 0;
  let inflight = 0;
  let lastAt = 0;
  for (const s of byConv.values()) {
    s.onFrame = (f, at) => {
      if (f.type !== 'message' || f.message.author !== 'agent') return;
      const st = unstamp(f.message.text);
      if (!st || !st.id.startsWith(run) || seen.has(st.id)) return;
      seen.add(st.id);
      delivered.push(at - st.at);
      lastAt = at;
    };
  }
  let running = true;
  const restore = restoreRate > 0 ? restoreProbe(restoreRate, () => running) : null;
  const sendStart = nowMs();
  const { calls, ms } = await atRate(rate, seconds, (i) => {
    if (inflight >= maxInFlight) {
      skipped++;
      return;
    }
    const conv = convs[i % convs.length];
    const id = `${run}-${i}`;
    const at = nowMs();
    inflight++;
    postJson(`/v1/agent/conversations/${encodeURIComponent(conv)}/messages`, { text: stamp(id, at), clientId: id }, { authorization: `Bearer ${agentKey}` }, drainMs + seconds * 1000, agentBase || base)
      .then((res) => {
        if (res.status === 200) rest.push(nowMs() - at);
        else httpErrors++;
      })
      .catch(() => {
        httpErrors++;
      })
      .finally(() => {
        inflight--;
      });
  });
  const posted = calls - skipped;
  const drainUntil = nowMs() + drainMs;
  while ((delivered.length < posted - httpErrors || inflight > 0) && nowMs() < drainUntil) await sleep(20);
  running = false;
  const restored = restore ? await restore : null;
  for (const s of byConv.values()) s.onFrame = undefined;
  return {
    conversations: convs.length,
    offered: calls,
    offeredRate: (calls / ms) * 1000,
    skipped,
    httpErrors,
    delivered: delivered.length,
    deliveredRate: lastAt > sendStart ? (delivered.length / Math.max(ms, lastAt - sendStart)) * 1000 : 0,
    lost: Math.max(0, posted - httpErrors - delivered.length),
    latency: lat(delivered),
    rest: lat(rest),
    restore: restored,
  };
}

/** Ping round trips on `n` sockets of a group, one after another (is a loaded server still responsive?). */
async function ping({ group, n }: { group: string; n: number }) {
  const socks = (groups.get(group) ?? []).filter((s) => s.ws.readyState === WebSocket.OPEN);
  const times: number[] = [];
  for (let i = 0; i < n && socks.length; i++) {
    const s = socks[Math.floor((i * socks.length) / n)];
    const t0 = nowMs();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      s.onFrame = (f) => {
        if (f.type === 'pong') {
          clearTimeout(timer);
          times.push(nowMs() - t0);
          resolve();
        }
      };
      s.ws.send(JSON.stringify({ type: 'ping' }));
    });
    s.onFrame = undefined;
  }
  return { latency: lat(times) };
}

/** Waits until a ping round trip is under `underMs` (the server worked off its backlog), at most `maxMs`. */
async function idle({ group, underMs = 20, maxMs = 30_000 }: { group: string; underMs?: number; maxMs?: number }) {
  const t0 = nowMs();
  let last: number | null = null;
  while (nowMs() - t0 < maxMs) {
    const { latency } = await ping({ group, n: 1 });
    last = latency.p50;
    if (last !== null && last < underMs) break;
    await sleep(250);
  }
  return { waitedMs: nowMs() - t0, lastPingMs: last };
}

async function closeAll() {
  agent?.terminate();
  agent = null;
  let n = 0;
  for (const list of groups.values()) for (const s of list) {
    s.ws.terminate();
    n++;
  }
  groups.clear();
  return { closed: n };
}

// ---------------------------------------------------------------------------
// Floods: what one hostile client can do with cheap requests, each bounded in count and time.

/** Its own connection, so the probe never queues behind the flood's requests in this process. */
const healthPool = new http.Agent({ keepAlive: true, maxSockets: 1 });
function healthOnce(timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const req = http.get(`${base}/v1/health`, { agent: healthPool, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(nowMs() - t0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** GET /v1/health back to back (10 ms apart) while `fn` runs and for `settleMs` after it (coalesced work lands late). */
async function withHealthProbe<T>(fn: () => Promise<T>, settleMs = 1000): Promise<{ health: ReturnType<typeof lat>; healthErrors: number; result: T }> {
  let running = true;
  const times: number[] = [];
  let healthErrors = 0;
  const probe = (async () => {
    while (running) {
      try {
        times.push(await healthOnce());
      } catch {
        healthErrors++;
      }
      await sleep(10);
    }
  })();
  const result = await fn();
  await sleep(settleMs);
  running = false;
  await probe;
  return { health: lat(times), healthErrors, result };
}

/** A fresh visitor with an open socket (its frames after `ready` go to `onFrame`). */
async function floodVisitor(): Promise<VisitorSocket & { closedWith: Promise<number> }> {
  const r = await createSession({});
  if (!r.data) throw new Error(`flood: session refused (${r.status})`);
  const v = { token: r.data.token, bs: r.data.visitor.bs, bs_mm: r.data.visitor.bs_mm, uid: r.data.visitor.visitorUid };
  const s = await openVisitorSocket(v, 15_000);
  return Object.assign(s, { closedWith: new Promise<number>((resolve) => s.ws.on('close', (code) => resolve(code))) });
}

/** Sends `n` frames over `seconds` on a socket, stopping if it closes; returns how many went out. */
async function frames(ws: WebSocket, n: number, seconds: number, frame: (i: number) => object): Promise<number> {
  let sent = 0;
  await atRate(n / seconds, seconds, (i) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(frame(i)));
    sent++;
  });
  return sent;
}

const floods: Record<string, () => Promise<Record<string, unknown>>> = {
  async idle() {
    await sleep(1500);
    return {};
  },
  /** 2,000 typing frames in 1.5 s from one visitor: how many typing frames reach the agent. */
  async typing() {
    if (!agent) await openAgent({});
    const s = await floodVisitor();
    let relayed = 0;
    onAgentFrame = (f) => {
      if (f.type === 'typing' && f.conversationId === s.conversationId) relayed++;
    };
    const sent = await frames(s.ws, 2000, 1.5, (i) => ({ type: 'typing', typing: i % 2 === 0 }));
    await sleep(1500); // the last state change arrives when the coalescing window closes
    onAgentFrame = null;
    const closed = await Promise.race([s.closedWith, sleep(0).then(() => null)]);
    s.ws.terminate();
    return { sent, relayed, closedWith: closed };
  },
  /** 2,000 read frames in 1.5 s (seqs 1..3 over and over): how many `unread` answers (one per stored receipt) come back. */
  async read() {
    const s = await floodVisitor();
    for (const text of ['one', 'two', 'three']) await postJson(`/v1/agent/conversations/${encodeURIComponent(s.conversationId!)}/messages`, { text }, { authorization: `Bearer ${agentKey}` }, 10_000);
    let unread = 0;
    s.onFrame = (f) => {
      if (f.type === 'unread') unread++;
    };
    const sent = await frames(s.ws, 2000, 1.5, (i) => ({ type: 'read', seq: (i % 3) + 1 }));
    await sleep(1000);
    const closed = await Promise.race([s.closedWith, sleep(0).then(() => null)]);
    s.ws.terminate();
    return { sent, unread, closedWith: closed };
  },
  /** 200 new visitors in 1 s from one address, each then sending 10 messages: how many messages are accepted. */
  async sessions() {
    const socks: VisitorSocket[] = [];
    const statuses = new Map<number, number>();
    let acked = 0;
    let refused = 0;
    const pending: Promise<void>[] = [];
    await atRate(200, 1, () => {
      pending.push(
        createSession({}, 10_000)
          .then(async (r) => {
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (!r.data) return;
            const s = await openVisitorSocket({ token: r.data.token, bs: r.data.visitor.bs, bs_mm: r.data.visitor.bs_mm, uid: r.data.visitor.visitorUid }, 15_000);
            socks.push(s);
            await new Promise<void>((done) => {
              let answered = 0;
              const timer = setTimeout(done, 5000);
              s.onFrame = (f) => {
                if (f.type === 'ack') acked++;
                else if (f.type === 'error' && f.ref) refused++;
                else return;
                if (++answered === 10) {
                  clearTimeout(timer);
                  done();
                }
              };
              for (let i = 0; i < 10; i++) s.ws.send(JSON.stringify({ type: 'send', clientId: `f${i}`, text: `flood ${i}` }));
            });
          })
          .catch(() => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          }),
      );
    });
    await Promise.all(pending);
    for (const s of socks) s.ws.terminate();
    return { sessions: Object.fromEntries(statuses), messagesAccepted: acked, messagesRefused: refused };
  },
  /** 200 wrong agent keys in 1 s over REST: how many are looked up (401) rather than refused unseen (429). */
  async agentKeys() {
    const statuses = new Map<number, number>();
    const pending: Promise<void>[] = [];
    await atRate(200, 1, (i) => {
      pending.push(
        new Promise<void>((resolve) => {
          const req = http.get(`${base}/v1/agent/conversations`, { agent: pool, timeout: 10_000, headers: { authorization: `Bearer wrong-key-${i}` } }, (res) => {
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', () => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
            resolve();
          });
        }),
      );
    });
    await Promise.all(pending);
    return { statuses: Object.fromEntries(statuses), looked: statuses.get(401) ?? 0 };
  },
  /** 300 sockets opened in 1 s from one address (the agent socket of the typing flood is one more): how many the server accepts. */
  async sockets() {
    const opened: WebSocket[] = [];
    let refused = 0;
    let failed = 0;
    const pending: Promise<void>[] = [];
    await atRate(300, 1, () => {
      pending.push(
        new Promise<void>((resolve) => {
          const ws = new WebSocket(wsUrl('/v1/ws'), { perMessageDeflate: false });
          ws.on('open', () => {
            opened.push(ws);
            resolve();
          });
          ws.on('unexpected-response', (_req, res) => {
            if (res.statusCode === 429) refused++;
            else failed++;
            resolve();
          });
          ws.on('error', () => {
            failed++;
            resolve();
          });
        }),
      );
    });
    await Promise.all(pending);
    for (const ws of opened) ws.terminate();
    return { accepted: opened.length, refused, failed };
  },
};

async function flood({ kind }: { kind: string }) {
  const fn = floods[kind];
  if (!fn) throw new Error(`unknown flood ${kind}`);
  const { health, healthErrors, result } = await withHealthProbe(fn);
  return { kind, health, healthErrors, ...result };
}

/** This process's own pauses since the last ask (lib/pauses.ts): is the clock that times every message late itself? */
const ownPauses = recordPauses();
async function pauses() {
  return ownPauses.take();
}

const commands: Record<string, (a: any) => Promise<unknown>> = { sessions, connect, agent: openAgent, v2a, a2v, ping, idle, closeAll, flood, pauses };

process.on('message', async (m: { cmd: string; url?: string; agentUrl?: string; [k: string]: unknown }) => {
  if (m.url) base = m.url;
  if (m.agentUrl) agentBase = m.agentUrl;
  const fn = commands[m.cmd];
  try {
    if (!fn) throw new Error(`unknown command ${m.cmd}`);
    const result = await fn(m);
    process.send?.({ type: 'done', cmd: m.cmd, ...(result as object) });
  } catch (err) {
    process.send?.({ type: 'failed', cmd: m.cmd, message: String((err as Error)?.message ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
const maxSeconds = Number(process.argv[process.argv.indexOf('--max-seconds') + 1]) || 300;
setTimeout(() => process.exit(2), maxSeconds * 1000).unref();
process.send?.({ type: 'ready' });
