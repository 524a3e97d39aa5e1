/**
 * The visitor context agents see beside a conversation (src/shared/visitor-context.ts): the visit trail (table
 * visitor_pages, one row per page the visitor went to, bounded per visitor), the visitor's environment and
 * last-seen columns, and the one read that assembles it all for an agent.
 *
 * Visits: a page reported more than VISIT_GAP_MINUTES after the previous one starts a new visit
 * (visitors.visit_started_at); "this visit's pages" are those since then. Times come from the caller (the
 * socket passes the wall clock, tests pass their own), so a test steps through visits without waiting.
 */
import type { PageView, PageVisit, VisitorContext, VisitorEnvironment } from '../../src/shared/visitor-context.js';
import { VISIT_GAP_MINUTES } from '../../src/shared/visitor-context.js';
import type { Store } from '../db/store.js';
import { publish } from '../events.js';
import { possibleId } from '../storable-input.js';
import { iso } from './rows.js';

/** Pages kept per visitor; an older one is deleted in the transaction that adds a newer one. */
export const VISIT_TRAIL_MAX = 50;
const VISIT_GAP_MS = VISIT_GAP_MINUTES * 60_000;

/** Who a page report is about: the authenticated visitor of a socket. */
export interface TrailVisitor {
  id: number;
  uid: string;
  appid: string;
}

interface ContextRow {
  id: number;
  uid: string;
  appid: string;
  name: string | null;
  nickname: string | null;
  email: string | null;
  phone: string | null;
  business_user: string | null;
  locale: string | null;
  browser: string | null;
  os: string | null;
  time_zone: string | null;
  screen: string | null;
  referer: string | null;
  created_at: Date | string;
  last_seen_at: Date | string | null;
  visit_started_at: Date | string | null;
}

interface PageRow {
  id: number;
  url: string;
  title: string;
  viewed_at: Date | string;
}

const toVisit = (r: PageRow): PageVisit => ({ url: r.url, title: r.title, at: iso(r.viewed_at) });

export class VisitTrail {
  constructor(private readonly store: Store) {}

  /**
   * The visitor is on `page` since `at`. A new page is appended (and the trail trimmed to VISIT_TRAIL_MAX); the
   * page the visitor is already on (a reconnect reporting it again, a reload) only gets its title refreshed.
   * Agents hear of a change through the `visitor_page` event. Returns the current page as stored, or null when
   * nothing changed.
   */
  async record(visitor: TrailVisitor, page: PageView, at: Date): Promise<PageVisit | null> {
    return this.store.transaction(async (tx) => {
      // The visitor's row is the lock: two sockets of one visitor append in turn, and trim what the other added.
      const [v] = await tx.query<{ last_seen_at: Date | string | null; visit_started_at: Date | string | null }>(
        'SELECT last_seen_at, visit_started_at FROM visitors WHERE id = $1 FOR UPDATE',
        [visitor.id],
      );
      if (!v) return null;
      const newVisit = !v.visit_started_at || !v.last_seen_at || at.getTime() - new Date(v.last_seen_at).getTime() > VISIT_GAP_MS;
      await tx.query('UPDATE visitors SET last_seen_at = $2, visit_started_at = $3 WHERE id = $1', [visitor.id, at, newVisit ? at : v.visit_started_at]);
      const [current] = newVisit ? [] : await tx.query<PageRow>('SELECT id, url, title, viewed_at FROM visitor_pages WHERE visitor_id = $1 ORDER BY id DESC LIMIT 1', [visitor.id]);
      let stored: PageVisit;
      if (current && current.url === page.url) {
        if (current.title === page.title) return null;
        await tx.query('UPDATE visitor_pages SET title = $2 WHERE id = $1', [current.id, page.title]);
        stored = { ...toVisit(current), title: page.title };
      } else {
        await tx.query('INSERT INTO visitor_pages (visitor_id, url, title, viewed_at) VALUES ($1, $2, $3, $4)', [visitor.id, page.url, page.title, at]);
        await tx.query(
          `DELETE FROM visitor_pages WHERE visitor_id = $1 AND id NOT IN (SELECT id FROM visitor_pages WHERE visitor_id = $1 ORDER BY id DESC LIMIT ${VISIT_TRAIL_MAX})`,
          [visitor.id],
        );
        stored = { ...page, at: at.toISOString() };
      }
      await publish(tx, { kind: 'visitor_page', visitorUid: visitor.uid, appid: visitor.appid, page: stored });
      return stored;
    });
  }

  /** Stores the environment's fields that are set (already cleaned: cleanEnvironment); the others keep their value. */
  async setEnvironment(visitorId: number, env: VisitorEnvironment): Promise<void> {
    await this.store.query(
      'UPDATE visitors SET browser = COALESCE($2, browser), os = COALESCE($3, os), time_zone = COALESCE($4, time_zone), screen = COALESCE($5, screen) WHERE id = $1',
      [visitorId, env.browser ?? null, env.os ?? null, env.timeZone ?? null, env.screen ?? null],
    );
  }

  /** Every page kept for the visitor, oldest first (tests and the CLI; agents get this visit's, see context). */
  async pages(visitorId: number): Promise<PageVisit[]> {
    const rows = await this.store.query<PageRow>('SELECT id, url, title, viewed_at FROM visitor_pages WHERE visitor_id = $1 ORDER BY id', [visitorId]);
    return rows.map(toVisit);
  }

  /**
   * The context of the visitor with this uid, or of the visitor of this conversation; null when there is none.
   * The caller checks the agent may see its app (`appid`) before showing any of it. `online` comes from the hub.
   */
  async context(by: { visitorUid: string } | { conversationId: string }, online: (uid: string) => boolean): Promise<VisitorContext | null> {
    const id = possibleId('visitorUid' in by ? by.visitorUid : by.conversationId);
    if (id === null) return null;
    const where = 'visitorUid' in by ? 'v.uid = $1' : 'v.id = (SELECT visitor_id FROM conversations WHERE id = $1)';
    const [v] = await this.store.query<ContextRow>(
      `SELECT v.id, v.uid, v.appid, v.name, v.nickname, v.email, v.phone, v.business_user, v.locale, v.browser, v.os, v.time_zone, v.screen,
              v.referer, v.created_at, v.last_seen_at, v.visit_started_at
         FROM visitors v WHERE ${where}`,
      [id],
    );
    if (!v) return null;
    const pages = v.visit_started_at
      ? (
          await this.store.query<PageRow>(
            `SELECT id, url, title, viewed_at FROM visitor_pages WHERE visitor_id = $1 AND viewed_at >= $2 ORDER BY id DESC LIMIT ${VISIT_TRAIL_MAX}`,
            [Number(v.id), v.visit_started_at],
          )
        )
          .reverse()
          .map(toVisit)
      : [];
    const ctx: VisitorContext = {
      visitorUid: v.uid,
      appid: v.appid,
      firstSeen: iso(v.created_at),
      online: online(v.uid),
      currentPage: pages.at(-1) ?? null,
      visitPages: pages,
    };
    // Set only through a login triple whose signature verified (server/visitor-session.ts).
    if (v.business_user !== null) ctx.businessUser = { id: v.business_user, verified: true };
    if (v.last_seen_at) ctx.lastSeen = iso(v.last_seen_at);
    const optional = { name: v.name, nickname: v.nickname, email: v.email, phone: v.phone, locale: v.locale, browser: v.browser, os: v.os, timeZone: v.time_zone, screen: v.screen, referer: v.referer };
    for (const [k, value] of Object.entries(optional)) if (value) (ctx as unknown as Record<string, unknown>)[k] = value;
    return ctx;
  }
}
