/**
 * The icons' shapes, one table without lit: the lit elements draw them as
 * templates (icons.ts), the plain launcher as DOM (iconElement).
 */
export interface IconShape {
  size: number;
  /** Attributes of the one path (24x24 viewBox). */
  path: { d: string; fill: string; stroke?: string };
}

const stroked = (d: string): IconShape => ({ size: 20, path: { d, fill: 'none', stroke: 'currentColor' } });

export const ICONS = {
  chat: { size: 28, path: { fill: 'currentColor', d: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8.4L4 21.5V18a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6.5a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Zm5 0a1.5 1.5 0 1 0 0 .01Z' } },
  close: stroked('M6 6l12 12M18 6L6 18'),
  minimize: stroked('M6 9l6 6 6-6'),
  send: { size: 20, path: { fill: 'currentColor', d: 'M3 20.5 21 12 3 3.5 3 10l12 2-12 2z' } },
} satisfies Record<string, IconShape>;

const NS = 'http://www.w3.org/2000/svg';

type Attributes = Record<string, string | number | undefined>;
const svgAttributes = (size: number): Attributes => ({ viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true', focusable: 'false' });
const pathAttributes = (path: IconShape['path']): Attributes => ({ ...path, ...(path.stroke ? { 'stroke-width': 2, 'stroke-linecap': 'round' } : {}) });

/** The icon as a new SVG element (built node by node: no markup is parsed). */
export function iconElement({ size, path }: IconShape): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  const attrs = (el: Element, a: Attributes) => {
    for (const [k, v] of Object.entries(a)) if (v !== undefined) el.setAttribute(k, String(v));
  };
  attrs(svg, svgAttributes(size));
  attrs(svg.appendChild(document.createElementNS(NS, 'path')), pathAttributes(path));
  return svg;
}

/** The same icon as markup, for pages written at build time (the launcher's first paint). Shapes hold no quotes. */
export function iconMarkup({ size, path }: IconShape): string {
  const attrs = (a: Attributes) => Object.entries(a).map(([k, v]) => (v === undefined ? '' : ` ${k}="${v}"`)).join('');
  return `<svg${attrs(svgAttributes(size))}><path${attrs(pathAttributes(path))}/></svg>`;
}
