/**
 * A GrapesJS editor (the npm package) whose canvas loads core.js through `canvas.scripts`, the way a site
 * owner adds a script site-wide. GrapesJS loads those scripts before it renders components, so the chat
 * block's <twt-chat-widget appid="demo"> (attributes only, no script of its own) is created after core.js
 * ran, inside the canvas frame; there `window.TWTChatWidget` is the only API the page has.
 * "Add the chat block" adds the block's content as dropping the block onto the canvas does.
 */
import grapesjs from 'grapesjs';
import 'grapesjs/dist/css/grapes.min.css';

const server = new URLSearchParams(location.search).get('server');

const editor = grapesjs.init({
  container: '#gjs',
  height: '100%',
  storageManager: false,
  // No icon font from a CDN: the test machine is offline, and the panel buttons do not matter here.
  cssIcons: '',
  components: '<h1>Our landing page</h1>',
  canvas: { scripts: [`${server}/install/core.js?version=v1.2`] },
  blockManager: {
    appendTo: '#blocks',
    blocks: [{ id: 'twt-chat', label: 'Chat', content: '<twt-chat-widget appid="demo"></twt-chat-widget>' }],
  },
});

document.querySelector('#add-chat').addEventListener('click', () => {
  editor.addComponents(editor.Blocks.get('twt-chat').getContent());
});
