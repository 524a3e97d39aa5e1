/**
 * Page tracking (config `trackPages`, on by default): reports the page the visitor is on, once at start and
 * after every navigation of the document, single-page ones included, so agents see where the visitor is.
 *
 * Where the Navigation API exists, its `currententrychange` covers every same-document navigation (pushState,
 * replaceState, back/forward, fragments). Elsewhere the History API is patched, once per page whatever copies
 * of our code run, chaining to the methods in place (a router such as Turbo may have wrapped them already, or
 * wrap ours later), and `popstate`/`hashchange` are heard.
 *
 * Privacy: the query and fragment are dropped here, before anything leaves the page, unless the site keeps
 * them (`trackPageQuery`). A navigation is read GAP_MS after it happened, when routers have set the title; so a
 * flood (a router replacing state in a loop) is reported at most once per GAP_MS, its latest page. Identical
 * consecutive reports are dropped.
 */
import type { PageView } from '../shared/visitor-context.js';

/** What the History API patch fires on window after pushState/replaceState; also its marker on `history`. */
const HISTORY_EVENT = 'twt-history';
/** A change is read this many milliseconds after it happens: at most one report per GAP_MS. */
export const GAP_MS = 1000;

interface NavigationLike {
  addEventListener(type: 'currententrychange', f: () => void): void;
  removeEventListener(type: 'currententrychange', f: () => void): void;
}

/** Makes pushState and replaceState announce themselves with HISTORY_EVENT; once per page. */
function patchHistory() {
  const h = history as unknown as Record<string, unknown>;
  if (h[HISTORY_EVENT]) return;
  h[HISTORY_EVENT] = 1;
  for (const name of ['pushState', 'replaceState']) {
    const original = h[name] as (...a: unknown[]) => unknown;
    h[name] = function (this: History, ...args: unknown[]) {
      const result = original.apply(this, args);
      dispatchEvent(new Event(HISTORY_EVENT));
      return result;
    };
  }
}

/**
 * Starts reporting; returns what stops it. `nav`: the Navigation API (`window.navigation`); tests pass null to
 * run the History API path in a browser that has both.
 */
export function trackPages(report: (page: PageView) => void, keepQuery: boolean, nav: NavigationLike | null | undefined = (self as { navigation?: NavigationLike }).navigation): () => void {
  let last = '';
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  // Each change is read GAP_MS later: the latest page of a burst, with the title its router has set by then.
  const soon = () => {
    timer ||= setTimeout(() => {
      timer = 0;
      const page = { url: keepQuery ? location.href : location.origin + location.pathname, title: document.title };
      const key = page.url + '\n' + page.title;
      if (key !== last) (last = key), report(page);
    }, GAP_MS);
  };
  const events = nav ? ['currententrychange'] : (patchHistory(), [HISTORY_EVENT, 'popstate', 'hashchange']);
  const target = (nav || self) as EventTarget;
  for (const e of events) target.addEventListener(e, soon);
  soon();
  return () => {
    clearTimeout(timer);
    for (const e of events) target.removeEventListener(e, soon);
  };
}
