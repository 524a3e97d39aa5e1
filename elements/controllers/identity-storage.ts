import type { IdentityClue } from '../../src/shared/wire-protocol.js';
import type { StorageMode } from '../../src/host/config.js';
import { readIdentity, writeIdentity } from '../../src/host/identity-storage.js';

/**
 * The visitor's first-party identity clue (see src/host/identity-storage.ts) for the widget's app and
 * storage mode, bound by `use()` when the widget boots and whenever the page changes `storage`
 * (a visitor withdrawing consent: `none` stops every write at once). Not registered with the host
 * as a reactive controller: it holds no listener or timer, so the host's connection and removal
 * have nothing to start or undo (a moved widget keeps it), and core.js carries no hooks for it.
 */
export class IdentityStorageController {
  private _app?: { appid: string; mode: StorageMode };

  use(appid: string, mode: StorageMode): void {
    this._app = { appid, mode };
  }

  read(): IdentityClue | undefined {
    return this._app && readIdentity(this._app.appid, this._app.mode);
  }

  write(clue: IdentityClue): void {
    if (this._app) writeIdentity(this._app.appid, clue, this._app.mode);
  }
}
