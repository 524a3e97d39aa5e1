// The inbox's rows kept from `message` frames (message-rows.ts), in the browser with a host double standing for
// twt-inbox and the server: a known row moves with each message; an unknown one (beyond the loaded pages) or one
// that skips a seq is asked for, the messages heard meanwhile applied after the answer; a refused request shows
// nothing; an older summary does not undo what messages did. The derivation itself is checked against the real
// summary query in server/agent-row-updates.test.ts.
import { expect } from '@open-wc/testing';
import type { AgentConversation, MessageView } from '../../shared/wire-protocol.js';
import { MessageRows } from './message-rows.js';

const row = (over: Partial<AgentConversation> = {}): AgentConversation => ({
  id: 'c1',
  appid: 'a',
  visitor: { visitorUid: 'v1', name: 'Ann' },
  lastSeq: 1,
  unread: 1,
  lastMessage: msg(1, 'visitor'),
  online: true,
  updatedAt: '2026-12-01T00:00:01.000Z',
  status: 'open',
  assignee: null,
  waitingSince: '2026-12-01T00:00:01.000Z',
  resolvedAt: null,
  resolvedBy: null,
  rating: null,
  followUpEmail: null,
  ...over,
});

function msg(seq: number, author: MessageView['author'], conversationId = 'c1'): MessageView {
  return { id: `m${seq}`, conversationId, seq, author, text: `text ${seq}`, createdAt: `2026-12-01T00:00:0${seq}.000Z` };
}

/** twt-inbox's side: its rows, and the server's answers, released by the test. */
function host(rows: AgentConversation[] = []) {
  const all = new Map(rows.map((r) => [r.id, r]));
  const asked: Array<{ id: string; answer(c: AgentConversation | null): Promise<void> }> = [];
  const rowsOf = new MessageRows({
    row: (id) => all.get(id),
    put: (c) => void all.set(c.id, c),
    fetch: (id) =>
      new Promise((ok, fail) => {
        asked.push({
          id,
          answer: async (c) => {
            if (c) ok(c);
            else fail(new Error('404 not_found'));
            await new Promise((r) => setTimeout(r));
          },
        });
      }),
  });
  return { all, asked, rowsOf };
}

describe('inbox rows from message frames', () => {
  it('a known row moves with each message, both ways, without asking the server', () => {
    const h = host([row()]);
    h.rowsOf.message('c1', msg(2, 'agent'));
    h.rowsOf.message('c1', msg(3, 'visitor'));
    const r = h.all.get('c1')!;
    expect([r.lastSeq, r.lastMessage?.text, r.unread, r.updatedAt, r.waitingSince]).to.deep.equal([3, 'text 3', 2, msg(3, 'visitor').createdAt, msg(3, 'visitor').createdAt]);
    expect(h.asked).to.have.length(0);
    h.rowsOf.message('c1', msg(3, 'visitor'));
    expect(h.all.get('c1')).to.equal(r, 'a message heard twice changes nothing');
  });

  it('a visitor message reopens a resolved row; an older summary arriving after does not undo it', () => {
    const resolved = row({ status: 'resolved', resolvedAt: '2026-12-01T00:00:01.500Z', resolvedBy: { id: 7, name: 'Bob' }, waitingSince: null });
    const h = host([resolved]);
    h.rowsOf.message('c1', msg(2, 'visitor'));
    expect(h.all.get('c1')).to.include({ status: 'open', resolvedAt: null, resolvedBy: null, lastSeq: 2 });
    const merged = h.rowsOf.summary({ ...resolved, online: false });
    expect(merged).to.include({ status: 'open', lastSeq: 2, online: false });
  });

  it('an unknown row is asked for and shown only with the answer, the messages heard meanwhile applied after it', async () => {
    const h = host();
    h.rowsOf.message('c1', msg(2, 'agent'));
    h.rowsOf.message('c1', msg(3, 'visitor'));
    expect(h.all.has('c1')).to.equal(false, 'nothing half-filled from the message');
    expect(h.asked.map((a) => a.id)).to.deep.equal(['c1'], 'asked once');
    expect(h.rowsOf.asking('c1')).to.equal(true);
    // The summary was read after message 2 committed, before message 3.
    await h.asked[0]!.answer(row({ lastSeq: 2, lastMessage: msg(2, 'agent'), unread: 1, waitingSince: null }));
    expect(h.all.get('c1')).to.include({ lastSeq: 3, unread: 2 });
    expect(h.all.get('c1')!.visitor.name).to.equal('Ann');
    expect(h.rowsOf.asking('c1')).to.equal(false);
  });

  it('a new conversation’s first message waits for the pushed summary: nothing asked, nothing drawn', () => {
    const h = host();
    h.rowsOf.message('c9', msg(1, 'visitor', 'c9'));
    expect(h.asked).to.have.length(0);
    expect(h.all.has('c9')).to.equal(false);
  });

  it('a refused request shows nothing; a skipped seq asks for the summary again', async () => {
    const h = host([row()]);
    h.rowsOf.message('gone', msg(4, 'visitor', 'gone'));
    await h.asked[0]!.answer(null);
    expect(h.all.has('gone')).to.equal(false);
    h.rowsOf.message('c1', msg(3, 'visitor'));
    expect(h.all.get('c1')!.lastSeq).to.equal(1, 'unread and waiting after a missed message are unknown: not guessed');
    expect(h.asked.map((a) => a.id)).to.deep.equal(['gone', 'c1']);
    await h.asked[1]!.answer(row({ lastSeq: 3, unread: 3, lastMessage: msg(3, 'visitor') }));
    expect(h.all.get('c1')).to.include({ lastSeq: 3, unread: 3 });
  });
});
