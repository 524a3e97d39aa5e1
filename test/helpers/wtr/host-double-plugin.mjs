// web-test-runner plugin: the host SDK's test double of the widget origin W.
// wtr serves test pages on http://localhost:<port>; requests to the SAME server
// through http://127.0.0.1:<port> are a different origin, which this plugin
// answers like the widget server would:
//   GET  /widget/<surface>.html  -> a fake surface page speaking the bridge protocol
//                                   (test/helpers/browser/fake-surface.ts); launcher-dark.html too,
//                                   the launcher's page a host in the dark theme asks for
//   POST /v1/bootstrap           -> BootstrapResponse / ErrorBody, by appid:
//        refused-*  -> domain_not_whitelisted, broken-* -> not JSON,
//        slow-*     -> answers after 3 s, anything else -> ok
// Only requests addressed to 127.0.0.1 are touched, so other suites are unaffected.
// Command `twt-gc` (executeServerCommand('twt-gc')): a full garbage collection of the
// test page (CDP HeapProfiler.collectGarbage, twice), for tests that check with
// WeakRefs that a destroyed widget is collected.
export function hostDoublePlugin() {
  return {
    name: 'twt-host-double',
    async executeCommand({ command, session }) {
      if (command !== 'twt-gc') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.detach();
      return true;
    },
    async serve(context) {
      if (!context.host.startsWith('127.0.0.1')) return;
      const surface = /^\/widget\/([a-z]+)(?:-dark)?\.html$/.exec(context.path);
      if (surface) {
        return {
          type: 'html',
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${surface[1]} double</title></head><body><script type="module" src="/test/helpers/browser/fake-surface.ts"></script></body></html>`,
        };
      }
      if (context.path === '/v1/bootstrap') {
        const headers = { 'access-control-allow-origin': context.get('origin') || '*', vary: 'Origin', 'cache-control': 'no-store' };
        if (context.method !== 'POST') return { type: 'text', body: '', headers };
        let raw = '';
        for await (const chunk of context.req) raw += chunk;
        let appid = '';
        try {
          appid = String(JSON.parse(raw).appid ?? '');
        } catch {}
        if (appid.startsWith('slow-')) await new Promise((r) => setTimeout(r, 3000));
        if (appid.startsWith('broken-')) return { type: 'text', body: '<html>oops', headers };
        const body = appid.startsWith('refused-')
          ? { ok: false, reason: 'domain_not_whitelisted', message: 'this page is not a trusted domain of the app' }
          : { ok: true, app: { appid, name: 'Double App', greeting: 'Hello from the double' } };
        return { type: 'json', body: JSON.stringify(body), headers };
      }
    },
  };
}
