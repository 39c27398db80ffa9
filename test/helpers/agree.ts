import { expect } from 'vitest';
import type { Header } from '../../src/probe/header.js';
import type { ByteSource } from '../../src/probe/source.js';
import { src } from './bytes.js';
import { failure } from './failure.js';
import { sharpMeta } from './sharp.js';

/**
 * A reader agrees with sharp on hand-made bytes: the same size, bands and pages where sharp reads
 * the header, and a `corrupt` failure where sharp refuses it.
 */
export async function agreesWithSharp(read: (s: ByteSource) => Header, bytes: Uint8Array): Promise<void> {
  const truth = await sharpMeta(bytes);
  if (truth === null) {
    expect(failure(() => read(src(bytes))).status).toBe('corrupt');
    return;
  }
  const h = read(src(bytes));
  expect({ width: h.width, height: h.height, channels: h.channels, pages: h.frames }).toEqual(truth);
}
