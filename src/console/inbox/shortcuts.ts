/**
 * The inbox's keyboard shortcuts: one table, read by the key handler and by
 * the help dialog (`?`). Letter keys act only when focus is not in a text
 * field; Alt+↑/↓ act anywhere.
 */
export type ShortcutAction = 'next' | 'previous' | 'reply' | 'resolve' | 'search' | 'help';

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; action: ShortcutAction; label: string }> = [
  { keys: ['j', 'Alt+↓'], action: 'next', label: 'Next conversation' },
  { keys: ['k', 'Alt+↑'], action: 'previous', label: 'Previous conversation' },
  { keys: ['r'], action: 'reply', label: 'Reply (focus the composer)' },
  { keys: ['e'], action: 'resolve', label: 'Resolve or reopen the conversation' },
  { keys: ['/'], action: 'search', label: 'Search' },
  { keys: ['?'], action: 'help', label: 'Show these shortcuts' },
];

/** What a key press asks for, or null. `inTextField`: focus is in an input, textarea, select or editable element. */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>, inTextField: boolean): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey) return e.key === 'ArrowDown' ? 'next' : e.key === 'ArrowUp' ? 'previous' : null;
  if (inTextField) return null;
  switch (e.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'r':
      return 'reply';
    case 'e':
      return 'resolve';
    case '/':
      return 'search';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** Whether the element focus is in takes typing (so letter shortcuts must not fire). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type);
  return (el as HTMLElement).isContentEditable === true;
}
