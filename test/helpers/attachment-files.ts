// Small files of every type the server recognises by content, and some it must refuse, built byte by byte so
// the tests need no binary fixtures. Each is valid as far as the server looks (magic number, header, size).

const bytes = (...parts: Array<number[] | Uint8Array | string>): Uint8Array => {
  const arrays = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];

/** A real, decodable PNG of width x height (one colour), so browsers render it. */
export function png(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of data) c = crcTable[(c ^ b) & 255]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const body = bytes(type, data);
    return bytes(be32(data.length), body, be32(crc(body)));
  };
  // Raw scanlines: filter 0 then RGB; stored (uncompressed) deflate blocks inside a zlib stream.
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([40, 120, 200], y * (1 + width * 3) + 1 + x * 3);
  const blocks: Array<number[] | Uint8Array> = [[0x78, 0x01]];
  for (let at = 0; at < raw.length || at === 0; at += 65535) {
    const part = raw.subarray(at, at + 65535);
    const last = at + 65535 >= raw.length ? 1 : 0;
    blocks.push([last, ...le16(part.length), ...le16(~part.length & 0xffff)], part);
    if (last) break;
  }
  let a = 1;
  let b = 0;
  for (const v of raw) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  blocks.push(be32(((b << 16) | a) >>> 0));
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', bytes(be32(width), be32(height), [8, 2, 0, 0, 0])), chunk('IDAT', bytes(...blocks)), chunk('IEND', new Uint8Array(0)));
}

/** A JPEG header with an APP0 segment, then a baseline frame of width x height (not decodable past that). */
export function jpegHeader(width: number, height: number): Uint8Array {
  return bytes([0xff, 0xd8], [0xff, 0xe0, ...be16(16)], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0], [0xff, 0xc0, ...be16(11), 8, ...be16(height), ...be16(width), 1, 1, 0x11, 0], [0xff, 0xd9]);
}

export function gifHeader(width: number, height: number): Uint8Array {
  return bytes('GIF89a', le16(width), le16(height), [0, 0, 0], [0x3b]);
}

/** A WebP (lossless) header of width x height. */
export function webpHeader(width: number, height: number): Uint8Array {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  return bytes('RIFF', [26, 0, 0, 0], 'WEBPVP8L', [13, 0, 0, 0, 0x2f], [bits & 255, (bits >>> 8) & 255, (bits >>> 16) & 255, (bits >>> 24) & 255], [0, 0, 0, 0, 0, 0]);
}

/** A minimal one-page PDF. */
export function pdf(): Uint8Array {
  return bytes('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
}

/** A Windows executable's first bytes: what an .exe renamed .png looks like. */
export function exe(): Uint8Array {
  return bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0], 'This program cannot be run in DOS mode.');
}
