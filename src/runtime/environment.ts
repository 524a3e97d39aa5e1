/**
 * The visitor's environment for the agents' context panel (src/shared/visitor-context.ts): browser and OS, time
 * zone (for the visitor's local time), screen size. Browser and OS come from `navigator.userAgentData` where the
 * browser has it (its low-entropy brands and platform: no permission, no extra request), else from a small
 * parse of the user-agent string. The panel iframe runs in the visitor's browser, so this is the visitor's.
 */
import type { VisitorEnvironment } from '../shared/visitor-context.js';

interface Brand {
  brand: string;
  version: string;
}
export interface NavigatorLike {
  userAgent: string;
  userAgentData?: { brands?: readonly Brand[]; platform?: string };
}

/** Named brands before the engine (Chrome, Edge and Opera all list "Chromium"); GREASE brands ("Not A;Brand") never. */
const BRAND_ORDER = ['Microsoft Edge', 'Opera', 'Google Chrome', 'Chromium'];
const BRAND_NAMES: Record<string, string> = { 'Microsoft Edge': 'Edge', 'Google Chrome': 'Chrome' };

/** User-agent tokens, most specific first: [pattern, browser]. */
const UA_BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];
const UA_SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export function browserAndOs(nav: NavigatorLike): Pick<VisitorEnvironment, 'browser' | 'os'> {
  const out: Pick<VisitorEnvironment, 'browser' | 'os'> = {};
  const brands = nav.userAgentData?.brands ?? [];
  const brand = BRAND_ORDER.map((name) => brands.find((b) => b.brand === name)).find(Boolean);
  if (brand) out.browser = `${BRAND_NAMES[brand.brand] ?? brand.brand} ${brand.version}`;
  else {
    const hit = UA_BROWSERS.map(([re, name]) => [nav.userAgent.match(re), name] as const).find(([m]) => m);
    if (hit) out.browser = `${hit[1]} ${hit[0]![1]}`;
  }
  const os = nav.userAgentData?.platform?.replace(/^Chrom(e|ium) OS$/, 'ChromeOS') || UA_SYSTEMS.find(([re]) => re.test(nav.userAgent))?.[1];
  if (os) out.os = os;
  return out;
}

/** The environment of this browser. */
export function visitorEnvironment(win: Window = window): VisitorEnvironment {
  const env: VisitorEnvironment = browserAndOs(win.navigator as unknown as NavigatorLike);
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) env.timeZone = zone;
  } catch {
    /* no Intl time zone: the agents see no local time */
  }
  if (win.screen?.width) env.screen = `${win.screen.width}x${win.screen.height}`;
  return env;
}
