import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { ConsoleAdmin } from './console-admin.js';
import type { AdminAgent, AdminApp, ConsoleAgent } from '../../shared/agent-accounts.js';

const ME: ConsoleAgent = { id: 1, name: 'Demo Agent', email: 'admin@example.test', role: 'admin', appid: null, hasAvatar: false };
const APPS: AdminApp[] = [{ appid: 'demo', name: 'TWT Demo', greeting: 'Hi!', replyTime: '', hours: null, secret: 'demo-secret', disabled: false, domains: ['localhost'], previousSecretUntil: null, attachmentMaxBytes: 10485760, attachmentTypes: ['image/png', 'application/pdf'] }];
const AGENTS: AdminAgent[] = [
  { ...ME, deactivatedAt: null, createdAt: '2026-11-30T10:00:00.000Z' },
  { id: 2, name: 'Ada', email: 'ada@example.test', role: 'agent', appid: 'demo', hasAvatar: false, deactivatedAt: null, createdAt: '2026-11-30T11:00:00.000Z' },
  { id: 3, name: 'Gone', email: 'gone@example.test', role: 'agent', appid: null, hasAvatar: false, deactivatedAt: '2026-11-30T12:00:00.000Z', createdAt: '2026-11-30T09:00:00.000Z' },
];

/** A unit-test double of the admin API's GET answers. */
function answerAdminApi(): () => void {
  const real = window.fetch;
  window.fetch = async (input) => {
    const path = String(input);
    const body = path.endsWith('/apps') ? { ok: true, apps: APPS } : path.endsWith('/agents') ? { ok: true, agents: AGENTS } : { ok: true, keys: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return () => (window.fetch = real);
}

/** The admin element on its Apps tab, over an admin API double that lists `apps` and records each POST body; `restore()` puts fetch back. */
async function appsTab(apps: AdminApp[]) {
  const real = window.fetch;
  const posted: any[] = [];
  window.fetch = async (input, init) => {
    const path = String(input);
    if (init?.method === 'POST') posted.push(JSON.parse(String(init.body)));
    const body = path.endsWith('/apps') ? { ok: true, apps } : path.endsWith('/agents') ? { ok: true, agents: AGENTS } : { ok: true, app: apps[0] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const restore = () => void (window.fetch = real);
  try {
    const el = await fixture<ConsoleAdmin>(html`<twt-console-admin .me=${ME}></twt-console-admin>`);
    const root = el.shadowRoot!;
    (root.querySelectorAll('[role="tab"]')[1] as HTMLButtonElement).click();
    return { el, root, posted, restore };
  } catch (e) {
    restore();
    throw e;
  }
}

describe('<twt-console-admin>', () => {
  it('lists agents (no deactivate button on oneself or the deactivated) and apps; both tabs pass an axe audit', async () => {
    const restore = answerAdminApi();
    try {
      const el = await fixture<ConsoleAdmin>(html`<twt-console-admin .me=${ME}></twt-console-admin>`);
      const root = el.shadowRoot!;
      await waitUntil(() => root.querySelectorAll('ul[aria-label="Agents"] > li').length === 3);
      const buttons = (name: string) => [...root.querySelectorAll(`li[aria-label="${name}"] button`)].map((b) => b.textContent!.trim());
      expect(buttons('Demo Agent')).to.not.include('Deactivate');
      expect(buttons('Ada')).to.include('Deactivate');
      expect(buttons('Gone')).to.deep.equal([]);
      await expect(el).to.be.accessible();
      (root.querySelectorAll('[role="tab"]')[1] as HTMLButtonElement).click();
      await waitUntil(() => root.querySelector('ul[aria-label="Apps"] > li'));
      await expect(el).to.be.accessible();
    } finally {
      restore();
    }
  });

  it("apps: the 'Usually replies' choice shows the app's reply time and saves the one picked", async () => {
    const { root, posted, restore } = await appsTab([{ ...APPS[0]!, replyTime: 'minutes' as const }]);
    try {
      await waitUntil(() => root.querySelector('#rt-demo'));
      const select = root.querySelector<HTMLSelectElement>('#rt-demo')!;
      expect(select.value).to.equal('minutes');
      expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'minutes', 'hours', 'day']);
      select.value = 'hours';
      select.form!.requestSubmit();
      await waitUntil(() => posted.length === 1);
      expect((posted[0] as { replyTime: string }).replyTime).to.equal('hours');
    } finally {
      restore();
    }
  });

  it('agents: an admin renames an agent and changes its role; the last-admin refusal is shown; own changes reach the console; axe', async () => {
    const real = window.fetch;
    const posted: Array<{ path: string; body: { name?: string; role?: string } }> = [];
    let agents = AGENTS;
    window.fetch = async (input, init) => {
      const path = String(input);
      const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (init?.method === 'POST') {
        const body = JSON.parse(String(init.body));
        posted.push({ path, body });
        if (path.endsWith('/agents/1') && body.role === 'agent') return answer(409, { ok: false, reason: 'last_admin', message: 'Demo Agent is the last active admin of every app: make another one admin first' });
        const id = Number(path.split('/').at(-1));
        agents = agents.map((a) => (a.id === id ? { ...a, ...body } : a));
        return answer(200, { ok: true, agent: agents.find((a) => a.id === id) });
      }
      return answer(200, path.endsWith('/apps') ? { ok: true, apps: APPS } : path.endsWith('/agents') ? { ok: true, agents } : { ok: true, keys: [] });
    };
    try {
      const el = await fixture<ConsoleAdmin>(html`<twt-console-admin .me=${ME}></twt-console-admin>`);
      const root = el.shadowRoot!;
      await waitUntil(() => root.querySelector('#an-2'));
      expect(root.querySelector('#an-3'), 'a deactivated agent is not edited').to.equal(null);
      await expect(el).to.be.accessible();
      // Ada: renamed and made an admin.
      root.querySelector<HTMLInputElement>('#an-2')!.value = 'Ada Lovelace';
      root.querySelector<HTMLSelectElement>('#ar-2')!.value = 'admin';
      root.querySelector<HTMLInputElement>('#an-2')!.form!.requestSubmit();
      await waitUntil(() => root.querySelector('li[aria-label="Ada Lovelace"]'));
      expect(posted[0]).to.deep.equal({ path: '/v1/agent/admin/agents/2', body: { name: 'Ada Lovelace', role: 'admin' } });
      expect(root.querySelector('li[aria-label="Ada Lovelace"] .pill')!.textContent).to.equal('Admin');
      expect(root.querySelector('[role="status"]')!.textContent).to.contain('Ada Lovelace saved.');
      // Demoting oneself, the last admin: the server's reason is shown, nothing changes.
      root.querySelector<HTMLSelectElement>('#ar-1')!.value = 'agent';
      root.querySelector<HTMLSelectElement>('#ar-1')!.form!.requestSubmit();
      await waitUntil(() => root.querySelector('[role="alert"]'));
      expect(root.querySelector('[role="alert"]')!.textContent).to.contain('last active admin');
      await expect(el).to.be.accessible();
      // Renaming oneself: the console is told (me-changed), so the inbox and header follow.
      const changed = new Promise<CustomEvent<ConsoleAgent>>((resolve) => el.addEventListener('me-changed', (e) => resolve(e as CustomEvent<ConsoleAgent>), { once: true }));
      root.querySelector<HTMLSelectElement>('#ar-1')!.value = 'admin';
      root.querySelector<HTMLInputElement>('#an-1')!.value = 'Demo Admin';
      root.querySelector<HTMLInputElement>('#an-1')!.form!.requestSubmit();
      const e = await changed;
      expect([e.detail.id, e.detail.name, e.detail.role]).to.deep.equal([1, 'Demo Admin', 'admin']);
      expect(e.detail).to.not.have.property('deactivatedAt');
    } finally {
      window.fetch = real;
    }
  });

  it('apps: business hours are edited per weekday and saved as the API takes them; a wrong day says what is wrong and sends nothing', async () => {
    const { el, root, posted, restore } = await appsTab([{ ...APPS[0]!, hours: { timeZone: 'Europe/Berlin', week: { mon: [{ from: '09:00', to: '17:00' }], tue: [], wed: [], thu: [], fri: [{ from: '22:00', to: '24:00' }], sat: [{ from: '00:00', to: '02:00' }], sun: [] } } }]);
    try {
      await waitUntil(() => root.querySelector('#tz-demo'));
      const input = (id: string) => root.querySelector<HTMLInputElement>(`#${id}-demo`)!;
      expect(input('tz').value).to.equal('Europe/Berlin');
      expect(input('mon').value).to.equal('09:00-17:00');
      expect(input('fri').value).to.equal('22:00-24:00');
      expect(input('always').checked).to.equal(false);
      await expect(el).to.be.accessible();
      // Overnight in one interval is refused with the hint, before any request.
      input('tue').value = '22:00-02:00';
      input('tue').form!.requestSubmit();
      await waitUntil(() => root.querySelector('[role="alert"]'));
      expect(root.querySelector('[role="alert"]')!.textContent).to.include('Tuesday').and.include('24:00');
      expect(posted).to.have.length(0);
      input('tue').value = '13:00-17:30, 09:00-12:00';
      input('tue').form!.requestSubmit();
      await waitUntil(() => posted.length === 1);
      expect(posted[0].hours.timeZone).to.equal('Europe/Berlin');
      expect(posted[0].hours.week.tue).to.deep.equal([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:30' }]);
      expect(posted[0].hours.week.sat).to.deep.equal([{ from: '00:00', to: '02:00' }]);
      // Always open: null.
      input('always').checked = true;
      input('always').form!.requestSubmit();
      await waitUntil(() => posted.length === 2);
      expect(posted[1]).to.deep.equal({ hours: null });
    } finally {
      restore();
    }
  });

  it('apps: the attachment limits show the app’s size and types, and save the ones picked', async () => {
    const { el, root, posted, restore } = await appsTab(APPS);
    try {
      await waitUntil(() => root.querySelector('#mb-demo'));
      const mb = root.querySelector<HTMLInputElement>('#mb-demo')!;
      expect(mb.value).to.equal('10');
      const boxes = [...mb.form!.querySelectorAll<HTMLInputElement>('input[name="types"]')];
      expect(boxes.filter((b) => b.checked).map((b) => b.value)).to.deep.equal(['image/png', 'application/pdf']);
      mb.value = '2.5';
      boxes.find((b) => b.value === 'text/plain')!.checked = true;
      boxes.find((b) => b.value === 'image/png')!.checked = false;
      mb.form!.requestSubmit();
      await waitUntil(() => posted.length === 1);
      expect(posted[0]!.attachmentMaxBytes).to.equal(2.5 * 1024 * 1024);
      expect(posted[0]!.attachmentTypes).to.deep.equal(['application/pdf', 'text/plain']);
      await expect(el).to.be.accessible();
    } finally {
      restore();
    }
  });
});
