/**
 * Registers `<twt-chat-widget>` and `<twt-launcher>` (the only module with that
 * side effect, besides core.js). Guarded: the snippet is often pasted twice,
 * or a page builder and a snippet both load us, so a second registration never
 * throws; a different version already registered gets a console warning.
 */
import { TwtChatWidget } from '../../elements/twt-chat-widget.js';
import { TwtLauncher } from '../../elements/twt-launcher.js';
import { SDK_VERSION } from './version.js';
import type { TWTChatWidgetApi } from './shim.js';
import type { BootstrapFailedPayload } from '../shared/wire-protocol.js';
import type { ConfigObject } from '../shared/config-fields.js';
import type { DomEventName, EventPayload, WidgetEventName } from '../shared/bridge-protocol.js';

const VERSIONS = Symbol.for('twt-chat-widget.versions');

export function defineElements(): void {
  const registry = window as unknown as Record<symbol, Record<string, string> | undefined>;
  const seen = (registry[VERSIONS] ??= {});
  for (const [tag, ctor] of [
    ['twt-chat-widget', TwtChatWidget],
    ['twt-launcher', TwtLauncher],
  ] as const) {
    if (!customElements.get(tag)) {
      customElements.define(tag, ctor);
      seen[tag] = SDK_VERSION;
    } else if (seen[tag] !== SDK_VERSION) {
      console.warn(`[twt-chat-widget] <${tag}> ${seen[tag] ?? '?'} is already defined; this copy (${SDK_VERSION}) is unused.`);
    }
  }
}

// Registration needs a browser: importing this module during server-side rendering (Next.js, Nuxt, Astro) is a no-op.
if (typeof window !== 'undefined' && typeof customElements !== 'undefined') defineElements();

/**
 * The `detail` of each `twt-…` event of `<twt-chat-widget>` (undefined for events without one), from the one
 * event table (src/shared/bridge-protocol.ts). `bootstrap_failed` carries the wire protocol's payload.
 */
export type WidgetEventDetails = {
  [K in WidgetEventName as DomEventName<K>]: K extends 'bootstrap_failed' ? BootstrapFailedPayload : EventPayload<K>;
};
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';
/** Typed `addEventListener('twt-visibility-changed', (e) => e.detail.visibility)` on the element, document and window. */
export type WidgetEventMap = { [K in keyof WidgetEventDetails]: CustomEvent<WidgetEventDetails[K]> };

declare global {
  // The events bubble and are composed: typed wherever a listener may sit.
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalEventHandlersEventMap extends WidgetEventMap {}
  interface HTMLElementTagNameMap {
    'twt-chat-widget': TwtChatWidget;
    'twt-launcher': TwtLauncher;
  }
  interface Window {
    /** The public API (the snippet's stub until core.js has run). */
    TWTChatWidget: TWTChatWidgetApi;
    /** Widget config, read when init() runs. */
    __twt?: TwtConfig;
    /** Older config shape, still read: `lang` = language, `icon`, `position: {right, bottom}`. `__twt` wins. */
    __twt__config?: { appid?: string; lang?: string; icon?: string; position?: { right?: number; bottom?: number }; [key: string]: unknown };
  }
}

/**
 * `window.__twt` (spec: 配置选项): every option of the one option table (src/shared/config-fields.ts), typed and
 * described from it: visitor details and the login triple as in the wire protocol, plus `server`, `storage`, `icon`…
 */
export type TwtConfig = ConfigObject & { appid: string };
