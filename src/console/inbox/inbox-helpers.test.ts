// The inbox's pure parts in the browser: `/shortcut` completion, who a visitor
// is, how a wait reads, which keys are shortcuts (and that typing is not), and
// the view rule the live list shares with the server's SQL.
import { expect } from '@open-wc/testing';
import type { AgentConversation, CannedReplyView } from '../../shared/wire-protocol.js';
import { inInboxView } from '../../shared/wire-protocol.js';
import { handedTo, newsTitle, titleCount, visitorNews } from './attention.js';
import { cannedMatches, cannedQueryAt, insertCanned } from './canned.js';
import { formatWait, visitorLabel } from './format.js';
import { isTextField, shortcutFor } from './shortcuts.js';

const replies: CannedReplyView[] = [
  { id: 1, appid: 'a', shortcut: 'thanks', text: 'Thank you!' },
  { id: 2, appid: 'a', shortcut: 'th', text: 'TH' },
  { id: 3, appid: 'b', shortcut: 'thanks', text: 'B thanks' },
];

describe('inbox helpers', () => {
  it('`/word` before the caret asks for canned replies of the conversation’s app; picking one replaces the word', () => {
    expect(cannedQueryAt('hello /th', 9)).to.deep.equal({ start: 6, end: 9, prefix: 'th' });
    expect(cannedQueryAt('/', 1)).to.deep.equal({ start: 0, end: 1, prefix: '' });
    expect(cannedQueryAt('http://x', 8)).to.equal(null, 'a slash inside a word is not a shortcut');
    expect(cannedQueryAt('a /th b', 7)).to.equal(null, 'only right before the caret');
    expect(cannedMatches(replies, 'a', 'th').map((r) => r.id)).to.deep.equal([2, 1], 'exact match first, then by shortcut');
    expect(cannedMatches(replies, 'b', 'th').map((r) => r.id)).to.deep.equal([3], 'never another app’s');
    const q = cannedQueryAt('Hi /thanks and bye', 10)!;
    expect(insertCanned('Hi /thanks and bye', q, replies[0]!)).to.deep.equal({ text: 'Hi Thank you! and bye', caret: 13 });
  });

  it('a visitor is shown by name, nickname, email, business user, and only then by id', () => {
    const v = (visitor: AgentConversation['visitor']) => visitorLabel({ visitor });
    expect(v({ visitorUid: 'v_1', name: 'Ann', email: 'a@x' })).to.equal('Ann');
    expect(v({ visitorUid: 'v_1', nickname: 'annie', email: 'a@x' })).to.equal('annie');
    expect(v({ visitorUid: 'v_1', email: 'a@x' })).to.equal('a@x');
    expect(v({ visitorUid: 'v_1' })).to.equal('v_1');
    expect([0, 59_000, 60_000, 3_600_000, 3_900_000, 86_400_000 * 2].map(formatWait)).to.deep.equal(['just now', 'just now', '1 min', '1 h', '1 h 5 min', '2 d']);
  });

  it('letter shortcuts act outside text fields only; Alt+arrows anywhere; modifier chords never', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, ...mods });
    expect(['j', 'k', 'r', 'e', '/', '?'].map((k) => shortcutFor(key(k), false))).to.deep.equal(['next', 'previous', 'reply', 'resolve', 'search', 'help']);
    expect(shortcutFor(key('j'), true)).to.equal(null);
    expect(shortcutFor(key('ArrowDown', { altKey: true }), true)).to.equal('next');
    expect(shortcutFor(key('ArrowUp', { altKey: true }), false)).to.equal('previous');
    expect(shortcutFor(key('r', { ctrlKey: true }), false)).to.equal(null);
    expect(isTextField(document.createElement('textarea'))).to.equal(true);
    expect(isTextField(Object.assign(document.createElement('input'), { type: 'search' }))).to.equal(true);
    expect(isTextField(Object.assign(document.createElement('input'), { type: 'checkbox' }))).to.equal(false);
    expect(isTextField(document.createElement('button'))).to.equal(false);
  });

  it('views: open, mine, unassigned, resolved; a conversation without messages is in none, unless an email was left', () => {
    const c = (status: 'open' | 'resolved', assignee: number | null, lastSeq = 1) => ({ status, lastSeq, assignee: assignee === null ? null : { id: assignee, name: 'x' } });
    const views = (conv: ReturnType<typeof c> & { followUpEmail?: string }) => (['open', 'mine', 'unassigned', 'resolved'] as const).filter((v) => inInboxView(conv, v, 7));
    expect(views(c('open', null))).to.deep.equal(['open', 'unassigned']);
    expect(views(c('open', 7))).to.deep.equal(['open', 'mine']);
    expect(views(c('open', 8))).to.deep.equal(['open']);
    expect(views(c('resolved', 7))).to.deep.equal(['resolved']);
    expect(views(c('open', null, 0))).to.deep.equal([]);
    // Unless the visitor left a follow-up email (the team is asked to write first).
    expect(views({ ...c('open', null, 0), followUpEmail: 'ann@example.com' })).to.deep.equal(['open', 'unassigned']);
  });

  it('attention: a conversation assigned to me by someone else, or mine reopened by its visitor, is news; the title counts it until opened', () => {
    const conv = (id: string, status: 'open' | 'resolved', assignee: number | null, unread = 0): AgentConversation => ({
      id, appid: 'a', visitor: { visitorUid: 'v_1', name: 'Ann' }, lastSeq: 3, unread, lastMessage: null, online: true, updatedAt: '', status,
      assignee: assignee === null ? null : { id: assignee, name: `agent ${assignee}` }, waitingSince: null, resolvedAt: null, resolvedBy: null, rating: null,
    });
    const me = 7;
    expect(handedTo(me, conv('c', 'open', null), conv('c', 'open', me), false)).to.equal(true, 'assigned to me by someone else');
    expect(handedTo(me, conv('c', 'open', 8), conv('c', 'open', me), false)).to.equal(true, 'handed over by a teammate');
    expect(handedTo(me, undefined, conv('c', 'open', me), false)).to.equal(false, 'one this console did not know: maybe mine all along');
    expect(handedTo(me, conv('c', 'open', null), conv('c', 'open', me), true)).to.equal(false, 'I took it myself');
    expect(handedTo(me, conv('c', 'open', me), conv('c', 'open', me), false)).to.equal(false, 'already mine: another change');
    expect(handedTo(me, conv('c', 'open', null), conv('c', 'open', 8), false)).to.equal(false, 'someone else’s');
    expect(handedTo(me, conv('c', 'open', null), conv('c', 'resolved', me), false)).to.equal(false, 'resolved: no work');
    const m = (seq: number) => ({ seq, author: 'visitor', text: 'hi', createdAt: '' }) as unknown as Parameters<typeof visitorNews>[2];
    expect(visitorNews(me, conv('c', 'resolved', me), m(4))).to.equal('reopened', 'the visitor writes in my resolved conversation');
    expect(visitorNews(me, conv('c', 'open', me), m(4))).to.equal('new_message');
    expect(visitorNews(me, conv('c', 'open', null), m(4))).to.equal('new_message', 'unassigned: everyone’s news');
    expect(visitorNews(me, conv('c', 'resolved', 8), m(4))).to.equal(null, 'someone else’s reopened conversation');
    expect(visitorNews(me, undefined, m(1))).to.equal('new_conversation');
    expect(newsTitle('assigned', 'Ann')).to.equal('Assigned to you: Ann');
    expect(newsTitle('reopened', 'Ann')).to.equal('Reopened by Ann');
    const all = [conv('a', 'open', me, 2), conv('b', 'open', me, 0), conv('c', 'open', 8, 0), conv('d', 'resolved', me, 5)];
    expect(titleCount(all, new Set(), me)).to.equal(2, 'unread of open conversations');
    expect(titleCount(all, new Set(['a', 'b', 'c', 'd']), me)).to.equal(3, 'plus one for b, handed to me and unread-free; c is no longer mine, d is resolved');
  });
});
