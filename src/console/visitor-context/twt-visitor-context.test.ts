// <twt-visitor-context>: renders a visitor's context as a definition list with headings, marks a verified business
// user, links pages safely (new tab, no opener, no referrer; a non-http(s) URL stays text), moves the current page
// live from `visitor_page` frames (of its visitor only), passes an axe audit and fits 360 px.
import { expect, fixture, html } from '@open-wc/testing';
import './define.js';
import type { TwtVisitorContext } from './twt-visitor-context.js';
import type { VisitorContext } from '../../shared/visitor-context.js';

const base: VisitorContext = {
  visitorUid: 'v_abc',
  appid: 'demo',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  businessUser: { id: 'customer-42', verified: true },
  locale: 'fr',
  browser: 'Chrome 126',
  os: 'macOS',
  timeZone: 'Asia/Tokyo',
  referer: 'javascript:alert(1)',
  firstSeen: '2026-11-30T08:00:00.000Z',
  lastSeen: '2026-11-30T09:01:00.000Z',
  online: true,
  currentPage: { url: 'https://shop.example/mug', title: 'Blue mug', at: '2026-11-30T09:01:00.000Z' },
  visitPages: [
    { url: 'https://shop.example/', title: 'Home', at: '2026-11-30T09:00:00.000Z' },
    { url: 'https://shop.example/mug', title: 'Blue mug', at: '2026-11-30T09:01:00.000Z' },
  ],
};

async function render(context: VisitorContext = base): Promise<TwtVisitorContext> {
  const loads: string[] = [];
  const el = await fixture<TwtVisitorContext>(html`<twt-visitor-context style="width: 360px"></twt-visitor-context>`);
  el.clock = () => new Date('2026-11-30T09:05:00.000Z');
  el.api = { visitorContext: async (uid) => (loads.push(uid), structuredClone(context)) };
  el.visitorUid = context.visitorUid;
  await el.refresh();
  await el.updateComplete;
  return el;
}

const root = (el: TwtVisitorContext) => el.shadowRoot!;
const current = (el: TwtVisitorContext) => root(el).querySelector('[data-current-page] a') as HTMLAnchorElement;

describe('<twt-visitor-context>', () => {
  it('shows the visitor as a definition list, the verified business user and the local time', async () => {
    const el = await render();
    const terms = [...root(el).querySelectorAll('dt')].map((d) => d.textContent);
    expect(terms).to.include.members(['Name', 'Email', 'Business user', 'Locale', 'Browser', 'OS', 'Local time', 'First seen', 'Referer']);
    const dd = (term: string) => [...root(el).querySelectorAll('dt')].find((d) => d.textContent === term)!.nextElementSibling!.textContent!;
    expect(dd('Business user')).to.contain('customer-42').and.contain('verified');
    const tokyo = new Date('2026-11-30T09:05:00.000Z').toLocaleTimeString(undefined, { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });
    expect(dd('Local time')).to.equal(`${tokyo} (Asia/Tokyo)`); // the visitor's clock (18:05 there), not the agent's
    // A referer that is not http(s) is text, never a link.
    expect(dd('Referer')).to.equal('javascript:alert(1)');
    expect(root(el).querySelector('dd a[href^="javascript"]')).to.equal(null);
    expect([...root(el).querySelectorAll('h2, h3')].map((h) => h.textContent)).to.deep.equal(['Visitor', 'Now on', 'This visit']);
  });

  it('shows the follow-up email left on the conversation, and follows it live; none, no row', async () => {
    const el = await render();
    const terms = () => [...root(el).querySelectorAll('dt')].map((d) => d.textContent);
    expect(terms()).to.not.include('Follow-up email');
    el.followUpEmail = 'ann+later@example.com';
    await el.updateComplete;
    const link = [...root(el).querySelectorAll('dt')].find((d) => d.textContent === 'Follow-up email')!.nextElementSibling!.querySelector('a')!;
    expect(link.textContent).to.equal('ann+later@example.com');
    expect(link.getAttribute('href')).to.equal('mailto:ann%2Blater%40example.com');
    el.followUpEmail = null;
    await el.updateComplete;
    expect(terms()).to.not.include('Follow-up email');
  });

  it('links the current page in a new tab without opener or referrer, and lists this visit newest first', async () => {
    const el = await render();
    const a = current(el);
    expect(a.href).to.equal('https://shop.example/mug');
    expect(a.target).to.equal('_blank');
    expect(a.rel).to.equal('noopener noreferrer');
    const items = [...root(el).querySelectorAll('ol li')].map((li) => li.querySelector('a')!.textContent);
    expect(items).to.deep.equal(['Blue mug', 'Home']);
    expect(root(el).querySelector('ol li time')!.getAttribute('datetime')).to.equal('2026-11-30T09:01:00.000Z');
  });

  it('moves the current page live from visitor_page frames of its visitor only; a new title replaces the same page', async () => {
    const el = await render();
    el.handleFrame({ type: 'visitor_page', visitorUid: 'v_other', appid: 'demo', page: { url: 'https://shop.example/secret', title: 'Other', at: '2026-11-30T09:02:00.000Z' } });
    el.handleFrame({ type: 'visitor_page', visitorUid: 'v_abc', appid: 'demo', page: { url: 'https://shop.example/cart', title: 'Cart', at: '2026-11-30T09:03:00.000Z' } });
    await el.updateComplete;
    expect(current(el).textContent).to.equal('Cart');
    el.handleFrame({ type: 'visitor_page', visitorUid: 'v_abc', appid: 'demo', page: { url: 'https://shop.example/cart', title: 'Your cart (2)', at: '2026-11-30T09:03:00.000Z' } });
    // Older than the current page: a frame that crossed a refresh, ignored.
    el.handleFrame({ type: 'visitor_page', visitorUid: 'v_abc', appid: 'demo', page: { url: 'https://shop.example/old', title: 'Old', at: '2026-11-30T08:59:00.000Z' } });
    await el.updateComplete;
    expect(current(el).textContent).to.equal('Your cart (2)');
    expect(el.context!.visitPages.map((p) => p.title)).to.deep.equal(['Home', 'Blue mug', 'Your cart (2)']);
    expect(root(el).textContent).not.to.contain('Other');
  });

  it('says so when nothing is known yet, and shows a load error', async () => {
    const el = await render({ ...base, currentPage: null, visitPages: [] });
    expect(root(el).querySelector('[data-current-page]')!.textContent).to.contain('No page reported');
    el.api = { visitorContext: async () => Promise.reject(new Error('no such visitor')) };
    await el.refresh();
    await el.updateComplete;
    expect(root(el).querySelector('[role="alert"]')!.textContent).to.equal('no such visitor');
  });

  it('fits 360 px without horizontal scrolling, and passes an axe audit', async () => {
    const el = await render({ ...base, currentPage: { ...base.currentPage!, url: 'https://shop.example/' + 'very-long-path/'.repeat(20) } });
    expect(el.getBoundingClientRect().width).to.equal(360);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    await expect(el).to.be.accessible();
  });
});
