/**
 * Light/dark theme for one surface document. The resolved theme is written to
 * `html[data-theme]`; the colour tokens in styles.ts key off it and reach every
 * shadow root through CSS custom property inheritance. `system` follows
 * `prefers-color-scheme` live.
 */
import type { ThemeSetting } from '../shared/bridge-protocol.js';

export const THEME_SETTINGS: readonly ThemeSetting[] = ['light', 'dark', 'system'];

export function isThemeSetting(value: unknown): value is ThemeSetting {
  return typeof value === 'string' && (THEME_SETTINGS as readonly string[]).includes(value);
}

export class ThemeController {
  private setting: ThemeSetting = 'light';
  private readonly query: MediaQueryList;
  private readonly onSystemChange = () => this.apply();

  constructor(
    private readonly root: HTMLElement = document.documentElement,
    matchMedia: (q: string) => MediaQueryList = (q) => window.matchMedia(q),
  ) {
    this.query = matchMedia('(prefers-color-scheme: dark)');
  }

  get current(): ThemeSetting {
    return this.setting;
  }

  /** The theme actually painted. */
  get resolved(): 'light' | 'dark' {
    if (this.setting === 'system') return this.query.matches ? 'dark' : 'light';
    return this.setting;
  }

  set(setting: ThemeSetting): void {
    this.query.removeEventListener('change', this.onSystemChange);
    this.setting = setting;
    if (setting === 'system') this.query.addEventListener('change', this.onSystemChange);
    this.apply();
  }

  dispose(): void {
    this.query.removeEventListener('change', this.onSystemChange);
  }

  private apply(): void {
    this.root.dataset.theme = this.resolved;
  }
}
