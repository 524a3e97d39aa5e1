/**
 * <support-chat>, a LitElement of the host site that renders <twt-chat-widget> in its own shadow root:
 * the widget follows the host's `theme` property, its events reach the host's listeners, and the page
 * (which also loads core.js) drives the same widget through `window.TWTChatWidget`.
 * The widget server is the page's core.js origin.
 */
import { LitElement, html } from 'lit';
import 'twt-chat-widget/define.js';

class SupportChat extends LitElement {
  static properties = { theme: {}, log: { state: true } };

  constructor() {
    super();
    this.theme = 'light';
    this.log = [];
  }

  record(e) {
    this.log = [...this.log, `${e.type} ${JSON.stringify(e.detail ?? null)}`];
  }

  render() {
    return html`
      <twt-chat-widget
        appid="demo"
        language="en"
        .theme=${this.theme}
        @twt-initialized=${this.record}
        @twt-visibility-changed=${this.record}
      ></twt-chat-widget>
      <ol id="log">
        ${this.log.map((line) => html`<li>${line}</li>`)}
      </ol>
    `;
  }
}
customElements.define('support-chat', SupportChat);
