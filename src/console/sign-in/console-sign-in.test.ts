import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import type { ConsoleSignIn } from './console-sign-in.js';

/** A unit-test double of the server's answer to POST /v1/console/session. */
function answerSignIn(status: number, body: object, headers: Record<string, string> = {}): () => void {
  const real = window.fetch;
  window.fetch = async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  return () => (window.fetch = real);
}

async function submit(el: ConsoleSignIn, email: string, password: string): Promise<void> {
  const root = el.shadowRoot!;
  (root.getElementById('email') as HTMLInputElement).value = email;
  (root.getElementById('password') as HTMLInputElement).value = password;
  root.querySelector('form')!.requestSubmit();
}

describe('<twt-console-sign-in>', () => {
  it('is accessible: labelled fields, a named button', async () => {
    const el = await fixture<ConsoleSignIn>(html`<twt-console-sign-in></twt-console-sign-in>`);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('label[for="email"]')!.textContent).to.equal('Email');
    expect(el.shadowRoot!.querySelector('label[for="password"]')!.textContent).to.equal('Password');
  });

  it('fires signed-in with the agent the server returns', async () => {
    const agent = { id: 7, name: 'Ada', email: 'ada@example.test', role: 'agent', appid: null, hasAvatar: false };
    const restore = answerSignIn(200, { ok: true, agent });
    try {
      const el = await fixture<ConsoleSignIn>(html`<twt-console-sign-in></twt-console-sign-in>`);
      const fired = oneEvent(el, 'signed-in');
      await submit(el, 'ada@example.test', 'a-good-password');
      expect((await fired).detail).to.deep.equal(agent);
    } finally {
      restore();
    }
  });

  it('announces a wrong password and a throttled account, and stays accessible with the error shown', async () => {
    let restore = answerSignIn(401, { ok: false, reason: 'sign_in_failed', message: 'wrong email or password' });
    try {
      const el = await fixture<ConsoleSignIn>(html`<twt-console-sign-in></twt-console-sign-in>`);
      await submit(el, 'ada@example.test', 'nope-nope-nope');
      await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
      expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Wrong email or password.');
      expect((el.shadowRoot!.getElementById('password') as HTMLInputElement).value).to.equal('');
      expect(el.shadowRoot!.getElementById('password')!.getAttribute('aria-describedby')).to.equal('error');
      await expect(el).to.be.accessible();
      restore();
      restore = answerSignIn(429, { ok: false, reason: 'rate_limited', message: 'too many' }, { 'retry-after': '600' });
      await submit(el, 'ada@example.test', 'nope-nope-nope');
      await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]')?.textContent?.includes('Too many'));
      expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Too many failed sign-ins. Try again in 10 min.');
    } finally {
      restore();
    }
  });
});
