import type { FormatReader } from '../reader.js';
import type { Header } from '../header.js';
import type { ByteSource } from '../source.js';
import { readBlpHeader, sniffBlp } from './blp.js';
import { readMcidasHeader, sniffMcidas } from './mcidas.js';
import { readPixarHeader, sniffPixar } from './pixar.js';
import { readFtexHeader, sniffFtex } from './ftex.js';
import { readSpiderHeader, sniffSpider } from './spider.js';
import { readImHeader, sniffIm } from './im.js';
import { readImtHeader, sniffImt } from './imt.js';
import { readXpmHeader, sniffXpm } from './xpm.js';
import { readXvThumbHeader, sniffXvThumb } from './xvthumb.js';
import { PCD_SIGNATURE_AT, readPcdHeader, sniffPcd } from './pcd.js';
import { readEpsHeader, sniffEps } from './eps.js';
import { readDcxHeader, sniffDcx } from './dcx.js';
import { readFitsHeader, sniffFits } from './fits.js';
import { readFliHeader, sniffFli } from './fli.js';
import { readGbrHeader, sniffGbr } from './gbr.js';
import { readIcnsHeader, sniffIcns } from './icns.js';
import { readJp2Header, sniffJp2 } from './jp2.js';
import { readMspHeader, sniffMsp } from './msp.js';
import { readPcxHeader, sniffPcx } from './pcx.js';
import { readSgiHeader, sniffSgi } from './sgi.js';
import { readSunHeader, sniffSun } from './sun.js';
import { readXbmHeader, sniffXbm } from './xbm.js';

/** A format only Pillow opens: its reader, and a human name for messages. */
interface PillowOnly {
  format: Header['format'];
  name: string;
  sniff(head: Uint8Array): boolean;
  read(src: ByteSource): Header;
}

/**
 * The formats only Pillow opens (sharp has no loader for them), in sniff order: fixed signatures
 * first, the loosest (GIMP brush: small integers, no magic in version 1) last.
 */
export const PILLOW_ONLY: PillowOnly[] = [
  { format: 'jp2', name: 'JPEG 2000', sniff: sniffJp2, read: readJp2Header },
  { format: 'icns', name: 'Apple icon (ICNS)', sniff: sniffIcns, read: readIcnsHeader },
  { format: 'fits', name: 'FITS', sniff: sniffFits, read: readFitsHeader },
  { format: 'sgi', name: 'SGI image', sniff: sniffSgi, read: readSgiHeader },
  { format: 'dcx', name: 'DCX (multi-page PCX)', sniff: sniffDcx, read: readDcxHeader },
  { format: 'sun', name: 'Sun raster', sniff: sniffSun, read: readSunHeader },
  { format: 'msp', name: 'Microsoft Paint (MSP)', sniff: sniffMsp, read: readMspHeader },
  { format: 'fli', name: 'FLIC animation (FLI/FLC)', sniff: sniffFli, read: readFliHeader },
  { format: 'blp', name: 'Blizzard texture (BLP)', sniff: sniffBlp, read: readBlpHeader },
  { format: 'mcidas', name: 'McIDAS area', sniff: sniffMcidas, read: readMcidasHeader },
  { format: 'pixar', name: 'PIXAR raster', sniff: sniffPixar, read: readPixarHeader },
  { format: 'ftex', name: 'FTEX texture', sniff: sniffFtex, read: readFtexHeader },
  { format: 'pcx', name: 'PCX', sniff: sniffPcx, read: readPcxHeader },
  { format: 'eps', name: 'Encapsulated PostScript (EPS)', sniff: sniffEps, read: readEpsHeader },
  { format: 'xpm', name: 'X pixmap (XPM)', sniff: sniffXpm, read: readXpmHeader },
  { format: 'xvthumb', name: 'XV thumbnail', sniff: sniffXvThumb, read: readXvThumbHeader },
  { format: 'im', name: 'IFUNC Image Memory (IM)', sniff: sniffIm, read: readImHeader },
  { format: 'xbm', name: 'X11 bitmap (XBM)', sniff: sniffXbm, read: readXbmHeader },
  { format: 'imt', name: 'IM Tools (IMT)', sniff: sniffImt, read: readImtHeader },
  { format: 'spider', name: 'SPIDER image', sniff: sniffSpider, read: readSpiderHeader },
  { format: 'gbr', name: 'GIMP brush', sniff: sniffGbr, read: readGbrHeader },
];

/** Each returns a full header; whether the chosen decoder opens it is the decoder table's answer. */
export const PILLOW_ONLY_READERS: FormatReader[] = PILLOW_ONLY.map((f) => ({
  format: f.format,
  sniff: f.sniff,
  read: f.read,
}));

/**
 * Readers whose signature is not at the start (`sniff` sees `length` bytes at `at`): Kodak Photo
 * CD, 'PCD_' at byte 2048, tried by detect.ts only when no other signature matched.
 */
export const DEEP_READERS: (FormatReader & { at: number; length: number })[] = [
  { format: 'pcd', at: PCD_SIGNATURE_AT, length: 4, sniff: sniffPcd, read: readPcdHeader },
];
