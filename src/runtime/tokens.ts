/**
 * Colour tokens and the base rules of the surfaces, without lit: the launcher
 * and the panel shell are plain custom elements that paint before (or
 * without) lit loading; styles.ts gives the same rules to lit elements. Tokens are custom
 * properties on `html[data-theme]` (set by ThemeController); they inherit into
 * every shadow root. Pairs were chosen for WCAG AA (4.5:1 for text) in both
 * themes: see the contrast test in styles.test.ts.
 */

export const LIGHT = {
  bg: '#ffffff',
  fg: '#1f2937',
  muted: '#4b5563',
  surface: '#f3f4f6',
  border: '#9ca3af',
  accent: '#1d4ed8',
  accentFg: '#ffffff',
  link: '#1d4ed8',
  danger: '#b91c1c',
  bannerBg: '#fef3c7',
  bannerFg: '#78350f',
  badgeBg: '#b91c1c',
  badgeFg: '#ffffff',
  focus: '#1d4ed8',
} as const;

export const DARK: Record<keyof typeof LIGHT, string> = {
  bg: '#111827',
  fg: '#f9fafb',
  muted: '#d1d5db',
  surface: '#1f2937',
  border: '#6b7280',
  accent: '#2563eb',
  accentFg: '#ffffff',
  link: '#93c5fd',
  danger: '#fca5a5',
  bannerBg: '#78350f',
  bannerFg: '#fef3c7',
  badgeBg: '#b91c1c',
  badgeFg: '#ffffff',
  focus: '#93c5fd',
};

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
/** A theme's tokens as custom property declarations; `only`: just the properties named there. */
export const declarations = (t: Record<string, string>, only?: ReadonlySet<string>) =>
  Object.entries(t)
    .map(([k, v]) => [`--twt-${kebab(k)}`, v])
    .filter(([name]) => !only || only.has(name))
    .map(([name, v]) => `${name}:${v};`)
    .join('');

/** The bare, transparent page every surface draws on. */
export const BARE_PAGE = 'margin:0;padding:0;height:100%;background:transparent;';

/** The document-level sheet: tokens per theme, and a bare body. */
export function tokenSheet(): CSSStyleSheet {
  return sheet(
    `html{${declarations(LIGHT)}color-scheme:light;}` +
      `html[data-theme="dark"]{${declarations(DARK)}color-scheme:dark;}` +
      `html,body{${BARE_PAGE}font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;font-size:14px;line-height:1.45;}`,
  );
}

export function installTokens(doc: Document = document): void {
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, tokenSheet()];
}

/** Rules every surface element's shadow root starts with (lit elements get them as `baseStyles`). */
export const BASE_CSS = `
  :host {
    color: var(--twt-fg);
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  a:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--twt-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/** A constructable sheet of `text`, for a plain element's shadow root. */
export function sheet(text: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
}
