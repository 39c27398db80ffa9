/**
 * BoundedSource: caps checked before anything is read, windows reused, the size learnt from a
 * short read or measured only when asked, and the scratch arena lent to one source at a time.
 */
import { describe, expect, it } from 'vitest';
import { BoundedSource, bufferSource, FIRST_READ, READ_AHEAD, type PositionalRead } from '../../src/probe/source.js';
import { failure } from '../helpers/failure.js';

/** A file in memory behind a counting positional read, with a counting size measurement. */
function countingFile(bytes: Uint8Array) {
  const calls = { reads: [] as [number, number][], measured: 0 };
  const pread: PositionalRead = (into, length, position) => {
    calls.reads.push([position, length]);
    const part = bytes.subarray(position, position + length);
    into.set(part);
    return part.length;
  };
  const measure = () => {
    calls.measured++;
    return bytes.length;
  };
  return { calls, pread, measure };
}

const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);

describe('BoundedSource reads', () => {
  it('returns the bytes asked for and serves later requests inside the window without reading', () => {
    const bytes = pattern(10_000);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, bytes.length);
    expect([...s.read(10, 5)]).toEqual([...bytes.subarray(10, 15)]);
    expect([...s.need(100, 20, 'x')]).toEqual([...bytes.subarray(100, 120)]);
    expect(f.calls.reads).toEqual([[10, FIRST_READ]]);
    expect(s.bytesRead).toBe(FIRST_READ);
  });

  it('reads at least the read-ahead after the first read, and never past the end', () => {
    const bytes = pattern(9000);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, bytes.length);
    s.read(0, 1);
    s.read(5000, 2);
    s.read(8990, 100);
    expect(f.calls.reads).toEqual([
      [0, FIRST_READ],
      [5000, READ_AHEAD],
      [8990, 10],
    ]);
    expect(s.read(8990, 100).length).toBe(10);
    expect(s.read(9000, 1).length).toBe(0);
  });

  it('learns the size from a short read, without measuring it', () => {
    const bytes = pattern(1500);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, f.measure);
    expect(s.read(0, 8).length).toBe(8);
    expect(s.size).toBe(1500);
    expect(s.read(1400, 500).length).toBe(100);
    expect(f.calls.measured).toBe(0);
  });

  it('measures an unknown size only when it is asked for, or when a read starts past the end', () => {
    const bytes = pattern(FIRST_READ * 3);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, f.measure);
    s.read(0, 16);
    expect(f.calls.measured).toBe(0);
    expect(s.size).toBe(bytes.length);
    expect(f.calls.measured).toBe(1);

    const g = countingFile(pattern(5000));
    const t = new BoundedSource(g.pread, g.measure);
    t.read(0, 16);
    expect(t.read(7000, 4).length).toBe(0);
    expect(g.calls.measured).toBe(1);
    expect(t.size).toBe(5000);
  });

  it('refuses reads past the byte cap before reading, and counts reads against the read cap', () => {
    const bytes = pattern(100_000);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, bytes.length, { maxBytes: 10_000, maxReads: 1000 });
    expect(failure(() => s.read(0, 20_000)).code).toBe('E_HEADER_TOO_LARGE');
    expect(f.calls.reads).toEqual([]);
    // Read-ahead stops at the cap: 10,000 bytes in all, then nothing more.
    s.read(0, 1);
    s.read(50_000, 1);
    for (let at = 60_000; s.bytesRead + 1 <= 10_000 && at < 90_000; at += 2000) s.read(at, 1);
    expect(s.bytesRead).toBeLessThanOrEqual(10_000);
    expect(failure(() => s.read(95_000, 4000)).code).toBe('E_HEADER_TOO_LARGE');

    const r = new BoundedSource(countingFile(bytes).pread, bytes.length, { maxBytes: 1 << 20, maxReads: 3 });
    r.read(0, 1);
    r.read(20_000, 1);
    r.read(40_000, 1);
    expect(failure(() => r.read(60_000, 1)).message).toMatch(/more than 3 separate reads/);
  });

  it('refuses offsets and lengths that are not safe non-negative integers, before and after a read', () => {
    const s = bufferSource(pattern(100));
    const bad = [
      [-1, 4],
      [0, -4],
      [2 ** 53, 1],
      [0.5, 1],
      [1, 0.5],
      [Number.NaN, 1],
      [0, Infinity],
    ];
    for (const [o, l] of bad) expect(failure(() => s.read(o!, l!)).code).toBe('E_BAD_HEADER');
    // With the whole file in the window, the shortcut for reads inside it must refuse them too.
    expect(s.read(0, 100).length).toBe(100);
    for (const [o, l] of bad) expect(failure(() => s.read(o!, l!)).code).toBe('E_BAD_HEADER');
  });

  it('reads bytes and big-endian 16-bit integers in place, reading the file only past the window', () => {
    const bytes = pattern(FIRST_READ + 2000);
    const f = countingFile(bytes);
    const s = new BoundedSource(f.pread, bytes.length);
    expect(s.u8(0, 'x')).toBe(bytes[0]);
    expect(s.u8(7, 'x')).toBe(bytes[7]);
    expect(s.u16be(100, 'x')).toBe((bytes[100]! << 8) | bytes[101]!);
    expect(f.calls.reads).toEqual([[0, FIRST_READ]]);
    // The last byte of the window and the first byte after it: one more read, from that offset.
    expect(s.u16be(FIRST_READ - 1, 'x')).toBe((bytes[FIRST_READ - 1]! << 8) | bytes[FIRST_READ]!);
    expect(f.calls.reads).toEqual([
      [0, FIRST_READ],
      [FIRST_READ - 1, READ_AHEAD],
    ]);
    expect(s.u8(FIRST_READ + 1999, 'x')).toBe(bytes[FIRST_READ + 1999]);
  });

  it('fails a scalar read past the end as cut off, naming what', () => {
    const s = bufferSource(pattern(10));
    expect(s.u8(9, 'x')).toBe(pattern(10)[9]);
    const e = failure(() => s.u16be(9, () => 'the length of marker 0xE1'));
    expect([e.code, e.message]).toEqual([
      'E_TRUNCATED',
      'the length of marker 0xE1 is cut off: needs 2 bytes at offset 9, the file has 10',
    ]);
    expect(failure(() => s.u8(10, 'the marker at byte 10')).code).toBe('E_TRUNCATED');
    expect(failure(() => s.u8(-1, 'x')).code).toBe('E_BAD_HEADER');
  });

  it('names what is cut off, building the name only on failure', () => {
    const s = bufferSource(pattern(10));
    let built = 0;
    expect(s.need(0, 10, () => `built ${++built}`).length).toBe(10);
    expect(built).toBe(0);
    const e = failure(() => s.need(4, 20, () => `the box at byte ${4 + built++}`));
    expect([e.code, e.message]).toEqual([
      'E_TRUNCATED',
      'the box at byte 4 is cut off: needs 20 bytes at offset 4, the file has 10',
    ]);
  });
});

describe('the scratch arena', () => {
  it('is lent to one source at a time: a second live source keeps bytes of its own', () => {
    const a = pattern(20_000);
    const b = Uint8Array.from(a, (x) => 255 - x);
    const first = new BoundedSource(countingFile(a).pread, a.length).useArena();
    const second = new BoundedSource(countingFile(b).pread, b.length).useArena();
    const fromFirst = first.read(0, 64);
    const fromSecond = second.read(0, 64);
    first.read(10_000, 4000);
    second.read(12_000, 4000);
    expect([...fromFirst]).toEqual([...a.subarray(0, 64)]);
    expect([...fromSecond]).toEqual([...b.subarray(0, 64)]);
    first.release();
    second.release();
  });

  it('serves reads past its end from buffers of their own, and the next source after a release', () => {
    const a = pattern(2_000_000);
    const s = new BoundedSource(countingFile(a).pread, a.length).useArena();
    // 600 KiB of windows: more than the arena holds, so the last ones are buffers of their own.
    const views = Array.from({ length: 10 }, (_, i) => [i * 150_000, s.read(i * 150_000, 60_000)] as const);
    for (const [at, v] of views) expect(v[0]).toBe(a[at]);
    for (const [at, v] of views) expect(v[59_999]).toBe(a[at + 59_999]);
    s.release();
    const t = new BoundedSource(countingFile(a).pread, a.length).useArena();
    expect([...t.read(777, 3)]).toEqual([...a.subarray(777, 780)]);
    t.release();
  });
});
