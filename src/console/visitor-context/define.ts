// Registers <twt-visitor-context> (the class module has no side effects; the console's composition root imports this).
import { TwtVisitorContext } from './twt-visitor-context.js';

if (!customElements.get('twt-visitor-context')) customElements.define('twt-visitor-context', TwtVisitorContext);

declare global {
  interface HTMLElementTagNameMap {
    'twt-visitor-context': TwtVisitorContext;
  }
}
