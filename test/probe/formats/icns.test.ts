import { describe, expect, it } from 'vitest';
import { readIcnsHeader, sniffIcns } from '../../../src/probe/formats/icns.js';
import { be32, concat, makePng, src, text } from '../../helpers/bytes.js';
import { failure } from '../../helpers/failure.js';
import { describePillowFormat } from '../../helpers/pillow-formats.js';

const element = (type: string, data: ArrayLike<number>): Uint8Array => concat(text(type), be32(8 + data.length), data);
const icns = (...elements: Uint8Array[]): Uint8Array => {
  const body = concat(...elements);
  return concat(text('icns'), be32(8 + body.length), body);
};
/** 16x16 packed RGB, stored uncompressed (3 x 256 bytes), and its mask. */
const is32 = element('is32', new Array(768).fill(9));
const s8mk = element('s8mk', new Array(256).fill(255));
const png = (w: number, h: number): Uint8Array => makePng({ width: w, height: h, colourType: 6 });

describePillowFormat('ICNS', {
  format: 'icns',
  sniff: sniffIcns,
  read: readIcnsHeader,
  samples: () => [
    {
      name: '16x16 RGB and mask',
      bytes: icns(is32, s8mk),
      current: { mode: 'RGBA', width: 16, height: 16, frames: 1 },
    },
    {
      name: 'PNG 256 beside 16',
      bytes: icns(is32, element('ic08', png(256, 256)), s8mk),
      current: { mode: 'RGBA', width: 256, height: 256, frames: 1 },
    },
    {
      name: '512@2x is the largest',
      bytes: icns(element('ic09', png(512, 512)), element('ic10', png(1024, 1024)), element('ic14', png(512, 512))),
      current: { mode: 'RGBA', width: 1024, height: 1024, frames: 1 },
    },
    {
      name: 'unknown elements between',
      bytes: icns(element('TOC ', new Array(16).fill(0)), element('icnV', [0, 0, 0, 0]), is32),
      current: { mode: 'RGBA', width: 16, height: 16, frames: 1 },
    },
  ],
  written: { code: 'Image.new("RGBA", (64, 64)).save("a.icns")', names: ['a.icns'] },
});

describe('readIcnsHeader: hostile files', () => {
  it('a PNG larger than its slot is sized as load() keeps it, with a note', () => {
    const h = readIcnsHeader(src(icns(element('ic07', png(4000, 300)))));
    expect([h.width, h.height]).toEqual([4000, 300]);
    expect(h.notes?.[0]).toMatch(/128x128 slot holds a 4000x300 PNG/);
  });
  it('an element length of zero (a loop) or below 8 fails cleanly', () => {
    expect(failure(() => readIcnsHeader(src(icns(concat(text('is32'), be32(0)))))).code).toBe('E_BAD_HEADER');
    expect(failure(() => readIcnsHeader(src(icns(concat(text('is32'), be32(7)))))).code).toBe('E_BAD_HEADER');
  });
  it('a file length past the end, or no element Pillow reads, fails cleanly', () => {
    const long = icns(is32);
    long.set(be32(1 << 20), 4);
    expect(failure(() => readIcnsHeader(src(long))).code).toBe('E_TRUNCATED');
    expect(failure(() => readIcnsHeader(src(icns(element('TOC ', [0, 0, 0, 0]))))).code).toBe('E_UNSUPPORTED_FEATURE');
  });
  it('thousands of 8-byte elements stop at the element bound', () => {
    const many = icns(...new Array(2000).fill(element('zzzz', [])));
    expect(failure(() => readIcnsHeader(src(many))).code).toBe('E_STRUCTURE_LOOP');
  });
});
