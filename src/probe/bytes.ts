/** Small helpers for reading integers out of header bytes. Out-of-range reads return 0 safely
 * only where callers have already checked lengths; they never throw. */
export const u8 = (b: Uint8Array, i: number): number => b[i] ?? 0;
export const u16be = (b: Uint8Array, i: number): number => (u8(b, i) << 8) | u8(b, i + 1);
export const u16le = (b: Uint8Array, i: number): number => u8(b, i) | (u8(b, i + 1) << 8);
export const u24be = (b: Uint8Array, i: number): number => (u8(b, i) << 16) | (u8(b, i + 1) << 8) | u8(b, i + 2);
export const u24le = (b: Uint8Array, i: number): number => u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16);
export const u32be = (b: Uint8Array, i: number): number => u8(b, i) * 0x1000000 + u24be(b, i + 1);
export const u32le = (b: Uint8Array, i: number): number => u24le(b, i) + u8(b, i + 3) * 0x1000000;
export const i32le = (b: Uint8Array, i: number): number => u32le(b, i) | 0;
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
  for (let i = start; i < end && i < b.length; i++) s += String.fromCharCode(u8(b, i));
  return s;
}
/** Whether `b` starts with `sig` at `at`. */
export function startsWith(b: Uint8Array, sig: ArrayLike<number>, at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}
