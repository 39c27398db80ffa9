import { z } from 'zod';

/**
 * The output contract: one record per input file, identical in every reporter. Defined once
 * here; the TypeScript type is inferred from it. (Importing this module loads zod, so the hot
 * path of `check` imports only the type.)
 */
import { DECODER_PATTERN } from './estimate/decoders.js';
import { STATUSES } from './rules.js';

export { STATUSES };
export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

const bytes = z.number().int().nonnegative();
const count = z.number().int().nonnegative();

export const ResultSchema = z.object({
  /** The path as given, or joined under the directory given. */
  path: z.string(),
  /**
   * The path's raw bytes in base64, present only when they are not valid UTF-8 (`path` then
   * shows each invalid byte as `\xNN`): what a consumer opens to reach the same file.
   */
  pathBytes: z.string().base64().optional(),
  status: StatusSchema,
  /** Lowercase format name from the file's bytes, or null when none was recognised. */
  format: z.string().nullable(),
  width: count.nullable(),
  height: count.nullable(),
  /** Bands of the image as the decoder loads it. */
  channels: count.nullable(),
  /** Bits per sample of the image as the decoder loads it (8, 16, 32, 64). */
  bitsPerSample: count.nullable(),
  /** Frames of an animation or pages of a document. */
  frames: count.nullable(),
  /** EXIF orientation 1..8 where the format carries it. */
  orientation: z.number().int().min(1).max(8).nullable(),
  /** Bytes the decoder allocates for the first frame/page (docs/estimate.md). */
  decodedBytes: bytes.nullable(),
  /** Bytes for all frames/pages. */
  decodedBytesAllFrames: bytes.nullable(),
  budgetBytes: bytes,
  /** Bytes actually read from the file to reach the verdict. */
  headerBytes: bytes,
  /** Requests made to read a remote object (HTTP or S3, retries and redirects included); absent for local files. */
  requests: count.optional(),
  /** The file's size, or null when it has none (a pipe or device). */
  fileBytes: bytes.nullable(),
  /** Why the verdict is not ok, in words; null when ok. */
  reason: z.string().nullable(),
  /** Present for corrupt, unsupported and error. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Where the header could not settle a value and the upper bound was taken. */
  notes: z.array(z.string()).optional(),
  /** The decoder profile decodedBytes was computed for (docs/configuration.md, "Decoder profiles"). */
  decoder: z.string().regex(DECODER_PATTERN).optional(),
  /** The mode Pillow's Image.open reports, for the pillow and numpy profiles. */
  pillowMode: z.string().optional(),
  /** The limits exceeded (e.g. "--max-width"), when the verdict is over_budget because of them. */
  limits: z.array(z.string()).optional(),
  /** Conditions that do not change the verdict (Pillow's DecompressionBombWarning). */
  warnings: z.array(z.string()).optional(),
  /**
   * Bytes a decode holds at its peak: decodedBytes plus the decoder's hidden buffers (progressive
   * JPEG coefficients, interlaced PNG, whole-frame decoders). Decodes are budgeted on it.
   */
  peakBytes: bytes.optional(),
  /**
   * For over_budget: the largest shrink-on-load reduction whose peak fits (0.5 = half size, JPEG
   * gives 1/2, 1/4, 1/8), or null when none does (e.g. PNG decodes whole).
   */
  fitScale: z.number().positive().max(1).nullable().optional(),
  /** With --verify: whether the pixel data was decoded in full ("corrupt" says why not). */
  verified: z.boolean().optional(),
});
export type Result = z.infer<typeof ResultSchema>;

export const SummarySchema = z.object({
  files: count,
  byStatus: z.record(StatusSchema, count),
  decodedBytes: bytes,
  exitCode: z.number().int(),
  /** Files a walk found that are no image by name or bytes (labels.csv), not checked. */
  skipped: count.optional(),
  /** The signal that stopped the run early (SIGINT, SIGTERM): the counts cover what was checked. */
  interrupted: z.string().optional(),
});
export type Summary = z.infer<typeof SummarySchema>;

/** The `--json` document. */
export const ReportSchema = z.object({
  budgetBytes: bytes,
  results: z.array(ResultSchema),
  summary: SummarySchema,
});
export type Report = z.infer<typeof ReportSchema>;
