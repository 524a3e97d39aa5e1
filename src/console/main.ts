// Composition root of the agent console page: registers the elements.
import { AgentConsole } from './agent-console.js';
import { TwtInbox } from './inbox/twt-inbox.js';
import './visitor-context/define.js';

if (!customElements.get('twt-inbox')) customElements.define('twt-inbox', TwtInbox);
if (!customElements.get('twt-agent-console')) customElements.define('twt-agent-console', AgentConsole);
