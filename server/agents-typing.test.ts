// Two agents typing in one conversation: the gate lets each one's changes through (so each sees the other),
// and the visitor's single indicator stays on while any of them types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentsTyping } from './agents-typing.js';
import { TypingGate } from './typing-gate.js';

test('the typing gate keeps one window per agent: a second agent typing in the same conversation is not swallowed', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const shown: string[] = [];
  const gate = new TypingGate((e) => shown.push(`${e.agentId}:${e.typing}`), 1000);
  const offer = (agentId: number, typing: boolean) => gate.offer({ kind: 'typing', conversationId: 'c1', from: 'agent', typing, agentId, authorName: `A${agentId}`, appid: 'demo' });
  offer(1, true);
  offer(2, true);
  offer(1, false); // within agent 1's window: shown at its end
  assert.deepEqual(shown, ['1:true', '2:true']);
  t.mock.timers.tick(1000);
  assert.deepEqual(shown, ['1:true', '2:true', '1:false']);
  gate.stop();
});

test('the visitor sees one agent typing while any types: the first, then the next when it stops; off when the last stops', () => {
  const typing = new AgentsTyping();
  assert.deepEqual(typing.change('c1', 1, 'Ann', true), { typing: true, authorName: 'Ann' });
  assert.equal(typing.change('c1', 2, 'Bob', true), null, 'a second typist changes nothing the visitor sees');
  assert.equal(typing.change('c1', 1, 'Ann', true), null, 'a repeat changes nothing');
  assert.deepEqual(typing.change('c2', 2, 'Bob', true), { typing: true, authorName: 'Bob' }, 'conversations are apart');
  assert.deepEqual(typing.change('c1', 1, 'Ann', false), { typing: true, authorName: 'Bob' }, 'Ann stops, Bob still types');
  assert.equal(typing.change('c1', 1, 'Ann', false), null);
  assert.deepEqual(typing.change('c1', 2, 'Bob', false), { typing: false });
  assert.equal(typing.change('c1', 3, '', false), null, 'a stop from someone who never typed changes nothing');
  assert.deepEqual(typing.change('c1', 3, '', true), { typing: true }, 'an unnamed agent: typing, no name');
});
