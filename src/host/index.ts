/**
 * Side-effect-free exports for bundlers. Register the tags with
 * `import 'twt-chat-widget/define.js'`.
 */
export { TwtChatWidget, LIFECYCLE_EVENTS, type SdkInfo, type WidgetConfigProperties } from '../../elements/twt-chat-widget.js';
export { TwtLauncher } from '../../elements/twt-launcher.js';
export { createShim, replayStubQueue, EVENTS, type TWTChatWidgetApi, type WidgetEventName, type MethodName, type GetterName, type Handler } from './shim.js';
export { resolveConfig, mergeConfig, fromLegacyConfig, type WidgetConfig, type ConfigResult } from './config.js';
export { WidgetError } from './bridge.js';
export { SDK_VERSION } from './version.js';
/** `window.__twt`'s shape; importing it also brings the `Window.TWTChatWidget` / `Window.__twt` declarations. */
export type { TwtConfig, WidgetEventDetails, WidgetEventMap, ConnectionStatus } from './define.js';
