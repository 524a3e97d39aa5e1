/** The visitors table: who chats, how they are recognised again, their profile, ban and token epoch. */
import type { VisitorProfile } from '../../src/shared/wire-protocol.js';
import { CLOSE } from '../../src/shared/wire-protocol.js';
import type { Store } from '../db/store.js';
import { randomId } from '../auth.js';
import { publish } from '../events.js';
import { possibleId } from '../storable-input.js';

export interface VisitorRow {
  id: number;
  uid: string;
  appid: string;
  bs: string;
  fkid: string;
  business_user: string | null;
  name: string | null;
  nickname: string | null;
  email: string | null;
  phone: string | null;
  referer: string | null;
  source_title: string | null;
  banned: boolean;
  token_epoch: number;
}

const VISITOR_COLS = 'id, uid, appid, bs, fkid, business_user, name, nickname, email, phone, referer, source_title, banned, token_epoch';
const PROFILE_COLUMNS = ['name', 'nickname', 'email', 'phone', 'referer', 'source_title', 'locale'] as const;

export class Visitors {
  constructor(private readonly store: Store) {}

  async byBs(appid: string, bs: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${VISITOR_COLS} FROM visitors WHERE appid = $1 AND bs = $2`, [appid, bs]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async byUid(uid: string): Promise<VisitorRow | null> {
    if (possibleId(uid) === null) return null;
    const rows = await this.store.query<VisitorRow>(`SELECT ${VISITOR_COLS} FROM visitors WHERE uid = $1`, [uid]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async byBusinessUser(appid: string, sbs: string): Promise<VisitorRow | null> {
    const rows = await this.store.query<VisitorRow>(`SELECT ${VISITOR_COLS} FROM visitors WHERE appid = $1 AND business_user = $2`, [appid, sbs]);
    return rows[0] ? normVisitor(rows[0]) : null;
  }

  async create(appid: string, businessUser: string | null): Promise<VisitorRow> {
    const rows = await this.store.query<VisitorRow>(
      `INSERT INTO visitors (uid, appid, bs, fkid, business_user) VALUES ($1, $2, $3, $4, $5) RETURNING ${VISITOR_COLS}`,
      ['v_' + randomId(12), appid, randomId(24), 'fk_' + randomId(12), businessUser],
    );
    return normVisitor(rows[0]!);
  }

  async attachBusinessUser(visitorId: number, sbs: string): Promise<void> {
    await this.store.query('UPDATE visitors SET business_user = $2, updated_at = now() WHERE id = $1', [visitorId, sbs]);
  }

  /** Overwrites the given profile fields (undefined = keep). */
  async updateProfile(visitorId: number, profile: VisitorProfile & { locale?: string }): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [visitorId];
    for (const f of PROFILE_COLUMNS) {
      const v = profile[f];
      if (v === undefined) continue;
      params.push(v);
      sets.push(`${f} = $${params.length}`);
    }
    if (!sets.length) return;
    await this.store.query(`UPDATE visitors SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  /** Bans (or unbans) a visitor; open sockets are closed through the event. */
  async setBanned(uid: string, banned: boolean): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE visitors SET banned = $2 WHERE uid = $1 RETURNING id', [uid, banned]);
      if (rows.length && banned) await publish(tx, { kind: 'visitor_closed', visitorUid: uid, code: CLOSE.VISITOR_BANNED });
      return rows.length > 0;
    });
  }

  /** Invalidates every token issued so far to the visitor. */
  async revokeTokens(uid: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.query('UPDATE visitors SET token_epoch = token_epoch + 1 WHERE uid = $1 RETURNING id', [uid]);
      if (rows.length) await publish(tx, { kind: 'visitor_closed', visitorUid: uid, code: CLOSE.TOKEN_REVOKED });
      return rows.length > 0;
    });
  }
}

function normVisitor(r: VisitorRow): VisitorRow {
  return { ...r, id: Number(r.id), token_epoch: Number(r.token_epoch) };
}
