/**
 * The panel surface's boot (dist/widget/panel-entry-<hash>.js, imported by
 * surface-entry.ts, the page's one script). Boot order: the
 * shell mounts, the handshake completes (handlers registered before the
 * hello), `runtime_mounted`, then the session boots and reports the rest of
 * the lifecycle. The chat UI loads on first maximize (panel-app.ts).
 */
import { Refusal } from './refusal.js';
import { parseLogin } from './surface-commands.js';
import { TwtPanelApp } from './panel-app.js';
import { PanelSession } from './panel-session.js';
import { startSurface } from './start-surface.js';

if (!customElements.get('twt-panel-app')) customElements.define('twt-panel-app', TwtPanelApp);
const app = document.querySelector('twt-panel-app') as TwtPanelApp;
let session: PanelSession | null = null;

async function login(payload: unknown): Promise<void> {
  const { triple, profile } = parseLogin(payload);
  if (!session) throw new Refusal('not_ready', 'the panel is still starting');
  await session.relogin(triple, profile); // a refused login rejects with its Refusal: the command's reason and message
}

startSurface(app, [['login', login]])
  .then(({ bridge }) => {
    session = new PanelSession({ boot: bridge.boot, server: location.origin, emit: bridge.emit });
    app.session = session;
    window.addEventListener('pagehide', (e) => {
      // A real unload (not bfcache) ends the session cleanly.
      if (!e.persisted) session?.dispose();
    });
    bridge.emit('runtime_mounted', {});
    return session.start();
  })
  .catch((err: unknown) => console.error('[twt panel]', err));
