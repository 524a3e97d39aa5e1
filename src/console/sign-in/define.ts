// Registers <twt-console-sign-in> (once, whoever imports it first).
import { ConsoleSignIn } from './console-sign-in.js';

if (!customElements.get('twt-console-sign-in')) customElements.define('twt-console-sign-in', ConsoleSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'twt-console-sign-in': ConsoleSignIn;
  }
}
