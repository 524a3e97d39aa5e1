/** The launcher surface's boot, run by the page's one script (surface-entry.ts) without a request of its own. */
import { TwtLauncherApp } from './launcher-app.js';
import { startSurface } from './start-surface.js';
import { isIconUrl } from '../shared/bridge-protocol.js';

export function startLauncher(): void {
  if (!customElements.get('twt-launcher-app')) customElements.define('twt-launcher-app', TwtLauncherApp);
  const app = document.querySelector('twt-launcher-app') as TwtLauncherApp;
  startSurface(app)
    .then(({ bridge }) => {
      if (isIconUrl(bridge.boot.icon)) app.icon = bridge.boot.icon;
      bridge.emit('launcher_drawn', {});
    })
    .catch((err: unknown) => console.error('[twt launcher]', err));
}
