/**
 * Searching conversations: PostgreSQL full-text search over the messages'
 * text and the visitors' name, nickname, email and business-user id, on the
 * 'simple' configuration (migration 4's GIN indexes), the same SQL on PGlite
 * and PostgreSQL. The matching words come back marked by ts_headline with two
 * private-use characters (taken out of the text first, so a visitor cannot
 * forge a highlight) and leave here as segments: the console renders them as
 * text, never as HTML.
 */
import type { HighlightSegment, MessageView } from '../../src/shared/wire-protocol.js';
import type { Store } from '../db/store.js';
import { toMessageView, type MessageRow } from './messages.js';

/** Start and end of a highlighted word in ts_headline's answer (U+E000, U+E001). */
const MARK_START = '\uE000';
const MARK_END = '\uE001';
/** Conversations one search returns at most. */
export const SEARCH_LIMIT = 50;

/** The visitor fields a search looks at, as one document (the expression of visitors_text_search). */
const VISITOR_DOC = `coalesce(v.name, '') || ' ' || coalesce(v.nickname, '') || ' ' || coalesce(v.email, '') || ' ' || coalesce(v.business_user, '')`;
const HEADLINE_OPTIONS = `'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'`;
/**
 * The document ts_headline marks: `col` without our marker characters, and,
 * unless it holds one of the stand-ins, with `<` and `&` swapped for them
 * (ts_headline drops what looks like an HTML tag or entity; a stand-in is
 * kept and swapped back in segments()).
 */
const HEADLINE_DOC = (col: string) =>
  `CASE WHEN ${ESCAPABLE(col)} THEN translate(${UNMARKED(col)}, '<&', chr(8249) || chr(65286)) ELSE ${UNMARKED(col)} END`;
const UNMARKED = (col: string) => `replace(replace(${col}, chr(57344), ''), chr(57345), '')`;
/** Whether `col` holds no stand-in, so the swap can be undone exactly. */
const ESCAPABLE = (col: string) => `(strpos(${col}, chr(8249)) = 0 AND strpos(${col}, chr(65286)) = 0)`;
/** The stand-ins of `<` and `&` in a headline's document (U+2039, U+FF06). */
const STAND_INS: Record<string, string> = { '\u2039': '<', '\uFF06': '&' };

export interface SearchHit {
  conversationId: string;
  /** The best matching message of the conversation, or null when only the visitor matched. */
  message: MessageView | null;
  snippet: HighlightSegment[];
}

export class Search {
  constructor(private readonly store: Store) {}

  /**
   * Conversations of app `appid` (null: every app) whose messages or visitor
   * match `query` (websearch syntax: words, "phrases", -not, or), the most
   * recent match first, with one highlighted excerpt each.
   */
  async conversations(query: string, appid: string | null, limit = SEARCH_LIMIT): Promise<SearchHit[]> {
    const rows = await this.store.query<MessageRow & { hit_conversation: string; headline: string; message_hit: boolean; escaped: boolean }>(
      `WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q),
       -- Both branches name their columns (no m.*): a column added to messages must not break the UNION.
       message_hits AS (
         SELECT DISTINCT ON (m.conversation_id) m.id, m.conversation_id, m.seq, m.author, m.author_name, m.author_agent_id, m.text, m.client_id, m.created_at,
                m.conversation_id AS hit_conversation, true AS message_hit, m.created_at AS hit_at,
                ts_headline('simple', ${HEADLINE_DOC('m.text')}, q.q, ${HEADLINE_OPTIONS}) AS headline, ${ESCAPABLE('m.text')} AS escaped
           FROM messages m JOIN conversations c ON c.id = m.conversation_id, q
          WHERE to_tsvector('simple', m.text) @@ q.q AND ($2::text IS NULL OR c.appid = $2)
          ORDER BY m.conversation_id, m.seq DESC
       ),
       visitor_hits AS (
         SELECT NULL::text AS id, NULL::text AS conversation_id, NULL::int AS seq, NULL::text AS author, NULL::text AS author_name, NULL::bigint AS author_agent_id, NULL::text AS text,
                NULL::text AS client_id, NULL::timestamptz AS created_at, c.id AS hit_conversation, false AS message_hit, c.updated_at AS hit_at,
                ts_headline('simple', ${HEADLINE_DOC(`(${VISITOR_DOC})`)}, q.q, ${HEADLINE_OPTIONS}) AS headline, ${ESCAPABLE(`(${VISITOR_DOC})`)} AS escaped
           FROM conversations c JOIN visitors v ON v.id = c.visitor_id, q
          WHERE c.last_seq > 0 AND to_tsvector('simple', ${VISITOR_DOC}) @@ q.q AND ($2::text IS NULL OR c.appid = $2)
            AND NOT EXISTS (SELECT 1 FROM message_hits h WHERE h.hit_conversation = c.id)
       )
       SELECT id, conversation_id, seq, author, author_name, author_agent_id, text, client_id, created_at, hit_conversation, message_hit, headline, escaped
         FROM (SELECT * FROM message_hits UNION ALL SELECT * FROM visitor_hits) hits
        ORDER BY hit_at DESC LIMIT $3`,
      [query, appid, Math.min(Math.max(limit, 1), SEARCH_LIMIT)],
    );
    return rows.map((r) => ({
      conversationId: r.hit_conversation,
      message: r.message_hit ? toMessageView(r) : null,
      snippet: segments(r.headline.trim(), r.escaped),
    }));
  }
}

/** ts_headline's marked text as segments (marks that do not pair up end at the text's end); `escaped`: swap the stand-ins back. */
export function segments(marked: string, escaped = false): HighlightSegment[] {
  const out: HighlightSegment[] = [];
  let hit = false;
  let text = '';
  const flush = () => {
    if (text) out.push({ text, hit });
    text = '';
  };
  for (const ch of marked) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      hit = ch === MARK_START;
    } else text += escaped ? (STAND_INS[ch] ?? ch) : ch;
  }
  flush();
  // Neighbouring pieces of the same kind (a word ends its mark, the next one starts one) read as one.
  return out.reduce<HighlightSegment[]>((acc, s) => {
    const last = acc.at(-1);
    if (last && last.hit === s.hit) last.text += s.text;
    else acc.push({ ...s });
    return acc;
  }, []);
}
