/**
 * What every surface entry does, in order: localization (once), theme
 * tokens, the first paint from the fragment's locale and theme, then the
 * handshake with the host. Returns the bridge once the host connected.
 */
import type { ViewState } from '../shared/bridge-protocol.js';
import { connectSurface, readFragment, type CommandHandler, type SurfaceBridge } from './surface-bridge.js';
import type { HostCommandName } from '../shared/bridge-protocol.js';
import { applyLocale, setupLocalization } from './localization.js';
import { commonHandlers } from './surface-commands.js';
import { installTokens } from './tokens.js';
import { ThemeController } from './theme.js';

export interface SurfaceApp extends HTMLElement {
  bridge: SurfaceBridge | null;
  view: ViewState;
}

export interface StartedSurface {
  bridge: SurfaceBridge;
  theme: ThemeController;
}

export async function startSurface(
  app: SurfaceApp,
  extraHandlers: ReadonlyArray<[HostCommandName, CommandHandler]> = [],
): Promise<StartedSurface> {
  setupLocalization();
  installTokens(document);
  const theme = new ThemeController();
  const fragment = readFragment();
  theme.set(fragment?.theme ?? 'light');
  const firstLocale = applyLocale(fragment?.locale ?? 'en');

  const handlers = commonHandlers(theme, (view) => {
    app.view = view;
  });
  for (const [name, handler] of extraHandlers) handlers.set(name, handler);

  const bridge = await connectSurface({ handlers });
  theme.set(bridge.boot.theme ?? 'light');
  await firstLocale;
  if (bridge.boot.locale !== fragment?.locale) await applyLocale(bridge.boot.locale);
  app.view = { ...app.view, visibility: bridge.boot.visibility ?? 'minimized', fullScreen: bridge.boot.fullScreen === true };
  app.bridge = bridge;
  return { bridge, theme };
}
