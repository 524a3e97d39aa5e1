/**
 * What agents see of a visitor besides the chat ("visitor context"): the page the visitor is on, the pages of
 * this visit, and the browser's environment. The shapes, caps and validators, once, for every side: the host
 * reports pages over the bridge, the panel runtime checks them (bridge command `page_view`) and forwards them
 * (visitor frames `page` and `env`), the server checks them again and stores them, agents read them (REST
 * `GET /v1/agent/visitors/:uid/context` and the agent frame `visitor_page`).
 *
 * Privacy: the host drops a URL's query and fragment before it leaves the page unless the site opts in
 * (`trackPageQuery`), and reports nothing when the site turns tracking off (`trackPages: false`).
 */

/** A page as the visitor viewed it. */
export interface PageView {
  /** An absolute http(s) URL (without query and fragment unless the site opted in). */
  url: string;
  /** `document.title`, possibly ''. */
  title: string;
}

/** A stored page of the visit trail. */
export interface PageVisit extends PageView {
  /** ISO 8601: when the visitor arrived on it. */
  at: string;
}

/** The browser's environment, sent by the panel runtime once per session. Every field is optional. */
export interface VisitorEnvironment {
  /** `Chrome 126`, `Firefox 127`, `Safari 17`… */
  browser?: string;
  /** `Windows`, `macOS`, `Android`, `iOS`, `Linux`, `ChromeOS`. */
  os?: string;
  /** IANA time zone (`Europe/Paris`), for the visitor's local time. */
  timeZone?: string;
  /** Screen size in CSS px, `1920x1080`. */
  screen?: string;
}

/** Longest values kept (characters). A longer URL is refused, never cut (a cut URL is another page); a longer text is cut. */
export const CONTEXT_CAPS = { url: 2000, title: 200, browser: 60, os: 60, timeZone: 64 } as const;

/** Control characters (U+0000 included, which PostgreSQL cannot store) are removed from texts. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const cleanText = (v: unknown, max: number): string | undefined => (typeof v === 'string' ? v.replace(new RegExp(CONTROL, 'g'), '').trim().slice(0, max) : undefined);

/** An absolute http(s) URL of at most CONTEXT_CAPS.url characters, without control characters or credentials. */
export function isPageUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > CONTEXT_CAPS.url || CONTROL.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !/^[a-z]+:\/\/[^/]*@/i.test(v);
  } catch {
    return false;
  }
}

/** A clean {@link PageView}, or a string saying what is wrong with it. */
export function checkPageView(v: unknown): PageView | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'a page view is an object {url, title}';
  const p = v as Record<string, unknown>;
  if (!isPageUrl(p.url)) return `url must be an absolute http(s) URL of at most ${CONTEXT_CAPS.url} characters`;
  if (p.title !== undefined && typeof p.title !== 'string') return 'title must be a string';
  return { url: p.url, title: cleanText(p.title, CONTEXT_CAPS.title) ?? '' };
}

const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
const SCREEN = /^\d{2,5}x\d{2,5}$/;

/** The fields of an environment that are well formed (others are dropped: each is optional). */
export function cleanEnvironment(v: unknown): VisitorEnvironment {
  const out: VisitorEnvironment = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  const e = v as Record<string, unknown>;
  const browser = cleanText(e.browser, CONTEXT_CAPS.browser);
  const os = cleanText(e.os, CONTEXT_CAPS.os);
  if (browser) out.browser = browser;
  if (os) out.os = os;
  if (typeof e.timeZone === 'string' && TIME_ZONE.test(e.timeZone)) out.timeZone = e.timeZone;
  if (typeof e.screen === 'string' && SCREEN.test(e.screen)) out.screen = e.screen;
  return out;
}

/** GET /v1/agent/visitors/:uid/context: everything an agent's side panel shows of one visitor. */
export interface VisitorContext {
  visitorUid: string;
  appid: string;
  name?: string;
  nickname?: string;
  email?: string;
  phone?: string;
  /**
   * The business user's id. The server sets it only from a login triple whose signature it verified
   * (server/visitor-session.ts), never from a claim: so it is always `verified: true`.
   */
  businessUser?: { id: string; verified: true };
  locale?: string;
  browser?: string;
  os?: string;
  timeZone?: string;
  screen?: string;
  /** Where the visitor came from (config `referer`, by default the first page's URL). */
  referer?: string;
  /** ISO 8601: the visitor's first session. */
  firstSeen: string;
  /** ISO 8601: the last page report, if any. */
  lastSeen?: string;
  /** A socket of the visitor is open now. */
  online: boolean;
  /** The page the visitor is on now (the newest of the trail). */
  currentPage: PageVisit | null;
  /** The pages of this visit, oldest first (a visit ends after VISIT_GAP_MINUTES without a page). */
  visitPages: PageVisit[];
}

/** Minutes without a page report after which the next page starts a new visit. */
export const VISIT_GAP_MINUTES = 30;
