/**
 * Names that say "image": a directory walk checks a file with one of these extensions even when
 * its bytes turn out not to be an image (then it is `unsupported`, a real problem in a dataset),
 * and skips a file with none of them whose bytes carry no image signature either (labels.csv,
 * README.md). The pre-commit hook's `files:` filter (.pre-commit-hooks.yaml) lists the same.
 */
export const IMAGE_EXTENSIONS = [
  'png',
  'apng',
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'gif',
  'webp',
  'avif',
  'heic',
  'heif',
  'tif',
  'tiff',
  'svg',
  'svgz',
  'v',
  'vips',
  'bmp',
  'ico',
  'cur',
  'icns',
  'psd',
  'jp2',
  'j2k',
  'jxl',
  'dds',
  'ktx',
  'ktx2',
  'tga',
  'pbm',
  'pgm',
  'ppm',
  'pnm',
  'pam',
  'pfm',
  'exr',
  'hdr',
  'fits',
  'fit',
  'qoi',
  'raw',
  'dng',
  'cr2',
  'nef',
  'arw',
] as const;

const EXTENSIONS = new Set<string>(IMAGE_EXTENSIONS);

/** Whether the name ends in an image extension (case-insensitive). */
export function hasImageExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || path.indexOf('/', dot) >= 0) return false;
  return EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
