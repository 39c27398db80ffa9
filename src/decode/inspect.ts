import { z } from 'zod';
import { estimate, toReportedBytes } from '../estimate/size.js';
import { StatusSchema } from '../result.js';
import { fitScale, fullPlan, peakArithmetic, peakOf } from '../estimate/fit.js';
import {
  closeDecoder,
  DecodeRefusal,
  decodeFailure,
  openDecoder,
  orientedSize,
  planDecode,
  probeForDecode,
  type DecodePlan,
  type Probed,
} from './guard.js';
import { displayName } from '../inputs/names.js';

const bytes = z.number().int().nonnegative();
const count = z.number().int().nonnegative();

/** `imgguard inspect --json`: every header fact, the estimate with its arithmetic, sharp's view if it fits. */
export const InspectSchema = z.object({
  path: z.string(),
  /** As in check's results: the raw name in base64, only when it is not valid UTF-8. */
  pathBytes: z.string().base64().optional(),
  status: StatusSchema,
  reason: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  headerBytes: bytes,
  fileBytes: bytes.nullable(),
  header: z
    .object({
      format: z.string(),
      width: count,
      height: count,
      orientation: z.number().int().min(1).max(8).nullable(),
      /** The displayed size once the EXIF orientation is applied. */
      orientedWidth: count,
      orientedHeight: count,
      channels: count,
      /** Bands of sharp's raw sRGB output. */
      outputChannels: count,
      bitsPerSample: count,
      space: z.string().nullable(),
      frames: count,
      /** TIFF pages 2..n whose layout differs from the first. */
      otherPages: z.array(z.object({ width: count, height: count, channels: count, bitsPerSample: count })),
      progressive: z.boolean().nullable(),
      interlaced: z.boolean().nullable(),
      notes: z.array(z.string()),
    })
    .nullable(),
  estimate: z
    .object({
      decodedBytes: bytes,
      decodedBytesAllFrames: bytes,
      peakBytes: bytes,
      budgetBytes: bytes,
      fits: z.boolean(),
      /** 1 when it fits; the largest reduction that fits; null when none does. */
      fitScale: z.number().positive().max(1).nullable(),
      /** The arithmetic, one step a line. */
      arithmetic: z.array(z.string()),
    })
    .nullable(),
  /** From sharp's metadata(), only when the image fits the budget. */
  metadata: z
    .object({
      iccBytes: count.nullable(),
      exifBytes: count.nullable(),
      xmpBytes: count.nullable(),
      pages: count,
      /** Frame delays in ms for animations. */
      delays: z.array(z.number()).nullable(),
      loop: count.nullable(),
      hasAlpha: z.boolean(),
    })
    .nullable(),
  /** From sharp's stats(), only when the image fits the budget. */
  stats: z
    .object({
      channels: z.array(z.object({ min: z.number(), max: z.number(), mean: z.number() })),
      isOpaque: z.boolean(),
      dominant: z.object({ r: z.number(), g: z.number(), b: z.number() }),
    })
    .nullable(),
});
export type Inspection = z.infer<typeof InspectSchema>;

function headerFacts(p: Probed): NonNullable<Inspection['header']> {
  const h = p.header;
  const oriented = orientedSize(h);
  return {
    format: h.format,
    width: h.width,
    height: h.height,
    orientation: h.orientation ?? null,
    orientedWidth: oriented.width,
    orientedHeight: oriented.height,
    channels: h.channels,
    outputChannels: h.outputChannels ?? h.channels,
    bitsPerSample: h.bitsPerSample,
    space: h.space ?? null,
    frames: h.frames,
    otherPages: (h.otherPages ?? []).map((l) => ({
      width: l.width,
      height: l.height,
      channels: l.channels,
      bitsPerSample: l.bitsPerSample,
    })),
    progressive: p.hints.progressive ?? null,
    interlaced: p.hints.interlaced ?? null,
    notes: h.notes ?? [],
  };
}

/**
 * Inspects one file; never throws. sharp is loaded only when the peak fits the budget. `path` may
 * be the raw bytes of a name that is not UTF-8 (shown with `\xNN` escapes, and in `pathBytes`).
 */
export async function inspect(path: string | Buffer, budget: bigint): Promise<Inspection> {
  const shown = typeof path === 'string' ? path : displayName(path);
  const named = typeof path === 'string' ? { path } : { path: shown, pathBytes: path.toString('base64') };
  const budgetBytes = toReportedBytes(budget);
  let probed: Probed;
  try {
    probed = probeForDecode(path);
  } catch (e) {
    const f = e instanceof DecodeRefusal ? e : decodeFailure(e, null);
    return {
      ...named,
      status: f.status,
      reason: f.message,
      error: { code: f.code, message: f.message },
      headerBytes: 0,
      fileBytes: null,
      header: null,
      estimate: null,
      metadata: null,
      stats: null,
    };
  }
  const { header, hints } = probed;
  const sizes = estimate(header);
  const peak = peakOf(header, hints, fullPlan(header));
  const fits = peak.peakBytes <= budget;
  const result: Inspection = {
    ...named,
    status: fits ? 'ok' : 'over_budget',
    reason: null,
    error: null,
    headerBytes: probed.headerBytes,
    fileBytes: probed.fileBytes,
    header: headerFacts(probed),
    estimate: {
      decodedBytes: toReportedBytes(sizes.decodedBytes),
      decodedBytesAllFrames: toReportedBytes(sizes.decodedBytesAllFrames),
      peakBytes: toReportedBytes(peak.peakBytes),
      budgetBytes,
      fits,
      fitScale: fitScale(header, hints, budget),
      arithmetic: peakArithmetic(peak),
    },
    metadata: null,
    stats: null,
  };
  let plan: DecodePlan | null = null;
  try {
    plan = planDecode(path, { budget, autoOrient: false });
    const img = await openDecoder(plan);
    const m = await img.metadata();
    result.metadata = {
      iccBytes: m.icc?.length ?? null,
      exifBytes: m.exif?.length ?? null,
      xmpBytes: m.xmp?.length ?? null,
      pages: m.pages ?? 1,
      delays: m.delay ?? null,
      loop: m.loop ?? null,
      hasAlpha: m.hasAlpha === true,
    };
    const s = await img.stats();
    result.stats = {
      channels: s.channels.map((c) => ({ min: c.min, max: c.max, mean: c.mean })),
      isOpaque: s.isOpaque,
      dominant: s.dominant,
    };
  } catch (e) {
    const f = e instanceof DecodeRefusal ? e : decodeFailure(e, header.format);
    result.status = f.status;
    result.reason = f.message;
    if (f.status !== 'over_budget') result.error = { code: f.code, message: f.message };
  } finally {
    if (plan) closeDecoder(plan);
  }
  return result;
}
