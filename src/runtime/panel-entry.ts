/**
 * The panel surface's boot (dist/widget/panel-entry-<hash>.js, imported by
 * surface-entry.ts, the page's one script). Boot order: the
 * shell mounts, the handshake completes (handlers registered before the
 * hello), `runtime_mounted`, then the session boots and reports the rest of
 * the lifecycle. The chat UI loads on first maximize (panel-app.ts).
 */
import { Refusal } from './refusal.js';
import { parseLogin } from './surface-commands.js';
import { checkPageView, type PageView } from '../shared/visitor-context.js';
import { TwtPanelApp } from './panel-app.js';
import { PanelSession } from './panel-session.js';
import { startSurface } from './start-surface.js';

if (!customElements.get('twt-panel-app')) customElements.define('twt-panel-app', TwtPanelApp);
const app = document.querySelector('twt-panel-app') as TwtPanelApp;
let session: PanelSession | null = null;
/** A page the host reported before the session existed. */
let page: PageView | undefined;

async function login(payload: unknown): Promise<void> {
  const { triple, profile } = parseLogin(payload);
  if (!session) throw new Refusal('not_ready', 'the panel is still starting');
  await session.relogin(triple, profile); // a refused login rejects with its Refusal: the command's reason and message
}

/** Host command `page_view`: checked here (http(s) only, capped), forwarded by the session. */
function pageView(payload: unknown): void {
  const checked = checkPageView(payload);
  if (typeof checked === 'string') throw new Refusal('invalid_payload', `page_view: ${checked}`);
  page = checked;
  session?.reportPage(checked);
}

/**
 * Config `sound`: a tone for a new agent message while the panel is closed (minimized; not while the site hides the
 * widget). The tone's code loads with the first one, so a panel that never plays one never downloads it. A tone that
 * cannot load or start (offline, no audio output) is skipped: it is a courtesy, the message itself is already shown.
 */
function chime(): void {
  if (!app.view.sound || app.view.visibility !== 'minimized') return;
  import('./tone.js')
    .then((tone) => tone.playTone())
    .catch(() => {});
}

startSurface(app, [
  ['login', login],
  ['page_view', pageView],
])
  .then(({ bridge }) => {
    session = new PanelSession({
      boot: bridge.boot,
      server: location.origin,
      emit: bridge.emit,
      onAgentMessage: chime,
    });
    app.session = session;
    if (page) session.reportPage(page);
    window.addEventListener('pagehide', (e) => {
      // A real unload (not bfcache) ends the session cleanly.
      if (!e.persisted) session?.dispose();
    });
    bridge.emit('runtime_mounted', {});
    return session.start();
  })
  .catch((err: unknown) => console.error('[twt panel]', err));
