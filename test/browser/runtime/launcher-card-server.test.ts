// Launcher and card surfaces served by the real server: handshake and commands.
import { expect } from '@open-wc/testing';
import { destroyHosts, sleep, TestHost } from '../../helpers/browser/host-harness.js';

for (const surface of ['launcher', 'card'] as const) {
  describe(`${surface} surface against the real server`, () => {
    afterEach(destroyHosts);

    it('connects and answers set_language, set_theme, set_view with their refusals', async () => {
      const host = new TestHost(surface);
      await host.mount({ locale: 'zh-cn', theme: 'dark' });
      await sleep(50);
      expect((await host.command('set_language', { locale: 'de' })).value).to.deep.equal({ locale: 'de' });
      expect((await host.command('set_language', { locale: 'klingon' })).reason).to.equal('unsupported_locale');
      expect((await host.command('set_theme', { theme: 'system' })).ok).to.equal(true);
      expect((await host.command('set_view', { visibility: 'minimized', unreadCount: 2, card: { kind: 'greeting', text: 'Hi' } })).ok).to.equal(true);
      expect((await host.command('set_view', { visibility: 'minimized', unreadCount: 1.5 })).reason).to.equal('invalid_payload');
      const login = await host.command('login', { sbs: 'a', sbs_mm: 'b', ranstr: 'c' });
      expect([login.ok, login.reason]).to.deep.equal([false, 'unsupported_command']);
    });
  });
}
