// <twt-chat-widget> as a lit ReactiveElement: every config field a reactive property with its attribute,
// changes applied live (also while booting), reflected state attributes, typed events, updateComplete.
import { expect } from '@open-wc/testing';
import '../src/host/define.js';
import { W, frame, next, report, until, bootWidget, cleanPage, waitConnected } from '../test/helpers/browser/host-double.js';

describe('<twt-chat-widget> reactive properties', () => {
  afterEach(() => {
    cleanPage();
    localStorage.clear();
  });

  it('declares every config field as a property with its kebab-case attribute and a type', async () => {
    const el = document.createElement('twt-chat-widget');
    el.setAttribute('z-index', '12');
    el.setAttribute('offset-right', '30px');
    el.setAttribute('source-title', 'Shop');
    el.setAttribute('sbs-mm', 'm');
    el.setAttribute('async-init', '');
    expect([el.zIndex, el.offsetRight, el.sourceTitle, el.sbsMm, el.asyncInit]).to.deep.equal([12, 30, 'Shop', 'm', true]);
    el.removeAttribute('z-index');
    expect(el.zIndex).to.equal(undefined);
  });

  it('a theme set right after mount (React state, a settings panel) is applied, not dropped', async () => {
    const el = document.createElement('twt-chat-widget');
    el.setAttribute('server', W);
    el.setAttribute('appid', 'demo');
    const activated = next(el, 'runtime_activated');
    document.body.append(el);
    await el.updateComplete;
    el.theme = 'dark'; // while the bootstrap request is in flight
    el.zIndex = 7;
    await activated;
    expect(el.themeSetting).to.equal('dark');
    expect((await report('panel')).boot!.theme).to.equal('dark');
    expect(getComputedStyle(frame('panel')!).zIndex).to.equal('7');
    // and once booted, live again: theme, language, offsets reach the surfaces or the layout
    await waitConnected('launcher');
    el.theme = 'light';
    el.setAttribute('language', 'de');
    el.offsetBottom = 90;
    await el.updateComplete;
    expect(getComputedStyle(frame('launcher')!).bottom).to.equal('90px');
    await until(async () => {
      const r = await report('panel');
      return r.commands.some((c) => c.name === 'set_theme' && c.payload.theme === 'light') && r.commands.some((c) => c.name === 'set_language' && c.payload.locale === 'de');
    }, 'the panel to get set_theme and set_language');
    expect((await report('launcher')).commands.some((c) => c.name === 'set_language' && c.payload.locale === 'de')).to.be.true;
  });

  it('launcher mode default <-> custom and the icon switch live', async () => {
    const el = await bootWidget();
    el.launcher = 'custom';
    await el.updateComplete;
    expect(frame('launcher')).to.equal(null);
    expect(document.querySelector('twt-launcher')).to.equal(null);
    el.setAttribute('launcher', 'default');
    el.icon = 'https://shop.example/icon.png';
    await el.updateComplete;
    expect(frame('launcher')).to.exist;
    expect((await waitConnected('launcher')).boot!.icon).to.equal('https://shop.example/icon.png');
  });

  it('an API call and a later property change agree (setTheme updates the property)', async () => {
    const el = await bootWidget({ theme: 'light' });
    await el.setTheme('dark');
    expect(el.theme).to.equal('dark');
    el.zIndex = 3; // an unrelated change re-reads every property: the theme stays dark
    await el.updateComplete;
    expect(el.themeSetting).to.equal('dark');
    const themes = (await report('panel')).commands.filter((c) => c.name === 'set_theme').map((c) => c.payload.theme);
    expect(themes).to.deep.equal(['dark']); // sent once
  });

  it('reflects visibility and unread-count as attributes while running', async () => {
    const el = await bootWidget();
    expect(el.getAttribute('visibility')).to.equal('minimized');
    expect(el.getAttribute('unread-count')).to.equal('0');
    await el.maximize();
    expect(el.getAttribute('visibility')).to.equal('maximized');
    const changed = next(el, 'unread_count_changed');
    frame('panel')!.contentWindow!.postMessage({ double: 'emit', name: 'unread_count_changed', payload: { count: 4 } }, W);
    await changed;
    expect(el.matches('[unread-count="4"]')).to.be.true;
    el.destroy();
    expect(el.hasAttribute('visibility') || el.hasAttribute('unread-count')).to.be.false;
  });

  it('typed events: the detail of twt-visibility-changed is known to TypeScript', async () => {
    const el = await bootWidget();
    const seen: string[] = [];
    // Compiles only with the GlobalEventHandlersEventMap entries from src/host/define.ts (the build typechecks tests).
    el.addEventListener('twt-visibility-changed', (e) => seen.push(e.detail.visibility));
    document.addEventListener('twt-unread-count-changed', (e) => seen.push(String(e.detail.count)), { once: true });
    await el.toggle();
    expect(seen).to.deep.equal(['maximized']);
  });
});
