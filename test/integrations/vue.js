/**
 * A Vue 3 app rendering <twt-chat-widget> from the npm package: the tag declared a custom element
 * (`isCustomElement`), bound props (`:theme`), `@twt-…` event listeners, and `v-if` taking it out and
 * putting it back. The template is compiled in the browser (Vue's full build), with the same compiler option
 * a Vite project sets in `vue({ template: { compilerOptions } })`.
 * The widget server comes from the page's `?server=`.
 */
import { createApp, ref } from 'vue/dist/vue.esm-bundler.js';
import 'twt-chat-widget/define.js';

const app = createApp({
  setup() {
    const server = new URLSearchParams(location.search).get('server');
    const shown = ref(true);
    const theme = ref('light');
    const visibility = ref('–');
    const log = ref([]);
    const widget = ref(null);
    const record = (e) => log.value.push(`${e.type} ${JSON.stringify(e.detail ?? null)}`);
    const onVisibility = (e) => {
      record(e);
      visibility.value = e.detail.visibility;
    };
    return { server, shown, theme, visibility, log, widget, record, onVisibility };
  },
  template: `
    <button id="toggle" @click="shown = !shown">{{ shown ? 'Remove the chat' : 'Bring the chat back' }}</button>
    <button id="open" @click="widget.maximize()">Chat with us</button>
    <button id="theme" @click="theme = theme === 'dark' ? 'light' : 'dark'">Theme: {{ theme }}</button>
    <p>visibility: <output id="visibility">{{ visibility }}</output></p>
    <twt-chat-widget
      v-if="shown"
      ref="widget"
      appid="demo"
      language="en"
      :server="server"
      :theme="theme"
      @twt-initialized="record"
      @twt-session-connected="record"
      @twt-visibility-changed="onVisibility"
    ></twt-chat-widget>
    <ol id="log"><li v-for="line in log">{{ line }}</li></ol>
  `,
});
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('twt-');
app.mount('#app');
