/**
 * The one entry script of every surface page (dist/widget/surface-<hash>.js).
 * The launcher and the panel load at boot in two frames of one origin: with
 * one script for both, the panel takes it from the HTTP cache the launcher
 * filled, and the launcher's boot (the bridge, localization, its plain
 * element) is in it, so the launcher is live after two requests (its page and
 * this; the page alone paints it). The panel's runtime (session, socket) and the card are chunks of
 * their own, imported by the page that holds their element.
 */
import { startLauncher } from './launcher-entry.js';

if (document.querySelector('twt-panel-app')) void import('./panel-entry.js');
else if (document.querySelector('twt-card-app')) void import('./card-entry.js');
else startLauncher();
