// One theme for the whole console: every screen takes the stored choice, follows a change made anywhere at once,
// and reads one palette (light by default, dark for `dark`).
import { expect, fixture, html } from '@open-wc/testing';
import './sign-in/define.js';
import './admin/define.js';
import { setConsoleTheme, storedTheme } from './theme.js';

const bg = (el: Element) => getComputedStyle(el).getPropertyValue('--bg').trim();

describe('console theme', () => {
  afterEach(() => localStorage.removeItem('twt:console-theme'));

  it('a screen opens in the stored choice; a change reaches every open screen; light and dark pass axe', async () => {
    setConsoleTheme('dark');
    const signIn = await fixture(html`<twt-console-sign-in></twt-console-sign-in>`);
    expect(signIn.getAttribute('data-theme')).to.equal('dark', 'the stored choice, not the system’s');
    expect(bg(signIn)).to.equal('#0d1117');
    await expect(signIn).to.be.accessible();
    const admin = await fixture(html`<twt-console-admin></twt-console-admin>`);
    expect(admin.getAttribute('data-theme')).to.equal('dark');
    setConsoleTheme('light');
    expect(storedTheme()).to.equal('light');
    for (const el of [signIn, admin]) {
      expect(el.getAttribute('data-theme')).to.equal('light');
      expect(bg(el)).to.equal('#ffffff');
    }
    await expect(signIn).to.be.accessible();
  });

  it('`system` follows the system: the light palette here unless it is dark', async () => {
    setConsoleTheme('system');
    const el = await fixture(html`<twt-console-sign-in></twt-console-sign-in>`);
    expect(el.getAttribute('data-theme')).to.equal('system');
    expect(bg(el)).to.equal(matchMedia('(prefers-color-scheme: dark)').matches ? '#0d1117' : '#ffffff');
  });
});
