/** Avatar images: the type comes from the content (magic bytes), never from the upload's claim. */

/** The first bytes of each accepted format, and the type it is served as. */
const SIGNATURES: ReadonlyArray<{ type: string; test: (b: Buffer) => boolean }> = [
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** The image type of these bytes, or null when they are none of PNG, JPEG, GIF, WebP. */
export function imageTypeOf(bytes: Buffer): string | null {
  if (bytes.length < 12) return null;
  return SIGNATURES.find((s) => s.test(bytes))?.type ?? null;
}

/** Backgrounds of initials avatars: white text on each has a contrast ratio of at least 4.5. */
const INITIALS_BACKGROUNDS = ['#0b5cad', '#8a3ffc', '#b8285e', '#1f7a4a', '#a84b00', '#3d5a80'];

/**
 * The avatar of an agent who has none (or no longer works here): the first
 * letter of their name on a colour picked by their id, as SVG. Every agent a
 * visitor sees a message from then has a picture, so the panel never asks
 * for one that is missing (a 404 would show in the site's console).
 */
export function initialsAvatar(name: string, id: number): { type: string; bytes: Buffer } {
  const letter = [...name.trim()][0]?.toLocaleUpperCase() ?? '?';
  const text = letter.replace(/[<>&'"]/g, (c) => `&#${c.codePointAt(0)};`);
  const fill = INITIALS_BACKGROUNDS[id % INITIALS_BACKGROUNDS.length];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">` +
    `<rect width="48" height="48" rx="24" fill="${fill}"/>` +
    `<text x="24" y="31" font-family="system-ui,sans-serif" font-size="20" font-weight="600" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return { type: 'image/svg+xml', bytes: Buffer.from(svg, 'utf8') };
}
