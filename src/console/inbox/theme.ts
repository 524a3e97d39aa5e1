/**
 * The console's theme: the system's (prefers-color-scheme) unless the agent
 * picked light or dark, remembered in localStorage. The element carries it as
 * `data-theme` (light | dark | system); the styles read it.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
const THEME_KEY = 'twt:console-theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function storeTheme(t: ThemeChoice): void {
  try {
    localStorage.setItem(THEME_KEY, t);
  } catch {
    /* storage unavailable: this page only */
  }
}
