/**
 * The console's colours and controls, light and dark (prefers-color-scheme),
 * as custom properties and shared rules the console's elements adopt.
 */
import { css } from 'lit';

export const consoleTheme = css`
  :host {
    --twt-bg: #f6f7f9;
    --twt-surface: #ffffff;
    --twt-text: #1b1f24;
    --twt-muted: #59636e;
    --twt-border: #d1d9e0;
    --twt-accent: #0b63ce;
    --twt-accent-text: #ffffff;
    --twt-danger: #c21c2c;
    --twt-danger-bg: #fff0f1;
    --twt-ok-bg: #eaf7ee;
    --twt-focus: 0 0 0 3px rgb(11 99 206 / 0.35);
    color-scheme: light dark;
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: var(--twt-text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --twt-bg: #0f1216;
      --twt-surface: #181c22;
      --twt-text: #e6e9ed;
      --twt-muted: #9aa4b0;
      --twt-border: #2f3640;
      --twt-accent: #4c9aff;
      --twt-accent-text: #07111f;
      --twt-danger: #ff6b78;
      --twt-danger-bg: #2a1418;
      --twt-ok-bg: #12261a;
      --twt-focus: 0 0 0 3px rgb(76 154 255 / 0.45);
    }
  }
  label { font-weight: 600; font-size: 14px; }
  input, select, textarea {
    font: inherit; color: inherit; background: var(--twt-surface);
    border: 1px solid var(--twt-border); border-radius: 8px; padding: 9px 11px; min-width: 0; box-sizing: border-box;
  }
  input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible { outline: none; box-shadow: var(--twt-focus); border-color: var(--twt-accent); }
  button {
    font: inherit; font-weight: 600; border-radius: 8px; padding: 9px 14px; cursor: pointer;
    border: 1px solid var(--twt-border); background: var(--twt-surface); color: var(--twt-text);
  }
  button.primary { background: var(--twt-accent); border-color: var(--twt-accent); color: var(--twt-accent-text); }
  button.danger { color: var(--twt-danger); }
  button[disabled] { opacity: 0.6; cursor: progress; }
  .error { color: var(--twt-danger); background: var(--twt-danger-bg); border-radius: 8px; padding: 8px 12px; margin: 0; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
