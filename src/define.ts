/**
 * Registers `<twt-chat-widget>` and `<twt-launcher>` (the only module with that
 * side effect, besides core.js). Guarded: the snippet is often pasted twice,
 * or a page builder and a snippet both load us, so a second registration never
 * throws; a different version already registered gets a console warning.
 */
import { TwtChatWidget } from '../elements/twt-chat-widget.js';
import { TwtLauncher } from '../elements/twt-launcher.js';
import { SDK_VERSION } from './shim/version.js';
import type { TWTChatWidgetApi } from './shim/shim.js';
import type { LoginTriple, VisitorProfile } from './protocol/wire.js';

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
      console.warn(`[twt-chat-widget] <${tag}> is already defined by version ${seen[tag] ?? 'unknown'}; this copy (${SDK_VERSION}) is not used.`);
    }
  }
}

defineElements();

declare global {
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

/** `window.__twt` (spec: 配置选项): visitor details and the login triple as in the wire protocol, plus `server`, `storage` and `icon`. */
export interface TwtConfig extends VisitorProfile, Partial<LoginTriple> {
  appid: string;
  asyncInit?: boolean;
  language?: string;
  theme?: 'light' | 'dark' | 'system';
  launcher?: 'default' | 'custom';
  zIndex?: number;
  /** Widget origin, when it is not the origin core.js came from (required with a bundler). */
  server?: string;
  /** Where the visitor identity clue is kept first-party. Default `local`. */
  storage?: 'local' | 'cookie' | 'none';
  /** Launcher image instead of our chat icon: an http(s) URL or a base64 data:image URL (also read from `__twt__config.icon`). */
  icon?: string;
}
