// Restart and crash: every acknowledged message survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentHeaders, api, freshDataDir, newVisitor, spawnServer, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { CLOSE } from '../src/shared/wire-protocol.js';

test('a clean restart keeps visitors, clues, tokens and messages', async () => {
  const dataDir = await freshDataDir();
  let s = await startTestServer({ dataDir });
  const v = await newVisitor(s.url);
  const { socket, ready } = await visitorSocket(s.wsUrl, v.token);
  socket.send({ type: 'send', clientId: 'k1', text: 'before restart' });
  await socket.waitFor((f) => f.type === 'ack');
  await s.close();
  assert.equal((await socket.waitClose()).code, CLOSE.GOING_AWAY);

  s = await startTestServer({ dataDir });
  try {
    const again = await visitorSocket(s.wsUrl, v.token, { conversationId: ready.conversationId, lastSeq: 0 });
    const m = await again.socket.waitFor((f) => f.type === 'message');
    assert.equal(m.message.text, 'before restart');
    const restored = await newVisitor(s.url, { clue: { bs: v.visitor.bs, bs_mm: v.visitor.bs_mm } });
    assert.equal(restored.visitor.source, 'resolved');
    again.socket.close();
  } finally {
    await s.close();
  }
});

test('a killed process loses no acknowledged message', async () => {
  const dataDir = await freshDataDir();
  let child = await spawnServer({ dataDir });
  const v = await newVisitor(child.url);
  const { socket, ready } = await visitorSocket(child.wsUrl, v.token);
  const n = 8;
  for (let i = 0; i < n; i++) socket.send({ type: 'send', clientId: `k${i}`, text: `msg ${i}` });
  await socket.waitFor((f) => f.type === 'ack' && f.clientId === `k${n - 1}`);
  const acked = socket.frames.filter((f) => f.type === 'ack').map((f) => f.message.seq);
  await child.kill('SIGKILL');
  child = await spawnServer({ dataDir });
  try {
    const r = await api(child.url, `/v1/agent/conversations/${ready.conversationId}/messages?after=0`, { headers: agentHeaders() });
    assert.deepEqual(
      r.json.messages.map((m: any) => m.seq),
      acked,
    );
    assert.equal(r.json.messages.length, n);
  } finally {
    await child.kill('SIGTERM');
  }
});
