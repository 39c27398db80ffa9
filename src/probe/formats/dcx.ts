import { u32le } from '../bytes.js';
import { fail, ProbeFailure } from '../failure.js';
import type { Header, PixelLayout } from '../header.js';
import type { ByteSource } from '../source.js';
import { readPcxAt } from './pcx.js';

/** DCX (Intel multi-page PCX): the magic, then up to 1024 page offsets ending at a zero. */
const DCX_MAGIC = 0x3ade68b1;
const MAX_PAGES = 1024;

export function sniffDcx(h: Uint8Array): boolean {
  return h.length >= 8 && u32le(h, 0) === DCX_MAGIC;
}

/**
 * Pillow (DcxImagePlugin) reports the first page's size and mode and one frame per offset. Each
 * page is a PCX image of its own size; the others are read too (as otherPages), since Pillow holds
 * one page at a time and the largest decides the memory. A later page Pillow could not open only
 * fails when it is reached, so here it is a note.
 */
export function readDcxHeader(src: ByteSource): Header {
  const offsets: number[] = [];
  for (let i = 0; i < MAX_PAGES; i++) {
    const offset = u32le(src.need(4 + 4 * i, 4, 'the DCX page table'), 0);
    if (offset === 0) break;
    offsets.push(offset);
  }
  if (offsets.length === 0) throw fail('dcx', 'E_BAD_HEADER', 'the page table is empty');
  const first = readPcxAt(src, offsets[0]!);
  const others: PixelLayout[] = [];
  const notes: string[] = [];
  for (let i = 1; i < offsets.length; i++) {
    try {
      const p = readPcxAt(src, offsets[i]!);
      others.push({ width: p.width, height: p.height, channels: p.channels, bitsPerSample: p.bitsPerSample });
    } catch (e) {
      if (!(e instanceof ProbeFailure) || e.code === 'E_HEADER_TOO_LARGE') throw e;
      notes.push(`page ${i + 1}: ${e.message}`);
    }
  }
  const differ = others.some(
    (p) => p.width !== first.width || p.height !== first.height || p.channels !== first.channels,
  );
  return {
    ...first,
    format: 'dcx',
    frames: offsets.length,
    ...(differ ? { otherPages: others } : {}),
    ...(notes.length > 0 ? { notes: [...(first.notes ?? []), ...notes] } : {}),
  };
}
