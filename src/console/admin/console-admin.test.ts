import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './define.js';
import type { ConsoleAdmin } from './console-admin.js';
import type { AdminAgent, AdminApp, ConsoleAgent } from '../../shared/agent-accounts.js';

const ME: ConsoleAgent = { id: 1, name: 'Demo Agent', email: 'admin@example.test', role: 'admin', appid: null, hasAvatar: false };
const APPS: AdminApp[] = [{ appid: 'demo', name: 'TWT Demo', greeting: 'Hi!', replyTime: '', secret: 'demo-secret', disabled: false, domains: ['localhost'], previousSecretUntil: null, attachmentMaxBytes: 10485760, attachmentTypes: ['image/png', 'application/pdf'] }];
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
    const real = window.fetch;
    const posted: unknown[] = [];
    const apps = [{ ...APPS[0]!, replyTime: 'minutes' as const }];
    window.fetch = async (input, init) => {
      const path = String(input);
      if (init?.method === 'POST') posted.push(JSON.parse(String(init.body)));
      const body = path.endsWith('/apps') ? { ok: true, apps } : path.endsWith('/agents') ? { ok: true, agents: AGENTS } : { ok: true, app: apps[0] };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    try {
      const el = await fixture<ConsoleAdmin>(html`<twt-console-admin .me=${ME}></twt-console-admin>`);
      const root = el.shadowRoot!;
      (root.querySelectorAll('[role="tab"]')[1] as HTMLButtonElement).click();
      await waitUntil(() => root.querySelector('#rt-demo'));
      const select = root.querySelector<HTMLSelectElement>('#rt-demo')!;
      expect(select.value).to.equal('minutes');
      expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'minutes', 'hours', 'day']);
      select.value = 'hours';
      select.form!.requestSubmit();
      await waitUntil(() => posted.length === 1);
      expect((posted[0] as { replyTime: string }).replyTime).to.equal('hours');
    } finally {
      window.fetch = real;
    }
  });
  it('apps: the attachment limits show the app’s size and types, and save the ones picked', async () => {
    const real = window.fetch;
    const posted: Array<{ attachmentMaxBytes: number; attachmentTypes: string[] }> = [];
    window.fetch = async (input, init) => {
      const path = String(input);
      if (init?.method === 'POST') posted.push(JSON.parse(String(init.body)));
      const body = path.endsWith('/apps') ? { ok: true, apps: APPS } : path.endsWith('/agents') ? { ok: true, agents: AGENTS } : { ok: true, app: APPS[0] };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    try {
      const el = await fixture<ConsoleAdmin>(html`<twt-console-admin .me=${ME}></twt-console-admin>`);
      const root = el.shadowRoot!;
      (root.querySelectorAll('[role="tab"]')[1] as HTMLButtonElement).click();
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
      window.fetch = real;
    }
  });
});
