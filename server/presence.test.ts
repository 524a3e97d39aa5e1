// Presence of other processes expires. A second process is played by NOTIFYs
// sent straight into this server's store (one code path for one or many
// processes): it announces a visitor and an agent, beats or falls silent,
// says goodbye, or comes back after being forgotten. The server's presence
// clock is a manual one: time moves only when a test steps it, beat by beat.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS_CHANNEL, PRESENCE_MISSED_BEATS, type ServerEvent } from './events.js';
import { type TestSocket, agentHeaders, agentSocket, api, manualClock, newVisitor, sleep, startTestServer, until, visitorSocket } from '../test/helpers/node/server.js';

const BEAT_MS = 100;
const clock = manualClock();
let server: Awaited<ReturnType<typeof startTestServer>>;

before(async () => {
  server = await startTestServer({ presenceBeatMs: BEAT_MS, clock });
});

/** Moves the server's presence clock on by `beats` intervals, one tick at a time. */
function beatsPass(beats: number): void {
  for (let i = 0; i < beats; i++) clock.advance(BEAT_MS);
}
after(() => server.close());

let n = 0;
/** A fake remote process with its own id. */
function remoteProc() {
  const proc = `remote_${process.pid}_${++n}`;
  const send = (e: ServerEvent) => server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(e)]);
  return {
    proc,
    send,
    beat: () => send({ kind: 'presence_beat', proc, everyMs: BEAT_MS }),
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

/**
 * Waits until the server has handled everything `remote` sent so far: NOTIFYs
 * arrive in order, so once its (repeated) announcement of `visitor` comes back
 * to the agent as a summary push, what it sent before has been heard.
 */
async function heardSoFar(remote: ReturnType<typeof remoteProc>, visitor: { uid: string; conversationId: string }, agent: TestSocket): Promise<void> {
  const mark = agent.frames.length;
  await remote.visitorOnline(visitor.uid);
  await agent.waitFor(after_(agent, mark, (f) => f.type === 'conversation' && f.conversation.id === visitor.conversationId));
}

describe('remote presence expiry', () => {
  test('a process that falls silent is forgotten after 3 missed beats, not before: its visitors and agents go offline, with pushes', async () => {
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
    for (let i = 0; i < 2 * PRESENCE_MISSED_BEATS; i++) {
      await remote.beat();
      await heardSoFar(remote, other, agent);
      beatsPass(1);
    }
    assert.equal(await listedOnline(other.conversationId), true, 'a beating process keeps its visitors online');
    // It falls silent: one interval has passed since it was last heard. Up to 3 missed intervals are tolerated...
    beatsPass(PRESENCE_MISSED_BEATS - 1);
    assert.equal(await listedOnline(other.conversationId), true, 'not forgotten before 3 intervals of silence are over');
    const markA = agent.frames.length;
    const markV = socket.frames.length;
    // ...and the next tick forgets it.
    beatsPass(1);
    await agent.waitFor(after_(agent, markA, (f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online));
    await socket.waitFor(after_(socket, markV, (f) => f.type === 'presence' && f.agentsOnline === base));
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
    // The presence clock stands still: no beat can be missed, only the goodbye can drop it.
    await remote.send({ kind: 'presence_bye', proc: remote.proc });
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online);
    await socket.waitFor(after_(socket, markV, (f) => f.type === 'presence' && f.agentsOnline === base));
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
    beatsPass(PRESENCE_MISSED_BEATS + 1);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === other.conversationId && !f.conversation.online);
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
    const agent = await agentSocket(server.wsUrl);
    await heardSoFar(remote, other, agent);
    beatsPass(2 * PRESENCE_MISSED_BEATS);
    assert.equal(await listedOnline(other.conversationId), true);
    agent.close();
    await remote.visitorOnline(other.uid, false);
  });

  test('a presence_hello meant for another process is not answered', async () => {
    const me = await newVisitor(server.url);
    const answers: ServerEvent[] = [];
    // Listening before the visitor connects, so its own online announcement is seen go by (not slept past).
    await server.store.listen(EVENTS_CHANNEL, (payload) => {
      const e = JSON.parse(payload) as ServerEvent;
      if (e.kind === 'presence' && e.visitorUids?.includes(me.visitor.visitorUid)) answers.push(e);
    });
    const { socket } = await visitorSocket(server.wsUrl, me.token);
    await until(() => answers.length, 'its own online announcement');
    answers.length = 0;
    await server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'presence_hello', proc: 'asker', to: 'someone_else' })]);
    await sleep(3 * BEAT_MS); // a quiet spell: the answers carry nothing that would tell them apart, so no sentinel can
    assert.equal(answers.length, 0);
    await server.store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'presence_hello', proc: 'asker' })]);
    await until(() => answers.length, 'an answer to the hello');
    assert.equal(answers.length, 1, 'an untargeted hello is answered');
    socket.close();
  });
});
