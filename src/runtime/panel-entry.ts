/**
 * Entry of the panel surface page (dist/widget/panel-<hash>.js). Boot order: the
 * shell mounts, the handshake completes (handlers registered before the
 * hello), `runtime_mounted`, then the session boots and reports the rest of
 * the lifecycle. The chat UI loads on first maximize (panel-app.ts).
 */
import { CommandRefusal } from './surface-bridge.js';
import { parseLogin } from './surface-commands.js';
import { TwtPanelApp } from './panel-app.js';
import { PanelSession } from './panel-session.js';
import { SessionError } from './session.js';
import { startSurface } from './start-surface.js';

if (!customElements.get('twt-panel-app')) customElements.define('twt-panel-app', TwtPanelApp);
const app = document.querySelector('twt-panel-app') as TwtPanelApp;
let session: PanelSession | null = null;

async function login(payload: unknown): Promise<void> {
  const { triple, profile } = parseLogin(payload);
  if (!session) throw new CommandRefusal('not_ready', 'the panel is still starting');
  try {
    await session.relogin(triple, profile);
  } catch (err) {
    if (err instanceof SessionError) throw new CommandRefusal(err.reason === 'login_failed' ? 'login_failed' : err.reason, err.message);
    throw err;
  }
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
