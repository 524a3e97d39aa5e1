// Away hours and the offline email, and a visitor starting a new conversation, on both stores (PGlite, and
// PostgreSQL when there is one). The hours rule (validation, open now and next opening across daylight-saving
// changes) runs on fixed instants; the server's answers run on its stepped wall clock (StartOptions.wallClock).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_KEY, ORIGIN, agentHeaders, agentSocket, api, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { checkBusinessHours, dayText, isTimeZone, parseDay, type BusinessHours } from '../src/shared/business-hours.js';
import { emailAddress } from '../src/shared/email.js';
import { hoursState, instantOf } from './business-hours.js';

const db = testDatabase({ prefix: 'twt_away' });

/** Mon–Fri 09:00–17:00 in `timeZone`, and a late Friday that runs past midnight into Saturday. */
const officeHours = (timeZone: string) => ({
  timeZone,
  week: {
    mon: [{ from: '09:00', to: '17:00' }],
    tue: [{ from: '09:00', to: '17:00' }],
    wed: [{ from: '09:00', to: '17:00' }],
    thu: [{ from: '09:00', to: '17:00' }],
    fri: [{ from: '09:00', to: '12:00' }, { from: '22:00', to: '24:00' }],
    sat: [{ from: '00:00', to: '02:00' }],
  },
});
const checked = (v: unknown) => {
  const h = checkBusinessHours(v);
  assert.ok(h && typeof h !== 'string', String(h));
  return h as BusinessHours;
};
const at = (iso: string) => Date.parse(iso);

test('checkBusinessHours: an IANA time zone (Intl decides), HH:MM intervals, overnight written as two days, no overlaps', () => {
  assert.equal(checkBusinessHours(null), null);
  const h = checked(officeHours('Europe/Berlin'));
  assert.deepEqual(h.week.fri, [{ from: 540, to: 720 }, { from: 1320, to: 1440 }]);
  assert.deepEqual(h.week.sun, [], 'a weekday left out is closed');
  assert.ok(isTimeZone('America/New_York') && isTimeZone('UTC'));
  for (const tz of ['Mars/Olympus', 'CET+1', '', 42, 'x'.repeat(65)]) assert.match(String(checkBusinessHours({ timeZone: tz, week: {} })), /IANA/, String(tz));
  const bad: [unknown, RegExp][] = [
    [{ mon: [{ from: '22:00', to: '02:00' }] }, /overnight.*24:00.*00:00/],
    [{ mon: [{ from: '9:00', to: '17:00' }] }, /HH:MM/],
    [{ mon: [{ from: '09:00', to: '24:01' }] }, /HH:MM/],
    [{ mon: [{ from: '24:00', to: '24:00' }] }, /HH:MM/],
    [{ mon: [{ from: '09:00', to: '09:00' }] }, /ends before it starts/],
    [{ mon: [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '17:00' }] }, /overlap/],
    [{ funday: [] }, /unknown weekday/],
    [{ mon: 'all day' }, /list/],
    [{ mon: Array.from({ length: 7 }, (_, i) => ({ from: `0${i}:00`, to: `0${i}:30` })) }, /at most/],
  ];
  for (const [week, why] of bad) assert.match(String(checkBusinessHours({ timeZone: 'UTC', week })), why, JSON.stringify(week));
  assert.match(String(checkBusinessHours([])), /null or/);
  // The admin screen's text form of a day.
  assert.deepEqual(parseDay(' 13:00-17:30, 09:00 - 12:00 '), [{ from: 540, to: 720 }, { from: 780, to: 1050 }]);
  assert.deepEqual(parseDay(''), []);
  assert.match(String(parseDay('09:00')), /not an interval/);
  assert.match(String(parseDay('09:00-10:00-11:00')), /not an interval/);
  assert.equal(dayText(parseDay('09:00-12:00,13:00-24:00') as never), '09:00-12:00, 13:00-24:00');
});

test('the one email rule: trimmed, an @ and a dotted domain, no spaces or control characters, capped', () => {
  assert.equal(emailAddress('  ann@example.com '), 'ann@example.com');
  for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'a nn@example.com', 'ann@exa\u0000mple.com', 'ann@@example.com', 42, null, `${'a'.repeat(195)}@x.com`]) {
    assert.equal(emailAddress(bad), null, JSON.stringify(bad));
  }
});

test('hoursState: open now and next opening on fixed instants, in local time across daylight-saving changes', () => {
  const berlin = checked(officeHours('Europe/Berlin'));
  assert.deepEqual(hoursState(null, at('2026-03-27T12:00:00Z')), { open: true, nextOpening: null, changesAt: null }, 'no hours: always open');
  // Wednesday 25 March 2026, 10:00 CET (UTC+1): open until 17:00 local.
  assert.deepEqual(hoursState(berlin, at('2026-03-25T09:00:00Z')), { open: true, nextOpening: null, changesAt: '2026-03-25T16:00:00.000Z' });
  // Friday 27 March 12:30 CET: closed; opens again at 22:00 local.
  assert.deepEqual(hoursState(berlin, at('2026-03-27T11:30:00Z')), { open: false, nextOpening: '2026-03-27T21:00:00.000Z', changesAt: '2026-03-27T21:00:00.000Z' });
  // Friday 23:00: the late shift runs on past midnight into Saturday 02:00 (one span, not a close at 24:00).
  assert.deepEqual(hoursState(berlin, at('2026-03-27T22:00:00Z')), { open: true, nextOpening: null, changesAt: '2026-03-28T01:00:00.000Z' });
  // Saturday 28 March 03:00 CET: closed over the weekend in which clocks go forward (Sunday 29 March 02:00 CET -> 03:00
  // CEST); Monday 09:00 is now UTC+2, so 07:00Z, not 08:00Z.
  assert.deepEqual(hoursState(berlin, at('2026-03-28T02:00:00Z')), { open: false, nextOpening: '2026-03-30T07:00:00.000Z', changesAt: '2026-03-30T07:00:00.000Z' });
  // On the summer side: Monday 30 March 08:59 CEST is closed, 09:00 CEST opens, 16:59 CEST still open.
  assert.equal(hoursState(berlin, at('2026-03-30T06:59:00Z')).open, false);
  assert.equal(hoursState(berlin, at('2026-03-30T07:00:00Z')).open, true);
  assert.equal(hoursState(berlin, at('2026-03-30T14:59:00Z')).changesAt, '2026-03-30T15:00:00.000Z');
  // New York falls back on Sunday 1 November 2026 (02:00 EDT -> 01:00 EST): Friday's 17:00 close is EDT (21:00Z),
  // Monday's 09:00 opening is EST (14:00Z).
  const ny = checked(officeHours('America/New_York'));
  assert.deepEqual(hoursState(ny, at('2026-10-30T14:00:00Z')), { open: true, nextOpening: null, changesAt: '2026-10-30T16:00:00.000Z' });
  assert.deepEqual(hoursState(ny, at('2026-10-31T12:00:00Z')), { open: false, nextOpening: '2026-11-02T14:00:00.000Z', changesAt: '2026-11-02T14:00:00.000Z' });
  // A day without hours all week: never open, no next opening.
  assert.deepEqual(hoursState(checked({ timeZone: 'UTC', week: {} }), at('2026-03-27T12:00:00Z')), { open: false, nextOpening: null, changesAt: null });
  // A wall time a spring-forward change skips (02:30 on 29 March in Berlin) comes out after the gap.
  assert.equal(new Date(instantOf(2026, 3, 29, 150, 'Europe/Berlin')).toISOString(), '2026-03-29T01:30:00.000Z');
  // Sunday 29 March 01:00 CET in a 24/7 schedule, once around the change: still one open span.
  const always = checked({ timeZone: 'Europe/Berlin', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])) });
  assert.equal(hoursState(always, at('2026-03-29T00:30:00Z')).open, true);
  assert.equal(hoursState(always, at('2026-03-29T01:30:00Z')).open, true);
});

for (const store of ['pglite', 'postgres'] as const) {
  describe(`away and new conversations on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    let base = '';
    /** The server's wall clock, stepped by the tests. */
    let wall = at('2026-03-27T11:30:00Z');
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      // Visitor tokens run on the same wall clock: a week's lifetime outlives the days the tests step through.
      server = await startTestServer({ ...(store === 'postgres' ? { databaseUrl: db.url } : {}), wallClock: () => wall, tokenTtlSeconds: 7 * 24 * 3600 });
      base = server.url;
      for (const appid of ['away-a', 'away-b']) assert.equal((await api(base, '/v1/test/apps', { body: { appid, domains: ['localhost'] } })).status, 200);
      await server.data.agents.create({ name: 'Ann (A)', key: 'away-key-a', appid: 'away-a' });
      await server.data.agents.create({ name: 'Cid (B)', key: 'away-key-b', appid: 'away-b' });
    });
    after(async () => {
      await server?.close();
    });

    const asVisitor = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    async function visitor(appid: string) {
      const s = await api(base, '/v1/visitor/session', { body: { appid, hostOrigin: ORIGIN } });
      assert.equal(s.status, 200, s.text);
      return s.json.token as string;
    }
    const setHours = (appid: string, hours: unknown, key = AGENT_KEY) =>
      api(base, `/v1/agent/admin/apps/${appid}`, { headers: { ...agentHeaders(key), 'content-type': 'application/json' }, body: { hours } });

    test('admins set hours (checked whole); the visitor is told open now and the next opening on the server clock', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const token = await visitor('away-a');
      const away = async () => (await api(base, '/v1/visitor/away', { headers: asVisitor(token) })).json;
      assert.deepEqual((await away()).hours, { open: true, nextOpening: null, changesAt: null }, 'no hours: always open');
      const refused = await setHours('away-a', { timeZone: 'Europe/Berlin', week: { mon: [{ from: '22:00', to: '06:00' }] } });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.reason, 'invalid_hours');
      assert.match(refused.json.message, /overnight/);
      assert.equal((await setHours('away-a', { timeZone: 'Nowhere/Land', week: {} })).json.reason, 'invalid_hours');
      // An agent who is no admin, and an admin of another app, cannot.
      assert.equal((await setHours('away-a', null, 'away-key-a')).status, 403);
      const set = await setHours('away-a', officeHours('Europe/Berlin'));
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.json.app.hours.week.fri, [{ from: '09:00', to: '12:00' }, { from: '22:00', to: '24:00' }]);
      assert.equal(set.json.app.hours.timeZone, 'Europe/Berlin');
      wall = at('2026-03-27T11:30:00Z'); // Friday 12:30 in Berlin
      assert.deepEqual((await away()).hours, { open: false, nextOpening: '2026-03-27T21:00:00.000Z', changesAt: '2026-03-27T21:00:00.000Z' });
      wall = at('2026-03-28T02:00:00Z'); // Saturday 03:00, the weekend the clocks go forward
      assert.equal((await away()).hours.nextOpening, '2026-03-30T07:00:00.000Z');
      wall = at('2026-03-30T07:00:00Z');
      assert.equal((await away()).hours.open, true);
      // Back to always open.
      assert.equal((await setHours('away-a', null)).json.app.hours, null);
      assert.equal((await away()).hours.open, true);
      assert.equal((await api(base, '/v1/visitor/away', { headers: asVisitor('not-a-token') })).status, 401);
    });

    test('a visitor leaves a follow-up email on its conversation: checked, its own only, shown to its app\'s agents live', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const token = await visitor('away-a');
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      socket.send({ type: 'send', clientId: 'm1', text: 'anyone there?' });
      await socket.waitFor((f) => f.type === 'ack');
      const id = ready.conversationId as string;
      const watcherA = await agentSocket(server!.wsUrl, 'away-key-a');
      const watcherB = await agentSocket(server!.wsUrl, 'away-key-b');
      const leave = (tok: string, conv: string, body: unknown) => api(base, `/v1/visitor/conversations/${conv}/email`, { headers: asVisitor(tok), body });
      for (const email of ['nope', 'a b@example.com', 'x@y', '', 42, `${'a'.repeat(200)}@example.com`]) {
        const r = await leave(token, id, { email });
        assert.equal(r.status, 400, JSON.stringify(email));
        assert.equal(r.json.reason, 'invalid_email');
      }
      const other = await visitor('away-a');
      assert.equal((await leave(other, id, { email: 'evil@example.com' })).status, 404, "another visitor's conversation");
      assert.equal((await leave(await visitor('away-b'), id, { email: 'evil@example.com' })).status, 404);
      assert.equal((await leave(token, 'c_nope', { email: 'ann@example.com' })).status, 404);
      const ok = await leave(token, id, { email: '  ann@example.com ' });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.followUpEmail, 'ann@example.com');
      const pushed = await watcherA.waitFor((f) => f.type === 'conversation' && f.conversation.id === id && f.conversation.followUpEmail === 'ann@example.com');
      assert.equal(pushed.conversation.appid, 'away-a');
      const row = (await api(base, '/v1/agent/conversations?view=open', { headers: agentHeaders('away-key-a') })).json.conversations.find((c: any) => c.id === id);
      assert.equal(row.followUpEmail, 'ann@example.com');
      assert.equal((await api(base, `/v1/visitor/away?conversation=${id}`, { headers: asVisitor(token) })).json.followUpEmail, 'ann@example.com');
      assert.equal((await api(base, `/v1/visitor/away?conversation=${id}`, { headers: asVisitor(other) })).json.followUpEmail, null, 'not told to another visitor');
      // A new conversation of the same visitor: no email on it yet, but the field starts with the one left before.
      const made = await api(base, '/v1/visitor/conversations', { method: 'POST', headers: asVisitor(token), body: {} });
      assert.equal(made.status, 200, made.text);
      assert.notEqual(made.json.conversation.id, id);
      const later = (await api(base, `/v1/visitor/away?conversation=${made.json.conversation.id}`, { headers: asVisitor(token) })).json;
      assert.deepEqual([later.followUpEmail, later.knownEmail], [null, 'ann@example.com']);
      // Never another visitor's: asking with Ann's conversation or with none, another visitor knows no email.
      for (const q of [`?conversation=${id}`, `?conversation=${made.json.conversation.id}`, '']) {
        const theirs = (await api(base, `/v1/visitor/away${q}`, { headers: asVisitor(other) })).json;
        assert.deepEqual([theirs.followUpEmail, theirs.knownEmail], [null, null], q);
      }
      // Ordering sentinel: B's agent gets a change of its own app after A's email would have reached it.
      const b = await visitor('away-b');
      const bSocket = await visitorSocket(server!.wsUrl, b);
      bSocket.socket.send({ type: 'send', clientId: 'b1', text: 'hello B' });
      await watcherB.waitFor((f) => f.type === 'message' && f.message.text === 'hello B');
      assert.equal(watcherB.frames.some((f: any) => JSON.stringify(f).includes('ann@example.com')), false);
      for (const s of [watcherA, watcherB, socket, bSocket.socket]) s.close();
    });

    test('an email left before any message still reaches the agents: the conversation is in the open view', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const token = await visitor('away-a');
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      const open = async () => (await api(base, '/v1/agent/conversations?view=open', { headers: agentHeaders('away-key-a') })).json;
      assert.equal((await open()).conversations.some((c: any) => c.id === id), false, 'an empty conversation is in no view');
      const before = (await open()).counts.open;
      assert.equal((await api(base, `/v1/visitor/conversations/${id}/email`, { headers: asVisitor(token), body: { email: 'quiet@example.com' } })).status, 200);
      const after = await open();
      assert.equal(after.conversations.find((c: any) => c.id === id)?.followUpEmail, 'quiet@example.com');
      assert.equal(after.counts.open, before + 1);
      // Starting a new one from it makes a new conversation (this one is not empty for the team).
      const made = await api(base, '/v1/visitor/conversations', { method: 'POST', headers: asVisitor(token), body: {} });
      assert.notEqual(made.json.conversation.id, id);
      socket.close();
    });

    test('a visitor starts a new conversation: a new row for the agents once it has a message, the old one kept; no empty duplicates', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const token = await visitor('away-a');
      const first = await visitorSocket(server!.wsUrl, token);
      first.socket.send({ type: 'send', clientId: 'old-1', text: 'the first question' });
      await first.socket.waitFor((f) => f.type === 'ack');
      const oldId = first.ready.conversationId as string;
      const start = () => api(base, '/v1/visitor/conversations', { method: 'POST', headers: asVisitor(token), body: {} });
      const made = await start();
      assert.equal(made.status, 200, made.text);
      const newId = made.json.conversation.id as string;
      assert.notEqual(newId, oldId);
      assert.equal(made.json.conversation.lastSeq, 0);
      assert.equal((await start()).json.conversation.id, newId, 'still empty: the same one again');
      assert.equal((await api(base, '/v1/visitor/conversations', { method: 'POST', headers: asVisitor('bad'), body: {} })).status, 401);
      first.socket.close();
      // The panel resumes on the new one; a socket without a conversation id gets the newest too.
      const watcher = await agentSocket(server!.wsUrl, 'away-key-a');
      const second = await visitorSocket(server!.wsUrl, token, { conversationId: newId });
      assert.equal(second.ready.conversationId, newId);
      const third = await visitorSocket(server!.wsUrl, token);
      assert.equal(third.ready.conversationId, newId);
      third.socket.close();
      second.socket.send({ type: 'send', clientId: 'new-1', text: 'a second question' });
      const ack = await second.socket.waitFor((f) => f.type === 'ack');
      assert.deepEqual([ack.message.conversationId, ack.message.seq], [newId, 1]);
      await watcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === newId && f.conversation.lastSeq === 1);
      const rows = (await api(base, '/v1/agent/conversations?view=open', { headers: agentHeaders('away-key-a') })).json.conversations;
      assert.ok(rows.some((c: any) => c.id === newId) && rows.some((c: any) => c.id === oldId), 'two rows');
      const mine = (await api(base, '/v1/visitor/conversations', { headers: asVisitor(token) })).json.conversations.map((c: any) => c.id);
      assert.deepEqual(mine, [newId, oldId], 'newest first');
      // With a message in it, the next start makes another one.
      assert.notEqual((await start()).json.conversation.id, newId);
      watcher.close();
      second.socket.close();
    });
  });
}
