// What a `conversation` event means for the visitor's panels (visitor-panel-changes.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visitorPanelChange } from './visitor-panel-changes.js';

const rating = { value: 'good' as const, comment: null, ratedAt: '2026-12-01T00:00:00.000Z' };

test('assignments, agents’ read marks, follow-up emails and new conversations change nothing on the panel', () => {
  for (const change of ['assignee', 'agent_read', 'follow_up_email', 'created'] as const) {
    assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: [change] }), { status: null, unread: null }, change);
  }
});

test('a resolve, reopen or rating carries the panel’s new status; the visitor’s read mark its new unread position', () => {
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: ['status'], status: 'resolved', rating: null }), { status: { status: 'resolved', rating: null }, unread: null });
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: ['rating'], status: 'resolved', rating }), { status: { status: 'resolved', rating }, unread: null });
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: ['visitor_read'], visitorReadSeq: 7 }), { status: null, unread: { visitorReadSeq: 7 } });
});

test('what an event does not say is read: no `changed` (an older process) refreshes both; a change without its value, that one', () => {
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c' }), { status: 'query', unread: 'query' });
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: ['status'] }), { status: 'query', unread: null });
  assert.deepEqual(visitorPanelChange({ kind: 'conversation', conversationId: 'c', changed: ['visitor_read'] }), { status: null, unread: 'query' });
});
