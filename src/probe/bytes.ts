/** Small helpers for reading integers out of header bytes. Out-of-range reads return 0 safely
 * only where callers have already checked lengths; they never throw. */
export const u8 = (b: Uint8Array, i: number): number => b[i] ?? 0;
// Each helper indexes the bytes itself rather than calling u8: a header walk calls these many
// times per file, most of them before the JIT has optimised (and inlined) anything.
export const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
export const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
export const u24be = (b: Uint8Array, i: number): number =>
  ((b[i] ?? 0) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
export const u24le = (b: Uint8Array, i: number): number =>
  (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16);
export const u32be = (b: Uint8Array, i: number): number =>
  (b[i] ?? 0) * 0x1000000 + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0));
export const u32le = (b: Uint8Array, i: number): number =>
  ((b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16)) + (b[i + 3] ?? 0) * 0x1000000;
export const i32le = (b: Uint8Array, i: number): number =>
  (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24);
/** 64-bit unsigned as a Number; values above 2^53 come back as Infinity so callers reject them. */
export function u64be(b: Uint8Array, i: number): number {
  const v = u32be(b, i) * 0x100000000 + u32be(b, i + 4);
  return Number.isSafeInteger(v) ? v : Infinity;
}
export function u64le(b: Uint8Array, i: number): number {
  const v = u32le(b, i + 4) * 0x100000000 + u32le(b, i);
  return Number.isSafeInteger(v) ? v : Infinity;
}
/** ASCII text of bytes [start, end), for four-character codes and signatures. */
export function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
/** Whether `b` starts with `sig` at `at`. */
export function startsWith(b: Uint8Array, sig: ArrayLike<number>, at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** CRC-32 (ISO 3309, the polynomial PNG uses: PNG §5.5), table built on first use. */
let crcTable: Uint32Array | null = null;
export function crc32(b: Uint8Array, start: number, end: number): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
