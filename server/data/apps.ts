/** The apps and app_domains tables: an app's settings and its trusted domains. */
import type { AppInfo } from '../../src/shared/wire-protocol.js';
import type { Store } from '../db/store.js';
import { publish } from '../events.js';
import type { DataCache } from './cache.js';

export interface AppRow {
  appid: string;
  name: string;
  secret: string;
  greeting: string;
  disabled: boolean;
  domains: string[];
}

export function appInfo(app: AppRow): AppInfo {
  return { appid: app.appid, name: app.name, greeting: app.greeting };
}

export class Apps {
  constructor(
    private readonly store: Store,
    private readonly cache: DataCache,
  ) {}

  /** The app (cached: read on most requests), or null. */
  get(appid: string): Promise<AppRow | null> {
    return this.cache.app(appid, () => this.load(appid));
  }

  private async load(appid: string): Promise<AppRow | null> {
    const rows = await this.store.query<Omit<AppRow, 'domains'>>('SELECT appid, name, secret, greeting, disabled FROM apps WHERE appid = $1', [appid]);
    if (!rows[0]) return null;
    const domains = await this.store.query<{ domain: string }>('SELECT domain FROM app_domains WHERE appid = $1 ORDER BY domain', [appid]);
    return { ...rows[0], domains: domains.map((d) => d.domain) };
  }

  async list(): Promise<AppRow[]> {
    const apps = await this.store.query<Omit<AppRow, 'domains'>>('SELECT appid, name, secret, greeting, disabled FROM apps ORDER BY appid');
    const domains = await this.store.query<{ appid: string; domain: string }>('SELECT appid, domain FROM app_domains ORDER BY domain');
    return apps.map((a) => ({ ...a, domains: domains.filter((d) => d.appid === a.appid).map((d) => d.domain) }));
  }

  /** Creates the app unless it exists; returns whether it was created. */
  async create(app: { appid: string; name: string; secret: string; greeting?: string; domains: string[] }): Promise<boolean> {
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query('INSERT INTO apps (appid, name, secret, greeting) VALUES ($1, $2, $3, $4) ON CONFLICT (appid) DO NOTHING RETURNING appid', [
          app.appid,
          app.name,
          app.secret,
          app.greeting ?? '',
        ]);
        if (!rows.length) return false;
        for (const d of app.domains) await tx.query('INSERT INTO app_domains (appid, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING', [app.appid, d]);
        await publish(tx, { kind: 'app_changed', appid: app.appid });
        return true;
      })
      .finally(() => this.cache.forgetApp(app.appid));
  }

  async setDomains(appid: string, add: string[], remove: string[]): Promise<void> {
    await this.store
      .transaction(async (tx) => {
        for (const d of add) await tx.query('INSERT INTO app_domains (appid, domain) VALUES ($1, $2) ON CONFLICT DO NOTHING', [appid, d]);
        for (const d of remove) await tx.query('DELETE FROM app_domains WHERE appid = $1 AND domain = $2', [appid, d]);
        await publish(tx, { kind: 'app_changed', appid });
      })
      .finally(() => this.cache.forgetApp(appid));
  }

  async setDisabled(appid: string, disabled: boolean): Promise<boolean> {
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query('UPDATE apps SET disabled = $2 WHERE appid = $1 RETURNING appid', [appid, disabled]);
        if (rows.length && disabled) await publish(tx, { kind: 'app_disabled', appid });
        if (rows.length) await publish(tx, { kind: 'app_changed', appid });
        return rows.length > 0;
      })
      .finally(() => this.cache.forgetApp(appid));
  }

  async setSecret(appid: string, secret: string): Promise<boolean> {
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query('UPDATE apps SET secret = $2 WHERE appid = $1 RETURNING appid', [appid, secret]);
        if (rows.length) await publish(tx, { kind: 'app_changed', appid });
        return rows.length > 0;
      })
      .finally(() => this.cache.forgetApp(appid));
  }
}
