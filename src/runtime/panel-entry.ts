/**
 * Entry of the panel surface page (dist/widget/panel-<hash>.js). Boot order: the
 * shell mounts, the handshake completes (handlers registered before the
 * hello), `runtime_mounted`, then the session boots and reports the rest of
 * the lifecycle. The chat UI loads on first maximize (panel-app.ts).
 */
import type { LoginTriple, VisitorProfile } from '../shared/wire-protocol.js';
import { CommandRefusal, payloadObject } from './surface-bridge.js';
import { TwtPanelApp } from './panel-app.js';
import { PanelSession } from './panel-session.js';
import { SessionError } from './session.js';
import { startSurface } from './start-surface.js';

if (!customElements.get('twt-panel-app')) customElements.define('twt-panel-app', TwtPanelApp);
const app = document.querySelector('twt-panel-app') as TwtPanelApp;
let session: PanelSession | null = null;

const PROFILE_FIELDS = ['name', 'nickname', 'email', 'phone', 'referer', 'source_title'] as const;

async function login(payload: unknown): Promise<void> {
  const p = payloadObject('login', payload) as Record<string, unknown>;
  const triple: Partial<LoginTriple> = {};
  for (const k of ['sbs', 'sbs_mm', 'ranstr'] as const) {
    const v = p[k];
    if (typeof v !== 'string' || !v.trim()) throw new CommandRefusal('login_failed', 'login needs sbs, sbs_mm and ranstr');
    triple[k] = v;
  }
  const profile: VisitorProfile = {};
  for (const k of PROFILE_FIELDS) if (typeof p[k] === 'string') profile[k] = (p[k] as string).slice(0, 200);
  if (!session) throw new CommandRefusal('not_ready', 'the panel is still starting');
  try {
    await session.relogin(triple as LoginTriple, profile);
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
