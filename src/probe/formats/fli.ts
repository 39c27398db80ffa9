import { u16le } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { pillowHeader } from './pillow-layout.js';

/** FLIC animation (Autodesk Animator file formats): 0xAF11 for FLI, 0xAF12 for FLC. */
const FLI_MAGICS = [0xaf11, 0xaf12];

/** The magic at byte 4, and the reserved word at 20 zero (both Pillow 9.4 and current check it). */
export function sniffFli(h: Uint8Array): boolean {
  return h.length >= 22 && FLI_MAGICS.includes(u16le(h, 4)) && h[20] === 0 && h[21] === 0;
}

/**
 * The 128-byte header (little-endian): size(4) type(2) frames(2) width(2) height(2) depth(2)
 * flags(2). Pillow (FliImagePlugin) opens every FLIC as P, one frame per counted frame (the ring
 * frame is not counted), with flags 0 or 3; Pillow 12 also wants the reserved bytes 42-79 and
 * 88-127 zero.
 */
export function readFliHeader(src: ByteSource): Header {
  const h = src.need(0, 128, 'the FLIC header');
  if (!sniffFli(h)) throw fail('fli', 'E_BAD_SIGNATURE', 'not a FLIC header');
  const frames = u16le(h, 6);
  if (frames === 0) throw fail('fli', 'E_BAD_HEADER', 'the header counts no frames');
  const flags = u16le(h, 14);
  if (flags !== 0 && flags !== 3)
    throw fail('fli', 'E_UNSUPPORTED_FEATURE', `flags ${flags}, which Pillow does not open`);
  const reservedClear = h.subarray(42, 80).every((b) => b === 0) && h.subarray(88, 128).every((b) => b === 0);
  const notes = reservedClear ? [] : ['reserved header bytes are set: Pillow 12 does not open it, 9 and 11 do'];
  return pillowHeader('fli', { width: u16le(h, 8), height: u16le(h, 10), mode: 'P', frames, notes });
}
