/**
 * File names are bytes on Linux; results carry a string `path`. Names that are valid UTF-8 are
 * shown as they are. Any byte that is not part of a valid UTF-8 sequence is shown as `\xNN`
 * (two lowercase hex digits), like Python's "backslashreplace": the name stays readable, two
 * different names never show the same, and the file is still opened by its real bytes.
 */

/** The name as a string, or null when the bytes are not valid UTF-8. */
export function utf8Exact(bytes: Uint8Array): string | null {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // toString replaces invalid bytes with U+FFFD; a round trip tells whether any were replaced.
  if (!s.includes('\uFFFD')) return s;
  return Buffer.from(s, 'utf8').equals(bytes) ? s : null;
}

/** The display form of a name: valid UTF-8 as is, other bytes as `\xNN`. */
export function displayName(bytes: Uint8Array): string {
  const exact = utf8Exact(bytes);
  if (exact !== null) return exact;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      out += Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
      i += n;
    } else {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629 section 4). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0; // no overlong forms
    if (c === 0xed) hi = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
  } else return 0;
  if (i + n > b.length) return 0;
  const second = b[i + 1]!;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) {
    const x = b[i + k]!;
    if (x < 0x80 || x > 0xbf) return 0;
  }
  return n;
}
