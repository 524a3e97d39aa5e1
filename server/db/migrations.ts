/**
 * The schema, as an ordered list of migrations applied at start. The same SQL
 * runs on PGlite and PostgreSQL. Append new migrations; never edit old ones.
 */
import type { Store } from './store.js';

export const MIGRATIONS: readonly string[] = [
  /* 1: initial schema */ `
  CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
  CREATE TABLE apps (
    appid text PRIMARY KEY,
    name text NOT NULL,
    secret text NOT NULL,
    greeting text NOT NULL DEFAULT '',
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE app_domains (
    appid text NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
    domain text NOT NULL,
    PRIMARY KEY (appid, domain)
  );
  CREATE TABLE agents (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    appid text REFERENCES apps(appid) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE visitors (
    id bigserial PRIMARY KEY,
    uid text NOT NULL UNIQUE,
    appid text NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
    bs text NOT NULL,
    fkid text NOT NULL UNIQUE,
    business_user text,
    name text, nickname text, email text, phone text, referer text, source_title text, locale text,
    banned boolean NOT NULL DEFAULT false,
    token_epoch integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (appid, bs)
  );
  CREATE UNIQUE INDEX visitors_business_user ON visitors (appid, business_user) WHERE business_user IS NOT NULL;
  CREATE TABLE conversations (
    id text PRIMARY KEY,
    appid text NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
    visitor_id bigint NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
    last_seq integer NOT NULL DEFAULT 0,
    visitor_read_seq integer NOT NULL DEFAULT 0,
    agent_read_seq integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX conversations_visitor ON conversations (visitor_id);
  CREATE INDEX conversations_app_updated ON conversations (appid, updated_at DESC);
  CREATE TABLE messages (
    id text PRIMARY KEY,
    conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq integer NOT NULL,
    author text NOT NULL CHECK (author IN ('visitor', 'agent', 'system')),
    author_name text,
    text text NOT NULL,
    client_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
  );
  `,
  /*
   * 2: deleted agents stay as tombstones. A deleted (revoked) agent keeps its
   * row, name and key hash with revoked_at set: nothing references agents by
   * id (messages carry author_name as text, read state is per conversation),
   * so history is intact either way, but the kept key hash means a revoked key
   * can never be stored again (not by agents:create --key, not by the demo
   * seed at the next start), and the list still says who it was.
   */ `
  ALTER TABLE agents ADD COLUMN revoked_at timestamptz;
  `,
  /*
   * 3: agent accounts, keys per agent, console sessions, app secret rotation.
   * An agent (agents.id stays its identity) gets an email (unique whatever its
   * case), a scrypt password hash (params and salt inside the stored string),
   * a role, an optional avatar (base64 in the row: small, capped, read rarely).
   * revoked_at now reads "deactivated": it ends the agent's sessions and keys.
   * Keys move to agent_keys, one agent holding any number; every existing key
   * row becomes a key of its agent with the same hash, revoked if the agent
   * was, so old keys keep working and revoked ones stay refused (and, the hash
   * being unique, can never be stored again). Sessions are stored by the hash
   * of their opaque id. An app keeps its previous secret until a deadline, so
   * logins signed with it still verify while the site deploys the new one.
   */ `
  ALTER TABLE agents ADD COLUMN email text;
  ALTER TABLE agents ADD COLUMN password_hash text;
  ALTER TABLE agents ADD COLUMN role text NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent'));
  ALTER TABLE agents ADD COLUMN avatar_type text;
  ALTER TABLE agents ADD COLUMN avatar text;
  CREATE UNIQUE INDEX agents_email ON agents (lower(email)) WHERE email IS NOT NULL;
  CREATE TABLE agent_keys (
    id bigserial PRIMARY KEY,
    agent_id bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    hash text NOT NULL UNIQUE,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  );
  CREATE INDEX agent_keys_agent ON agent_keys (agent_id);
  INSERT INTO agent_keys (agent_id, hash, label, created_at, revoked_at) SELECT id, key_hash, 'key', created_at, revoked_at FROM agents;
  ALTER TABLE agents DROP COLUMN key_hash;
  CREATE TABLE agent_sessions (
    id_hash text PRIMARY KEY,
    agent_id bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    seen_at timestamptz NOT NULL
  );
  CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);
  ALTER TABLE apps ADD COLUMN previous_secret text;
  ALTER TABLE apps ADD COLUMN previous_secret_until timestamptz;
  `,
  /*
   * 4: the inbox. A conversation is open or resolved (when, by whom), and
   * assigned to one agent or to nobody; a visitor's new message reopens it
   * (messages.ts, in the append). `waiting_since`: when the visitor's oldest
   * message no agent has answered yet was stored (set by a visitor's message
   * when null, cleared by an agent's, in the same append), so lists read it
   * instead of scanning messages. Canned replies are per app, typed as
   * `/shortcut`. Search is PostgreSQL full-text search on the 'simple'
   * configuration (no stemming, no stop words: the same for every language
   * visitors write in), with GIN indexes on the messages' text and on the
   * visitor fields an agent searches by.
   */ `
  ALTER TABLE conversations ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved'));
  ALTER TABLE conversations ADD COLUMN resolved_at timestamptz;
  ALTER TABLE conversations ADD COLUMN resolved_by bigint REFERENCES agents(id);
  ALTER TABLE conversations ADD COLUMN assignee_id bigint REFERENCES agents(id);
  ALTER TABLE conversations ADD COLUMN waiting_since timestamptz;
  UPDATE conversations c SET waiting_since = (SELECT min(w.created_at) FROM messages w WHERE w.conversation_id = c.id AND w.author = 'visitor'
    AND w.seq > COALESCE((SELECT max(a.seq) FROM messages a WHERE a.conversation_id = c.id AND a.author = 'agent'), 0));
  CREATE INDEX conversations_app_status ON conversations (appid, status, updated_at DESC);
  CREATE INDEX conversations_assignee ON conversations (assignee_id, status) WHERE assignee_id IS NOT NULL;
  CREATE INDEX messages_text_search ON messages USING gin (to_tsvector('simple', text));
  CREATE INDEX visitors_text_search ON visitors USING gin (to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(nickname, '') || ' ' || coalesce(email, '') || ' ' || coalesce(business_user, '')));
  CREATE TABLE canned_replies (
    id bigserial PRIMARY KEY,
    appid text NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
    shortcut text NOT NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (appid, shortcut)
  );
  `,
  /*
   * 5: visitor context. The visitor's environment (browser, OS, time zone, screen: optional, reported by the
   * panel once per session), when it was last seen and when its current visit started; and the visit trail, one
   * row per page the visitor went to, the newest VISIT_TRAIL_MAX kept per visitor (trimmed in the transaction
   * that adds one, server/data/visit-trail.ts).
   */ `
  ALTER TABLE visitors ADD COLUMN browser text;
  ALTER TABLE visitors ADD COLUMN os text;
  ALTER TABLE visitors ADD COLUMN time_zone text;
  ALTER TABLE visitors ADD COLUMN screen text;
  ALTER TABLE visitors ADD COLUMN last_seen_at timestamptz;
  ALTER TABLE visitors ADD COLUMN visit_started_at timestamptz;
  CREATE TABLE visitor_pages (
    id bigserial PRIMARY KEY,
    visitor_id bigint NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
    url text NOT NULL,
    title text NOT NULL DEFAULT '',
    viewed_at timestamptz NOT NULL
  );
  CREATE INDEX visitor_pages_visitor ON visitor_pages (visitor_id, id DESC);
  `,
  /*
   * 6: agents with faces. The agent who wrote an agent message, so the visitor's panel can show that agent's avatar
   * (GET /v1/apps/:appid/agents/:id/avatar); no foreign key: messages outlive their author's account. And how soon
   * the app's team usually replies (REPLY_TIMES, '' = not said), shown in the panel header.
   */ `
  ALTER TABLE messages ADD COLUMN author_agent_id bigint;
  ALTER TABLE apps ADD COLUMN reply_time text NOT NULL DEFAULT '';
  `,
  /*
   * 7: the visitor's rating of a resolved conversation: good or bad, with an optional comment. One per resolution:
   * re-rating replaces it, a new resolve clears it (server/data/conversations.ts), so a reopened conversation can
   * be rated again after its next resolve.
   */ `
  ALTER TABLE conversations ADD COLUMN rating text CHECK (rating IN ('good', 'bad'));
  ALTER TABLE conversations ADD COLUMN rating_comment text;
  ALTER TABLE conversations ADD COLUMN rated_at timestamptz;
  `,
  /*
   * 8: attachments. A file is stored in the database (so every process of a PostgreSQL deployment serves it) as
   * one row of metadata and its bytes in ATTACHMENT_CHUNK_BYTES rows, written as the upload streams in and read
   * back one chunk at a time: never whole in memory. `complete` once the last chunk is in and the content was
   * accepted; `client_id` once a message claims it (the sender's client message id, so a resend claims the same
   * files). The message carries its attachments' views (`messages.attachments`, JSON), so lists and live
   * delivery need no join. `conversations.files_token`: the conversation's capability for its files' URLs,
   * issued at its first upload. An app's limits: the largest file and the types it accepts.
   */ `
  CREATE TABLE attachments (
    id text PRIMARY KEY,
    conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    uploader text NOT NULL CHECK (uploader IN ('visitor', 'agent')),
    uploader_id text NOT NULL,
    name text NOT NULL,
    type text,
    size bigint NOT NULL DEFAULT 0,
    width integer,
    height integer,
    complete boolean NOT NULL DEFAULT false,
    client_id text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX attachments_conversation ON attachments (conversation_id);
  CREATE TABLE attachment_chunks (
    attachment_id text NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (attachment_id, n)
  );
  ALTER TABLE messages ADD COLUMN attachments jsonb;
  ALTER TABLE conversations ADD COLUMN files_token text;
  CREATE UNIQUE INDEX conversations_files_token ON conversations (files_token) WHERE files_token IS NOT NULL;
  ALTER TABLE apps ADD COLUMN attachment_max_bytes integer NOT NULL DEFAULT 10485760;
  ALTER TABLE apps ADD COLUMN attachment_types text[] NOT NULL DEFAULT ARRAY['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']
  `,
  /*
   * 9: away hours and offline email. An app's business hours (src/shared/business-hours.ts: time zone and weekly
   * schedule, as JSON text; NULL = always open), and the email a visitor leaves on a conversation while the team
   * is away, so an agent can follow up (on the conversation, not the visitor: the profile's email is the site's
   * record of the person, this one is what the visitor typed for this request).
   */ `
  ALTER TABLE apps ADD COLUMN business_hours text;
  ALTER TABLE conversations ADD COLUMN follow_up_email text;
  ALTER TABLE conversations ADD COLUMN follow_up_email_at timestamptz;
  `,
  /*
   * 10: the background sweep of uploads no message claimed (server/upload-sweep.ts) finds them, oldest first,
   * without reading the claimed files, which are nearly all of them.
   */ `
  CREATE INDEX attachments_unclaimed ON attachments (created_at) WHERE client_id IS NULL
  `,
  /*
   * 11: the messages' full-text index merges its pending list in small steps. A GIN index with fastupdate queues
   * new entries in a pending list, and the insert that overflows it (4 MB by default) merges the whole list into
   * the index while its batch waits: about every 26,000 messages, a 190 ms stall for every message queued behind it
   * (PGlite has no autovacuum to merge it in the background). At 256 kB the merge comes 16 times as often and never
   * shows in a batch's time, for the same CPU per message (docs/performance.md, "PGlite in a worker thread").
   */ `
  ALTER INDEX messages_text_search SET (gin_pending_list_limit = 256)
  `,
];

/** Applies pending migrations, serialised across processes by an advisory lock. */
export async function migrate(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7357001)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.map((r) => Number(r.version)));
    for (let i = 0; i < MIGRATIONS.length; i++) {
      const version = i + 1;
      if (applied.has(version)) continue;
      for (const stmt of splitStatements(MIGRATIONS[i]!)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
  });
}

// The extended protocol runs one statement at a time; our migrations contain no
// semicolons inside literals, so a plain split is enough.
function splitStatements(sql: string): string[] {
  return sql.split(';').map((s) => s.trim()).filter(Boolean);
}
