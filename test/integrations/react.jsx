/**
 * A React 19 app (JSX, <StrictMode>, development build) rendering <twt-chat-widget> from the npm package:
 * - props become element properties or attributes, React 19's choice;
 * - `ontwt-…` props are the element's DOM event listeners (React 19 sets them on custom elements);
 * - `theme` comes from state that changes right after mount, while the widget is still booting;
 * - the chat can be unmounted and mounted again.
 * The widget server comes from the page's `?server=` (an app would hard-code it).
 */
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'twt-chat-widget/define.js';

const server = new URLSearchParams(location.search).get('server');
const describe = (e) => `${e.type} ${JSON.stringify(e.detail ?? null)}`;

function Chat({ record, onVisibility }) {
  const widget = useRef(null);
  const initialized = useRef(false);
  // A stored preference or a settings request settles right after mount: the widget is still booting then.
  const [theme, setTheme] = useState('light');
  useEffect(() => {
    record(`theme set to dark; widget initialized: ${initialized.current}`);
    setTheme('dark');
  }, []);
  return (
    <>
      <button id="open" onClick={() => widget.current.maximize()}>Chat with us</button>
      <twt-chat-widget
        ref={widget}
        appid="demo"
        server={server}
        language="en"
        theme={theme}
        ontwt-initialized={(e) => {
          initialized.current = true;
          record(describe(e));
        }}
        ontwt-session-connected={(e) => record(describe(e))}
        ontwt-visibility-changed={(e) => {
          record(describe(e));
          onVisibility(e.detail.visibility);
        }}
      />
    </>
  );
}

function App() {
  const [log, setLog] = useState([]);
  const [mounted, setMounted] = useState(true);
  const [visibility, setVisibility] = useState('–');
  const record = (line) => setLog((lines) => [...lines, line]);
  return (
    <>
      <button id="toggle" onClick={() => setMounted((m) => !m)}>
        {mounted ? 'Remove the chat' : 'Bring the chat back'}
      </button>
      <p>
        visibility: <output id="visibility">{visibility}</output>
      </p>
      {mounted && <Chat record={record} onVisibility={setVisibility} />}
      <ol id="log">
        {log.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
