/** The marketing card surface's boot (dist/widget/card-entry-<hash>.js, imported by surface-entry.ts). */
import { TwtCardApp } from './card-app.js';
import { startSurface } from './start-surface.js';

if (!customElements.get('twt-card-app')) customElements.define('twt-card-app', TwtCardApp);
const app = document.querySelector('twt-card-app') as TwtCardApp;
startSurface(app).catch((err: unknown) => console.error('[twt card]', err));
