import type { Format, Header } from './header.js';
import type { ByteSource } from './source.js';

/** One format: its sniff and its header reader (registered in READERS, src/probe/detect.ts). */
export interface FormatReader {
  /** The format name when the sniff matches; readers of container formats may refine it. */
  format: Format;
  /** Whether the leading bytes carry this format's signature. */
  sniff(head: Uint8Array): boolean;
  /**
   * Reads the header, or throws a ProbeFailure. With `structure`, also walks the rest of the
   * file's structure as far as its reader documents (bounded), for data the decoder would miss.
   */
  read(src: ByteSource, structure?: boolean): Header;
}
