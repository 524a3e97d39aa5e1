/** The apps and app_domains tables: an app's settings and its trusted domains. */
import type { AppInfo, ReplyTime } from '../../src/shared/wire-protocol.js';
import type { BusinessHours } from '../../src/shared/business-hours.js';
import type { AttachmentType } from '../../src/shared/attachments.js';
import type { Store } from '../db/store.js';
import { publish } from '../events.js';
import type { DataCache } from './cache.js';

export interface AppRow {
  appid: string;
  name: string;
  secret: string;
  greeting: string;
  /** A REPLY_TIMES value, or '' when not said. */
  reply_time: ReplyTime | '';
  /** Business hours (time zone and weekly schedule), or null: always open (server/business-hours.ts). */
  hours: BusinessHours | null;
  disabled: boolean;
  /** Attachments: the largest file (bytes) and the types accepted (see src/shared/attachments.ts). */
  attachment_max_bytes: number;
  attachment_types: AttachmentType[];
  domains: string[];
  /** The secret before the last rotation, still accepted for logins until `previousSecretUntil` (ms since epoch). */
  previousSecret: string | null;
  previousSecretUntil: number | null;
}

/** The app's secrets a login may be signed with at `nowMs`: the current one, and the previous one during its grace period. */
export function loginSecrets(app: AppRow, nowMs: number): string[] {
  return app.previousSecret && app.previousSecretUntil !== null && nowMs < app.previousSecretUntil ? [app.secret, app.previousSecret] : [app.secret];
}

type AppColumns = Omit<AppRow, 'domains' | 'previousSecret' | 'previousSecretUntil' | 'hours'> & {
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  business_hours: string | null;
};
const APP_COLUMNS = 'appid, name, secret, greeting, reply_time, business_hours, disabled, attachment_max_bytes, attachment_types, previous_secret, previous_secret_until';
const fromRow = ({ previous_secret, previous_secret_until, business_hours, ...r }: AppColumns, domains: string[]): AppRow => ({
  ...r,
  // Written only by setHours(), after checkBusinessHours.
  hours: business_hours === null ? null : (JSON.parse(business_hours) as BusinessHours),
  attachment_max_bytes: Number(r.attachment_max_bytes),
  domains,
  previousSecret: previous_secret,
  previousSecretUntil: previous_secret_until === null ? null : new Date(previous_secret_until).getTime(),
});

export function appInfo(app: AppRow): AppInfo {
  return { appid: app.appid, name: app.name, greeting: app.greeting, ...(app.reply_time ? { replyTime: app.reply_time } : {}) };
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
    const rows = await this.store.query<AppColumns>(`SELECT ${APP_COLUMNS} FROM apps WHERE appid = $1`, [appid]);
    if (!rows[0]) return null;
    const domains = await this.store.query<{ domain: string }>('SELECT domain FROM app_domains WHERE appid = $1 ORDER BY domain', [appid]);
    return fromRow(rows[0], domains.map((d) => d.domain));
  }

  async list(): Promise<AppRow[]> {
    const apps = await this.store.query<AppColumns>(`SELECT ${APP_COLUMNS} FROM apps ORDER BY appid`);
    const domains = await this.store.query<{ appid: string; domain: string }>('SELECT appid, domain FROM app_domains ORDER BY domain');
    return apps.map((a) => fromRow(a, domains.filter((d) => d.appid === a.appid).map((d) => d.domain)));
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

  /** Name, greeting, reply time and attachment limits (each left as is when undefined). */
  async update(appid: string, change: { name?: string; greeting?: string; replyTime?: ReplyTime | ''; attachmentMaxBytes?: number; attachmentTypes?: AttachmentType[] }): Promise<boolean> {
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE apps SET name = COALESCE($2, name), greeting = COALESCE($3, greeting), reply_time = COALESCE($4, reply_time),
             attachment_max_bytes = COALESCE($5::int, attachment_max_bytes), attachment_types = COALESCE($6::text[], attachment_types) WHERE appid = $1 RETURNING appid`,
          [appid, change.name ?? null, change.greeting ?? null, change.replyTime ?? null, change.attachmentMaxBytes ?? null, change.attachmentTypes ?? null],
        );
        if (rows.length) await publish(tx, { kind: 'app_changed', appid });
        return rows.length > 0;
      })
      .finally(() => this.cache.forgetApp(appid));
  }

  /** Sets the app's business hours (already checked by checkBusinessHours; null: always open). */
  async setHours(appid: string, hours: BusinessHours | null): Promise<boolean> {
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query('UPDATE apps SET business_hours = $2 WHERE appid = $1 RETURNING appid', [appid, hours === null ? null : JSON.stringify(hours)]);
        if (rows.length) await publish(tx, { kind: 'app_changed', appid });
        return rows.length > 0;
      })
      .finally(() => this.cache.forgetApp(appid));
  }

  /**
   * Rotates the app secret. With `grace` ({ms, nowMs}), the secret it replaces
   * still verifies logins until nowMs + ms (sites deploy the new one meanwhile);
   * without, the old secret stops at once (a leaked one), and any earlier
   * grace ends too.
   */
  async setSecret(appid: string, secret: string, grace?: { ms: number; nowMs: number }): Promise<boolean> {
    const until = grace && grace.ms > 0 ? new Date(grace.nowMs + grace.ms).toISOString() : null;
    return this.store
      .transaction(async (tx) => {
        const rows = await tx.query(
          'UPDATE apps SET previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END, previous_secret_until = $3::timestamptz, secret = $2 WHERE appid = $1 RETURNING appid',
          [appid, secret, until],
        );
        if (rows.length) await publish(tx, { kind: 'app_changed', appid });
        return rows.length > 0;
      })
      .finally(() => this.cache.forgetApp(appid));
  }
}
