/**
 * core.js, the legacy snippet's script (one IIFE): defines both elements,
 * installs `window.TWTChatWidget` (replaying the stub's queue), reads the
 * config and boots unless `asyncInit`.
 */
import './define.js';
import { TwtChatWidget } from '../../elements/twt-chat-widget.js';
import { createShim, replayStubQueue, SHIM_MARK, type TWTChatWidgetApi } from './shim.js';
import { fromLegacyConfig, mergeConfig } from './config.js';
import { httpOrigin, own } from '../shared/bridge-protocol.js';

// Captured now: currentScript is only set while core.js first runs.
const script = document.currentScript as HTMLScriptElement | null;

function install() {
  // Own properties only, here as everywhere: a page whose Object.prototype carries `__twt`, `appid`, `asyncInit`…
  // boots with its own config, not with what the prototype supplies.
  const global = (key: string): unknown => (own(window, key) ? (window as unknown as Record<string, unknown>)[key] : undefined);
  const existing = global('TWTChatWidget');
  if (existing && typeof existing === 'object' && own(existing, SHIM_MARK)) {
    console.warn('[twt-chat-widget] core.js is loaded more than once; the first copy runs.');
    return;
  }
  // The registered class may come from another copy (a page builder's ESM build): configure that one.
  const Widget = (customElements.get('twt-chat-widget') ?? TwtChatWidget) as typeof TwtChatWidget;
  let scriptTagVersion = '';
  if (script?.src) {
    const url = new URL(script.src, location.href);
    scriptTagVersion = (url.searchParams.get('version') ?? '').slice(0, 32);
    Widget.defaultServer ||= httpOrigin(url.href);
  }
  Widget.scriptTagVersion ||= scriptTagVersion;
  const readConfig = () => mergeConfig(fromLegacyConfig(global('__twt__config')), global('__twt'));

  const api: TWTChatWidgetApi = createShim({
    scriptTagVersion,
    element() {
      // A <twt-chat-widget> already on the page (a page builder) is reused, never doubled.
      const found = document.querySelector('twt-chat-widget');
      if (found) {
        // A framework may have set `.options` itself (demo/vue.html): never overwrite it.
        if (!found.hasAttribute('appid') && !own(found, 'options')) found.options = readConfig();
        return { el: found, created: false };
      }
      const el = document.createElement('twt-chat-widget');
      el.options = { ...readConfig(), asyncInit: true }; // the shim calls init() itself
      // A child of <html>, beside <body> rather than in it: single-page sites (Turbo Drive) replace <body> on every
      // visit, and a widget in the old body would be destroyed, its conversation and open panel lost. Out of <body>,
      // no body swap reaches it; it stays one widget with the same iframes for the whole visit.
      document.documentElement.append(el);
      return { el, created: true };
    },
  });
  replayStubQueue(existing, api);
  (window as unknown as { TWTChatWidget: unknown }).TWTChatWidget = api;
  // While the page is still parsing, a <twt-chat-widget> placed after the script may not exist yet:
  // boot once the DOM is complete so that element is adopted instead of a second one being created.
  // Without any config nor element (a page builder inserts `<twt-chat-widget appid>` later, and that element
  // boots itself), there is nothing to boot yet: no error, no empty widget. An explicit init() still reports it.
  const boot = () => {
    const c = readConfig();
    if (!(own(c, 'asyncInit') && c.asyncInit === true) && (own(c, 'appid') || document.querySelector('twt-chat-widget'))) api.init();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
  else boot();
}

install();
