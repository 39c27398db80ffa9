import type { Header } from '../probe/header.js';

/**
 * Limits beside the memory budget, like ImageMagick's resource policy (policy.xml `width`,
 * `height`, `area`, `list-length`): each one exceeded makes the verdict over_budget, and the
 * reason names the limit.
 */
export interface ImageLimits {
  /** Largest width × height. */
  maxPixels?: number;
  maxWidth?: number;
  maxHeight?: number;
  /** Most frames/pages. */
  maxFrames?: number;
  /** Largest file, in bytes. */
  maxFileSize?: bigint | number;
  /** Pillow's decompression-bomb thresholds (`--pillow-compat`). */
  pillowCompat?: boolean;
}

/**
 * Pillow's `Image.MAX_IMAGE_PIXELS` default: int(1024 * 1024 * 1024 // 4 // 3) = 89,478,485
 * (PIL/Image.py). `Image.open` warns (DecompressionBombWarning) when width × height is above it
 * and raises DecompressionBombError above twice it (`_decompression_bomb_check`).
 */
export const PILLOW_MAX_IMAGE_PIXELS = 89_478_485;
export const PILLOW_ERROR_PIXELS = 2 * PILLOW_MAX_IMAGE_PIXELS;

/** The names limits go by in reasons, flags and the config file. */
export const LIMIT_NAMES = {
  maxPixels: '--max-pixels',
  maxWidth: '--max-width',
  maxHeight: '--max-height',
  maxFrames: '--max-frames',
  maxFileSize: '--max-file-size',
  pillowCompat: '--pillow-compat',
} as const;

export interface LimitVerdict {
  /** Flags of the exceeded limits, e.g. ['--max-width']; empty when none. */
  exceeded: string[];
  /** One clause per exceeded limit. */
  reasons: string[];
  /** Conditions that do not fail the file (Pillow's DecompressionBombWarning). */
  warnings: string[];
}

const fmt = (n: number | bigint): string => n.toLocaleString('en-US');

/** Judges one header (and the file size) against the limits. Pure. */
export function judgeLimits(
  header: Pick<Header, 'width' | 'height' | 'frames'>,
  fileBytes: number | null,
  limits: ImageLimits,
): LimitVerdict {
  const out: LimitVerdict = { exceeded: [], reasons: [], warnings: [] };
  const over = (flag: string, what: string) => {
    out.exceeded.push(flag);
    out.reasons.push(what);
  };
  // Pillow counts max(1, w) × max(1, h); dims are >= 1 here. BigInt: 2^32 × 2^32 is not exact in a double.
  const pixels = BigInt(header.width) * BigInt(header.height);
  if (limits.maxPixels !== undefined && pixels > BigInt(limits.maxPixels)) {
    over(LIMIT_NAMES.maxPixels, `${fmt(pixels)} pixels is over ${LIMIT_NAMES.maxPixels} ${fmt(limits.maxPixels)}`);
  }
  if (limits.maxWidth !== undefined && header.width > limits.maxWidth) {
    over(LIMIT_NAMES.maxWidth, `width ${fmt(header.width)} is over ${LIMIT_NAMES.maxWidth} ${fmt(limits.maxWidth)}`);
  }
  if (limits.maxHeight !== undefined && header.height > limits.maxHeight) {
    over(
      LIMIT_NAMES.maxHeight,
      `height ${fmt(header.height)} is over ${LIMIT_NAMES.maxHeight} ${fmt(limits.maxHeight)}`,
    );
  }
  if (limits.maxFrames !== undefined && header.frames > limits.maxFrames) {
    over(
      LIMIT_NAMES.maxFrames,
      `${fmt(header.frames)} frames is over ${LIMIT_NAMES.maxFrames} ${fmt(limits.maxFrames)}`,
    );
  }
  if (limits.maxFileSize !== undefined && fileBytes !== null && BigInt(fileBytes) > BigInt(limits.maxFileSize)) {
    over(
      LIMIT_NAMES.maxFileSize,
      `file size ${fmt(fileBytes)} bytes is over ${LIMIT_NAMES.maxFileSize} ${fmt(limits.maxFileSize)}`,
    );
  }
  if (limits.pillowCompat) {
    if (pixels > BigInt(PILLOW_ERROR_PIXELS)) {
      over(
        LIMIT_NAMES.pillowCompat,
        `${fmt(pixels)} pixels is over Pillow's DecompressionBombError level ${fmt(PILLOW_ERROR_PIXELS)} (2 × ` +
          `MAX_IMAGE_PIXELS, --pillow-compat)`,
      );
    } else if (pixels > BigInt(PILLOW_MAX_IMAGE_PIXELS)) {
      out.warnings.push(
        `${fmt(pixels)} pixels is over Pillow's MAX_IMAGE_PIXELS ${fmt(PILLOW_MAX_IMAGE_PIXELS)}: Image.open ` +
          `warns DecompressionBombWarning (--pillow-compat)`,
      );
    }
  }
  return out;
}

/** True when any limit is set. */
export function hasLimits(limits: ImageLimits | undefined): boolean {
  if (!limits) return false;
  return Object.values(limits).some((v) => v !== undefined && v !== false);
}
