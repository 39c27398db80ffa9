import { startsWith, u32be } from '../bytes.js';
import { fail } from '../failure.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { PILLOW_9_0, PILLOW_11_3, pillowHeader } from './pillow-layout.js';

/** McIDAS area file: the directory's first two words are 0 (status) and 4 (area format). */
const MCIDAS_MAGIC = [0, 0, 0, 0, 0, 0, 0, 4];

export function sniffMcidas(h: Uint8Array): boolean {
  return startsWith(h, MCIDAS_MAGIC);
}

/**
 * The 64-word big-endian area directory (SSEC McIDAS "Area File Format"): word 9 lines, word 10
 * elements, word 11 bytes per element. Pillow (McIdasImagePlugin) opens 1 byte as L, 2 as I;16B
 * (I in Pillow 9), 4 as I.
 */
export function readMcidasHeader(src: ByteSource): Header {
  const h = src.need(0, 256, 'the McIDAS area directory');
  if (!sniffMcidas(h)) throw fail('mcidas', 'E_BAD_SIGNATURE', 'not a McIDAS area directory');
  const word = (n: number): number => u32be(h, (n - 1) * 4) | 0;
  const bytes = word(11);
  const modes: Record<number, [string, string]> = { 1: ['L', 'L'], 2: ['I;16B', 'I'], 4: ['I', 'I'] };
  const mode = modes[bytes];
  if (!mode) throw fail('mcidas', 'E_UNSUPPORTED_FEATURE', `${bytes} bytes per element, which Pillow does not open`);
  // I;16B is measured in 11.3; before it the larger I is taken.
  const history: [number, string][] = [
    [PILLOW_9_0, mode[1]],
    [PILLOW_11_3, mode[0]],
  ];
  return pillowHeader('mcidas', { width: word(10), height: word(9), mode: mode[0], history });
}
