/** The integer helpers agree with DataView, and read missing bytes as 0 instead of throwing. */
import { describe, expect, it } from 'vitest';
import { ascii, i32le, u16be, u16le, u24be, u24le, u32be, u32le, u64be, u64le, u8 } from '../../src/probe/bytes.js';
import { lcg } from '../helpers/bytes.js';

describe('byte helpers', () => {
  const next = lcg(7);
  const b = Uint8Array.from({ length: 256 }, () => Math.floor(next() * 256));
  const view = new DataView(b.buffer);

  it('read big- and little-endian integers as DataView does', () => {
    for (let i = 0; i + 8 <= b.length; i++) {
      expect([u16be(b, i), u16le(b, i)]).toEqual([view.getUint16(i), view.getUint16(i, true)]);
      expect([u24be(b, i), u24le(b, i)]).toEqual([view.getUint32(i) >>> 8, view.getUint32(i, true) & 0xffffff]);
      expect([u32be(b, i), u32le(b, i), i32le(b, i)]).toEqual([
        view.getUint32(i),
        view.getUint32(i, true),
        view.getInt32(i, true),
      ]);
      const [be, le] = [view.getBigUint64(i), view.getBigUint64(i, true)];
      expect([u64be(b, i), u64le(b, i)]).toEqual([
        be <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(be) : Infinity,
        le <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(le) : Infinity,
      ]);
    }
  });

  it('read bytes past the end as 0', () => {
    const short = Uint8Array.from([0x12, 0x34]);
    expect([u8(short, 5), u16be(short, 1), u16le(short, 1), u32be(short, 0), u32le(short, 0)]).toEqual([
      0, 0x3400, 0x34, 0x12340000, 0x3412,
    ]);
    expect(ascii(Uint8Array.from([0x41, 0x42]), 0, 4)).toBe('AB');
  });
});
