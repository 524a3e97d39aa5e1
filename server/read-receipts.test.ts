// Read receipts at shutdown (ReadReceipts.stop): what is pending is written, a window's write under way ends
// first, and nothing is written once stop() has resolved (the server closes the store right after).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadReceipts } from './read-receipts.js';
import type { Conversations } from './data/conversations.js';

/** A test double of the one method ReadReceipts calls; each write waits for `gate` when one is set. */
function recordingConversations() {
  const writes: string[] = [];
  let gate: Promise<void> | null = null;
  const conversations = {
    async markRead(id: string, side: string, seq: number) {
      if (gate) await gate;
      writes.push(`${side}:${id}:${seq}`);
      return seq;
    },
  } as unknown as Conversations;
  return { conversations, writes, hold: (p: Promise<void> | null) => void (gate = p) };
}

test('stop() writes the highest pending seq of each conversation, without waiting for the window', async () => {
  const { conversations, writes } = recordingConversations();
  const receipts = new ReadReceipts(conversations, 60_000);
  receipts.mark('c1', 'visitor', 3);
  receipts.mark('c1', 'visitor', 5);
  receipts.mark('c2', 'agent', 1);
  await receipts.stop();
  assert.deepEqual(writes, ['visitor:c1:5', 'agent:c2:1']);
});

test('stop() waits for a window already being written, and nothing is written after it', async () => {
  const { conversations, writes, hold } = recordingConversations();
  const receipts = new ReadReceipts(conversations, 0);
  let release!: () => void;
  hold(new Promise<void>((r) => (release = r)));
  receipts.mark('c1', 'visitor', 1);
  await new Promise((r) => setTimeout(r, 5)); // the window's write has started and waits at the gate
  receipts.mark('c2', 'visitor', 2);
  let stopped = false;
  const stopping = receipts.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(stopped, false);
  hold(null);
  release();
  await stopping;
  assert.deepEqual(writes, ['visitor:c1:1', 'visitor:c2:2']);
  receipts.mark('c3', 'visitor', 3);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(writes, ['visitor:c1:1', 'visitor:c2:2']);
});
