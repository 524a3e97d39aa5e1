// Registers <twt-console-sign-in> and <twt-console-avatar> (once, whoever imports them first).
import { ConsoleSignIn } from './console-sign-in.js';
import { ConsoleAvatar } from './console-avatar.js';

if (!customElements.get('twt-console-sign-in')) customElements.define('twt-console-sign-in', ConsoleSignIn);
if (!customElements.get('twt-console-avatar')) customElements.define('twt-console-avatar', ConsoleAvatar);

declare global {
  interface HTMLElementTagNameMap {
    'twt-console-sign-in': ConsoleSignIn;
    'twt-console-avatar': ConsoleAvatar;
  }
}
