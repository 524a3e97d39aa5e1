// Registers <twt-console-admin> (once, whoever imports it first).
import { ConsoleAdmin } from './console-admin.js';

if (!customElements.get('twt-console-admin')) customElements.define('twt-console-admin', ConsoleAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'twt-console-admin': ConsoleAdmin;
  }
}
