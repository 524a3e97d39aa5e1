/**
 * Surface layout, applied through the CSSOM (`style.setProperty(…, 'important')`):
 * inline `!important` declarations beat any host stylesheet rule (even
 * `iframe { width: 100% !important }`), and CSSOM writes are allowed under a
 * strict CSP without `'unsafe-inline'`, so no `<style>` text is injected.
 */
import type { SurfaceName } from '../src/shared/bridge-protocol.js';

/** Our default stacking level: high, but below 2147483647 so host overlays (the spec's hover demo) can sit above. */
export const DEFAULT_Z_INDEX = 2147483000;
export const LAUNCHER_SIZE = 64;
/** Viewports this narrow show the panel full-screen. */
export const NARROW_QUERY = '(max-width: 480px)';

export type Styles = Record<string, string>;

export function applyStyles(el: HTMLElement, styles: Styles): void {
  for (const k in styles) el.style.setProperty(k, styles[k], 'important');
}

/**
 * Neutralises whatever a host rule could set on an iframe or `*` (borders, margins, transforms, filters,
 * opacity, clipping, inherited cursors and fonts…): `all: initial` first, then the few values that differ
 * from the initial ones. Set as one shorthand, so no host property is forgotten in a list.
 */
const RESET: Styles = { all: 'initial', display: 'block', overflow: 'hidden', 'box-sizing': 'border-box' };

export interface LayoutInput {
  surface: SurfaceName;
  shown: boolean;
  zIndex: number;
  right: number;
  bottom: number;
  narrow: boolean;
  colorScheme: 'light' | 'dark';
  /** A launcher placed inline by the page author flows with the page. */
  inline?: boolean;
}

const px = (n: number) => `${n}px`;
const edge = (n: number, side: 'right' | 'bottom' | 'left' | 'top') => `calc(${px(n)} + env(safe-area-inset-${side}, 0px))`;

export function surfaceStyles(i: LayoutInput): Styles {
  const s: Styles = {
    ...RESET,
    'color-scheme': i.colorScheme,
    'z-index': String(i.zIndex),
    position: i.inline ? 'relative' : 'fixed',
    visibility: i.shown ? 'visible' : 'hidden',
    'pointer-events': i.shown ? 'auto' : 'none',
  };
  if (i.surface === 'launcher') {
    Object.assign(s, { width: px(LAUNCHER_SIZE), height: px(LAUNCHER_SIZE), 'border-radius': '50%' });
    if (!i.inline) Object.assign(s, { right: edge(i.right, 'right'), bottom: edge(i.bottom, 'bottom') });
  } else if (i.surface === 'panel' && i.narrow) {
    // An iframe is a replaced element: it needs an explicit size, not just four insets.
    const inset = (a: string, b: string) => `calc(100% - env(safe-area-inset-${a}, 0px) - env(safe-area-inset-${b}, 0px))`;
    Object.assign(s, { top: edge(0, 'top'), left: edge(0, 'left'), width: inset('left', 'right'), height: inset('top', 'bottom'), 'border-radius': '0' });
  } else {
    const above = i.bottom + LAUNCHER_SIZE + 16;
    Object.assign(
      s,
      i.surface === 'panel'
        ? { width: 'min(380px, calc(100vw - 32px))', height: `min(640px, calc(100vh - ${above + 24}px))`, 'border-radius': '16px', 'box-shadow': '0 12px 48px rgba(0,0,0,.18)' }
        : { width: 'min(320px, calc(100vw - 32px))', height: '160px' },
      { right: edge(i.right, 'right'), bottom: edge(above, 'bottom') },
    );
  }
  return s;
}
