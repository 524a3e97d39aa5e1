import { ReactiveElement } from '@lit/reactive-element';

/**
 * The launcher surface: holds the launcher iframe (light DOM, so
 * `iframe[data-twt-widget-surface="launcher"]` finds it).
 *
 * `<twt-chat-widget>` creates one for itself unless `launcher` is `custom`.
 * A page author (or a page builder) may place a `<twt-launcher>` anywhere in
 * the page instead: the widget then puts its launcher iframe there, in the
 * page flow, rather than in the fixed bottom-right corner.
 *
 * @summary The chat launcher button surface.
 * @tag twt-launcher
 */
export class TwtLauncher extends ReactiveElement {
  /** Light DOM: the launcher iframe must be reachable by document.querySelector. */
  protected override createRenderRoot() {
    return this;
  }

  /** The launcher iframe currently mounted here, if any. */
  get frame(): HTMLIFrameElement | null {
    return this.querySelector('iframe[data-twt-widget-surface="launcher"]');
  }

  /** True when the page author placed this element (not created by a widget). */
  get inline(): boolean {
    return !this.hasAttribute('data-twt-owned');
  }

  /** Puts the launcher iframe in this element, replacing any previous one. */
  mount(iframe: HTMLIFrameElement): void {
    this.frame?.remove();
    this.style.setProperty('display', this.inline ? 'inline-block' : 'contents', 'important');
    this.append(iframe);
  }

  /** Removes the launcher iframe. */
  unmount(): void {
    this.frame?.remove();
    this.style.removeProperty('display');
  }
}
