/**
 * Splits message text into plain text and http(s) links, so the view can
 * render links as <a> elements through lit bindings. Nothing here produces
 * HTML: every part is text that lit escapes.
 */

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Candidate URLs: an explicit http(s) scheme or a leading `www.`; anything else stays text.
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
// Punctuation that usually ends the sentence rather than the URL.
const TRAILING = /[.,;:!?)\]}'"。，、！？）]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let raw = match[0];
    const trail = TRAILING.exec(raw);
    // Keep a closing parenthesis that balances one inside the URL (e.g. wiki links).
    if (trail) {
      let cut = trail[0];
      if (cut.startsWith(')') && countOf(raw, '(') > countOf(raw.slice(0, -cut.length), ')')) cut = cut.slice(1);
      raw = raw.slice(0, raw.length - cut.length);
    }
    const href = safeHref(raw);
    const start = match.index ?? 0;
    if (!href) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The normalised href for an http(s) URL (a `www.` one gets https), or null. */
export function safeHref(raw: string): string | null {
  const withScheme = /^www\./i.test(raw) ? `https://${raw}` : raw;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
