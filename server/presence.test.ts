// Presence of other processes expires. A second process is played by NOTIFYs
// sent straight into this server's store (one code path for one or many
// processes): it announces a visitor and an agent, beats or falls silent,
// says goodbye, or comes back after being forgotten.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS_CHANNEL, type ServerEvent } from './events.js';
import { type TestSocket, agentHeaders, agentSocket, api, newVisitor, sleep, startTestServer, until, visitorSocket } from '../test/helpers/node/server.js';

const BEAT_MS = 100;
let server: Awaited<ReturnType<typeof startTestServer>>;

before(async () => {
  server = await startTestServer({ presenceBeatMs: BEAT_MS });
});
after(() => server.close());

let n = 0;
/** A fake remote process with its own id. */
function remoteProc() {
  const proc = `remote_${process.pid}_${++n}`;
  const send = (e: ServerEvent) => server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(e)]);
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    proc,
    send,
    beat: () => send({ kind: 'presence_beat', proc, everyMs: BEAT_MS }),
    startBeating() {
      timer = setInterval(() => void send({ kind: 'presence_beat', proc, everyMs: BEAT_MS }).catch(() => {}), BEAT_MS);
    },
    stopBeating() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    visitorOnline: (uid: string, online = true) => send({ kind: 'presence', proc, visitorUids: [uid], online }),
    agentOnline: (id: number, online = true) => send({ kind: 'presence', proc, agent: { id, appid: 'demo' }, online }),
  };
}

/** A visitor with a conversation, not connected here (so only the remote can make it online). */
async function offlineVisitor() {
  const v = await newVisitor(server.url);
  const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
  socket.close();
  await socket.waitClose();
  return { uid: v.visitor.visitorUid, conversationId: ready.conversationId as string };
}

async function listedOnline(conversationId: string): Promise<boolean> {
  const r = await api(server.url, '/v1/agent/conversations', { headers: agentHeaders() });
  const c = (r.json.conversations as any[]).find((x) => x.id === conversationId);
  return !!c?.online;
}

/** Frames received after `mark` (an index into socket.frames). */
const after_ = (s: TestSocket, mark: number, pred: (f: any) => boolean) => (f: any) => s.frames.indexOf(f) >= mark && pred(f);

describe('remote presence expiry', () => {
  test('a process that falls silent is forgotten after ~3 beats: its visitors and agents go offline, with pushes', async () => {
    const remote = remoteProc();
    const other = await offlineVisitor();
    const agent = await agentSocket(server.wsUrl);
    const me = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, me.token);
    const base = ready.agentsOnline as number; // the local agent

    await remote.beat();
    await remote.visitorOnline(other.uid);
    await remote.agentOnline(900_001);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && f.conversation.online);
    await socket.waitFor((f) => f.type === 'presence' && f.agentsOnline === base + 1);

    // Alive while it beats, well past 3 intervals.
    remote.startBeating();
    await sleep(6 * BEAT_MS);
    assert.equal(await listedOnline(other.conversationId), true, 'a beating process keeps its visitors online');
    const markA = agent.frames.length;
    const markV = socket.frames.length;
    remote.stopBeating();
    const t0 = Date.now();
    await agent.waitFor(after_(agent, markA, (f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online), 3000);
    await socket.waitFor(after_(socket, markV, (f) => f.type === 'presence' && f.agentsOnline === base), 3000);
    const took = Date.now() - t0;
    assert.ok(took >= 2 * BEAT_MS, `not forgotten too early (${took} ms)`);
    assert.ok(took < 8 * BEAT_MS, `forgotten within ~3 beats (${took} ms)`);
    assert.equal(await listedOnline(other.conversationId), false);
    socket.close();
    agent.close();
  });

  test('a clean goodbye drops a process at once', async () => {
    const remote = remoteProc();
    const other = await offlineVisitor();
    const agent = await agentSocket(server.wsUrl);
    const me = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, me.token);
    const base = ready.agentsOnline as number;
    await remote.beat();
    await remote.visitorOnline(other.uid);
    await remote.agentOnline(900_002);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && f.conversation.online);
    await socket.waitFor((f) => f.type === 'presence' && f.agentsOnline === base + 1);
    const markV = socket.frames.length;
    await remote.send({ kind: 'presence_bye', proc: remote.proc });
    const t0 = Date.now();
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online, 1000);
    await socket.waitFor(after_(socket, markV, (f) => f.type === 'presence' && f.agentsOnline === base), 1000);
    assert.ok(Date.now() - t0 < 2 * BEAT_MS, 'before any beat could have been missed');
    socket.close();
    agent.close();
  });

  test('a forgotten process heard again is asked for its state, and its visitors come back', async () => {
    const remote = remoteProc();
    const other = await offlineVisitor();
    const agent = await agentSocket(server.wsUrl);
    const hellos: ServerEvent[] = [];
    await server.store.listen(EVENTS_CHANNEL, (payload) => {
      const e = JSON.parse(payload) as ServerEvent;
      if (e.kind === 'presence_hello' && e.to === remote.proc) hellos.push(e);
    });
    await remote.beat();
    await remote.visitorOnline(other.uid);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && f.conversation.online);
    // Silent (a long stall): forgotten.
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online, 3000);
    assert.equal(hellos.length, 0);
    // It beats again: this process asks it (only it) to announce itself again.
    await remote.beat();
    await until(() => hellos.length, 'a presence_hello');
    assert.equal(hellos.length, 1, 'one targeted presence_hello');
    const mark = agent.frames.length;
    await remote.visitorOnline(other.uid); // its answer
    await agent.waitFor(after_(agent, mark, (f) => f.type === 'conversation' && f.conversation.id === other.conversationId && f.conversation.online));
    assert.equal(await listedOnline(other.conversationId), true);
    await remote.send({ kind: 'presence_bye', proc: remote.proc });
    agent.close();
  });

  test('a process that never beat (an older version) is not expired', async () => {
    const remote = remoteProc();
    const other = await offlineVisitor();
    await remote.visitorOnline(other.uid);
    await sleep(6 * BEAT_MS);
    assert.equal(await listedOnline(other.conversationId), true);
    await remote.visitorOnline(other.uid, false);
  });

  test('a presence_hello meant for another process is not answered', async () => {
    const me = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, me.token);
    const answers: ServerEvent[] = [];
    await server.store.listen(EVENTS_CHANNEL, (payload) => {
      const e = JSON.parse(payload) as ServerEvent;
      if (e.kind === 'presence' && e.visitorUids?.includes(me.visitor.visitorUid)) answers.push(e);
    });
    await sleep(3 * BEAT_MS); // its own online announcement has gone by
    answers.length = 0;
    await server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'presence_hello', proc: 'asker', to: 'someone_else' })]);
    await sleep(3 * BEAT_MS);
    assert.equal(answers.length, 0);
    await server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'presence_hello', proc: 'asker' })]);
    await until(() => answers.length, 'an answer to the hello');
    assert.equal(answers.length, 1, 'an untargeted hello is answered');
    socket.close();
  });
});
