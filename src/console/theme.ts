/**
 * The console's one theme: one palette (light, and dark for the `dark` choice
 * or for `system` when the system is dark) and one choice for every screen
 * (sign-in, inbox, admin), remembered in localStorage and applied live to every
 * open screen when the agent changes it (in this tab and in the others).
 *
 * A top-level screen adopts `consoleTheme` (palette + controls) and adds a
 * ConsoleThemeController, which keeps its `data-theme` attribute (light | dark
 * | system) on the choice; the palette's `:host([data-theme=…])` rules read it.
 * Elements nested in a screen adopt `consoleControls` only and inherit its
 * custom properties.
 */
import { css, type ReactiveController, type ReactiveControllerHost } from 'lit';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const THEME_KEY = 'twt:console-theme';
/** Dispatched on window when this tab changes the choice (other tabs hear `storage`). */
const THEME_EVENT = 'twt-console-theme';

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Remembers the choice and applies it to every open screen of the console. */
export function setConsoleTheme(t: ThemeChoice): void {
  try {
    localStorage.setItem(THEME_KEY, t);
  } catch {
    /* storage unavailable: this page only */
  }
  window.dispatchEvent(new CustomEvent<ThemeChoice>(THEME_EVENT, { detail: t }));
}

/** Keeps the host's `data-theme` on the console's choice while it is connected. */
export class ConsoleThemeController implements ReactiveController {
  choice: ThemeChoice = storedTheme();
  private readonly onChoice = (e: Event) => this.apply(e instanceof CustomEvent ? (e.detail as ThemeChoice) : storedTheme());
  private readonly onStorage = (e: StorageEvent) => {
    if (e.key === THEME_KEY || e.key === null) this.apply(storedTheme());
  };

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener(THEME_EVENT, this.onChoice);
    window.addEventListener('storage', this.onStorage);
    this.apply(storedTheme());
  }

  hostDisconnected(): void {
    window.removeEventListener(THEME_EVENT, this.onChoice);
    window.removeEventListener('storage', this.onStorage);
  }

  private apply(t: ThemeChoice): void {
    this.choice = t;
    this.host.setAttribute('data-theme', t);
    this.host.requestUpdate();
  }
}

/** The dark palette: the `dark` choice, and `system` when the system is dark (one list for both). */
const DARK = css`
  --bg: #0d1117;
  --bg-soft: #161b22;
  --fg: #e6edf3;
  --muted: #9da7b3;
  --line: #30363d;
  --line-soft: #21262d;
  --accent: #1f6feb;
  --accent-fg: #ffffff;
  --current: #1f3a5f;
  --danger: #ff7b72;
  --danger-bg: #2a1418;
  --ok: #3fb950;
  --ok-bg: #12261a;
  --badge-fg: #0d1117;
  --mark: #6b5a00;
  --link: #4493f8;
  --focus: 0 0 0 3px rgb(76 154 255 / 0.45);
  color-scheme: dark;
`;

/** The palette, as custom properties on the screen's host (nested elements inherit them). */
export const consolePalette = css`
  :host {
    --bg: #ffffff;
    --bg-soft: #f6f8fa;
    --fg: #1b1f24;
    --muted: #57606a;
    --line: #d0d7de;
    --line-soft: #eaeef2;
    --accent: #0969da;
    --accent-fg: #ffffff;
    --current: #ddf4ff;
    --danger: #cf222e;
    --danger-bg: #fff0f1;
    --ok: #1a7f37;
    --ok-bg: #eaf7ee;
    --badge-fg: #ffffff;
    --mark: #fff8c5;
    --link: #0969da;
    --focus: 0 0 0 3px rgb(9 105 218 / 0.35);
    color-scheme: light;
  }
  :host([data-theme='dark']) { ${DARK} }
  @media (prefers-color-scheme: dark) {
    :host([data-theme='system']) { ${DARK} }
  }
`;

/** The form controls and messages the sign-in and admin screens share. */
export const consoleControls = css`
  :host {
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: var(--fg);
  }
  label { font-weight: 600; font-size: 14px; }
  input, select, textarea {
    font: inherit; color: inherit; background: var(--bg);
    border: 1px solid var(--line); border-radius: 8px; padding: 9px 11px; min-width: 0; box-sizing: border-box;
  }
  input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible { outline: none; box-shadow: var(--focus); border-color: var(--accent); }
  button {
    font: inherit; font-weight: 600; border-radius: 8px; padding: 9px 14px; cursor: pointer;
    border: 1px solid var(--line); background: var(--bg); color: var(--fg);
  }
  button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
  button.danger { color: var(--danger); }
  button[disabled] { opacity: 0.6; cursor: progress; }
  .error { color: var(--danger); background: var(--danger-bg); border-radius: 8px; padding: 8px 12px; margin: 0; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** A top-level screen's styles: the palette and the controls (add a ConsoleThemeController). */
export const consoleTheme = [consolePalette, consoleControls];
