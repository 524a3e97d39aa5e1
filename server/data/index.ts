/**
 * Data access: every SQL statement of the server lives in this folder, one
 * module per table, written once for both stores; rows are mapped to the wire
 * shapes of src/shared/wire-protocol.ts. `Data` builds the table modules of one
 * process around its store and its one cache (cache.ts).
 */
import type { Store } from '../db/store.js';
import { Agents } from './agents.js';
import { AgentKeys } from './agent-keys.js';
import { AgentSessions } from './agent-sessions.js';
import { Apps } from './apps.js';
import { Attachments } from './attachments.js';
import { CannedReplies } from './canned-replies.js';
import { DataCache } from './cache.js';
import { Conversations } from './conversations.js';
import { Messages } from './messages.js';
import { Search } from './search.js';
import { Settings } from './settings.js';
import { Visitors } from './visitors.js';
import { VisitTrail } from './visit-trail.js';

export class Data {
  readonly cache: DataCache;
  readonly settings: Settings;
  readonly apps: Apps;
  readonly agents: Agents;
  readonly agentKeys: AgentKeys;
  readonly agentSessions: AgentSessions;
  readonly visitors: Visitors;
  readonly conversations: Conversations;
  readonly messages: Messages;
  readonly search: Search;
  readonly cannedReplies: CannedReplies;
  readonly visitTrail: VisitTrail;
  readonly attachments: Attachments;

  /** `cacheClock`: the cache's TTL clock (default Date.now). */
  constructor(
    readonly store: Store,
    cacheClock?: () => number,
  ) {
    this.cache = new DataCache(cacheClock);
    this.settings = new Settings(store);
    this.apps = new Apps(store, this.cache);
    this.agents = new Agents(store, this.cache);
    this.agentKeys = new AgentKeys(store, this.cache);
    this.agentSessions = new AgentSessions(store);
    this.visitors = new Visitors(store);
    this.conversations = new Conversations(store, this.cache);
    this.messages = new Messages(store);
    this.search = new Search(store);
    this.cannedReplies = new CannedReplies(store);
    this.visitTrail = new VisitTrail(store);
    this.attachments = new Attachments(store);
  }
}
