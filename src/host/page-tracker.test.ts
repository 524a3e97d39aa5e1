// The host's page tracker (config `trackPages`): the initial page, then History API navigations (pushState,
// replaceState, popstate, hashchange) or the Navigation API's, with the query and fragment dropped unless kept,
// identical reports dropped, floods reduced to their latest page. "Nothing was reported" is judged against an
// ordering sentinel: a later, different navigation is the next report.
import { expect } from '@open-wc/testing';
import { trackPages } from './page-tracker.js';
import { resolveConfig } from './config.js';
import { until } from '../../test/helpers/wait.js';
import type { PageView } from '../shared/visitor-context.js';

const start = location.pathname + location.search;
const here = (path: string) => location.origin + path;

/** A tracker and what it reported. */
function track(keepQuery = false, nav?: null) {
  const reports: PageView[] = [];
  const stop = nav === null ? trackPages((p) => reports.push(p), keepQuery, null) : trackPages((p) => reports.push(p), keepQuery);
  const next = (n: number): Promise<PageView> => until(() => reports[n - 1], `report ${n}`);
  return { reports, stop, next };
}

describe('page tracker', () => {
  // A router (Turbo, a framework) that wrapped the History API before us: it keeps working, and is called once.
  const routerCalls: string[] = [];
  before(() => {
    const push = history.pushState;
    history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
      routerCalls.push(String(args[2]));
      return push.apply(this, args);
    };
  });
  afterEach(() => history.replaceState(null, '', start));

  it('History API path: reports the initial page, then pushState, replaceState and popstate; the query and fragment are dropped here', async () => {
    const t = track(false, null);
    expect((await t.next(1)).url).to.equal(here(location.pathname));
    history.pushState(null, '', '/shop/a?coupon=SECRET#top');
    document.title = 'Product A'; // a router sets the title after pushState, in the same task
    expect(await t.next(2)).to.deep.equal({ url: here('/shop/a'), title: 'Product A' });
    expect(routerCalls).to.deep.equal(['/shop/a?coupon=SECRET#top']); // the router's wrapper ran, once
    history.replaceState(null, '', '/shop/b?x=1');
    expect((await t.next(3)).url).to.equal(here('/shop/b'));
    const popped = new Promise((r) => addEventListener('popstate', r, { once: true }));
    history.back(); // to the first entry (/shop/b replaced /shop/a)
    await popped;
    expect((await t.next(4)).url).to.equal(here(start.split('?')[0]!));
    t.stop();
  });

  it('History API path with trackPageQuery: the query and hashchange fragments are kept', async () => {
    history.replaceState(null, '', '/list?page=2');
    const t = track(true, null);
    expect((await t.next(1)).url).to.equal(here('/list?page=2'));
    location.hash = 'item-7';
    expect((await t.next(2)).url).to.equal(here('/list?page=2#item-7'));
    t.stop();
  });

  it('patches the History API once, however many trackers run', async () => {
    const a = track(false, null);
    const b = track(false, null);
    await a.next(1);
    await b.next(1);
    const before = routerCalls.length;
    history.pushState(null, '', '/once');
    await a.next(2);
    await b.next(2);
    expect(routerCalls.length - before).to.equal(1);
    expect(a.reports.map((r) => r.url)).to.deep.equal(b.reports.map((r) => r.url));
    a.stop();
    b.stop();
  });

  it('Navigation API path (where present): pushState, replaceState and fragments are heard without the History patch', async function () {
    if (!('navigation' in window)) this.skip();
    const t = track();
    await t.next(1);
    history.pushState(null, '', '/nav/one');
    expect((await t.next(2)).url).to.equal(here('/nav/one'));
    history.replaceState(null, '', '/nav/two');
    expect((await t.next(3)).url).to.equal(here('/nav/two'));
    t.stop();
    const k = track(true);
    await k.next(1);
    location.hash = 'frag';
    expect((await k.next(2)).url).to.equal(here('/nav/two#frag'));
    k.stop();
  });

  it('drops identical consecutive reports and reduces a flood to its latest page', async () => {
    const t = track(false, null);
    await t.next(1);
    history.pushState(null, '', location.pathname + '?only=query'); // the same page once the query is dropped
    history.pushState(null, '', location.pathname + '#frag');
    for (let i = 0; i < 200; i++) history.replaceState(null, '', `/flood/${i}`);
    // The sentinel: the next report is the flood's last page, nothing before it.
    expect((await t.next(2)).url).to.equal(here('/flood/199'));
    history.pushState(null, '', '/after');
    expect((await t.next(3)).url).to.equal(here('/after'));
    expect(t.reports.map((r) => r.url)).to.deep.equal([here(start.split('?')[0]!), here('/flood/199'), here('/after')]);
    t.stop();
  });

  it('reports nothing once stopped (a tracker started after it is the sentinel)', async () => {
    const t = track(false, null);
    await t.next(1);
    t.stop();
    history.pushState(null, '', '/stopped');
    const sentinel = track(false, null);
    expect((await sentinel.next(1)).url).to.equal(here('/stopped'));
    sentinel.stop();
    expect(t.reports.length).to.equal(1);
  });

  it('config: trackPages is on unless false (the attribute takes "false"); trackPageQuery is off unless set', () => {
    const env = { href: 'https://shop.example/', title: '' };
    const c = (o: object) => resolveConfig([{ appid: 'demo', ...o }], env).config;
    expect(c({})).to.deep.include({ trackPages: true, trackPageQuery: false });
    expect(c({ trackPages: false })).to.deep.include({ trackPages: false });
    expect(c({ trackPages: 'false' })).to.deep.include({ trackPages: false });
    expect(c({ trackPages: '' })).to.deep.include({ trackPages: true });
    expect(c({ trackPageQuery: true })).to.deep.include({ trackPageQuery: true });
    const bad = resolveConfig([{ appid: 'demo', trackPages: 'nope' }], env);
    expect(bad.config.trackPages).to.equal(true);
    expect(bad.warnings[0]).to.contain('trackPages must be a boolean');
  });
});
