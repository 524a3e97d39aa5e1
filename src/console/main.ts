// Composition root of the agent console page: registers the element.
import { AgentConsole } from './agent-console.js';
import './visitor-context/define.js';

if (!customElements.get('twt-agent-console')) customElements.define('twt-agent-console', AgentConsole);
