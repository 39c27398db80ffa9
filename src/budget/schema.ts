import { DECODER_KINDS, DECODER_PATTERN } from '../estimate/decoders.js';
import type * as Zod from 'zod';
import { autoPercentOk, looksLikeAuto, parseAutoSpec } from './auto.js';
import { parseSize } from './size.js';
import { lazyRequire } from '../require.js';
import {
  AUTO_PERCENT,
  CONCURRENCY,
  DEFAULT_BUDGET_TEXT,
  FAILING_STATUSES,
  FRAMES_MODES,
  REPORTER_NAMES,
} from '../rules.js';

/**
 * The config file's schema (imgguard.config.json, .imgguardrc.json, "imgguard" in package.json).
 *
 * zod costs ~70 ms to load, so this module does not import it: `loadZod()` requires it on first
 * use, which happens only when a config file exists, for `imgguard budget`, and for the schema
 * export. A plain `imgguard check x.jpg` with no config file never loads zod.
 */
type ZodModule = typeof Zod;

let zod: ZodModule | undefined;

/** zod, loaded on first call (its CommonJS build: synchronous, so `check` stays synchronous). */
export function loadZod(): ZodModule {
  zod ??= lazyRequire('zod') as ZodModule;
  return zod;
}

const words = (list: readonly string[]) => list.map((w) => JSON.stringify(w)).join(', ');

/** What each setting expects, in words: the "expected" part of a config error. */
export const EXPECTED = {
  root: 'an object of settings',
  $schema: 'a string (the JSON Schema URL or path)',
  budget:
    'a size ("512MB", "1.5GB", "512MiB", "2G"), a byte count, "auto" or "auto:P%" with ' +
    `${AUTO_PERCENT.above} < P <= ${AUTO_PERCENT.max}`,
  frames: `one of ${words(FRAMES_MODES)}`,
  decoder: `one of ${words(DECODER_KINDS)}, or "pillow@<version>" / "numpy@<version>" (e.g. "pillow@9.4")`,
  maxPixels: 'a whole number of pixels >= 1',
  maxWidth: 'a whole number of pixels >= 1',
  maxHeight: 'a whole number of pixels >= 1',
  maxFrames: 'a whole number of frames >= 1',
  maxFileSize: 'a size ("50MB", "2GiB") or a byte count',
  pillowCompat: 'true or false',
  reporter: `one of ${words(REPORTER_NAMES)}`,
  failOn: `one of ${words(FAILING_STATUSES)}, or an array of them`,
  concurrency: `a whole number from ${CONCURRENCY.min} to ${CONCURRENCY.max}`,
  ignore: 'an array of glob patterns (strings)',
} as const;

function isSize(text: string): boolean {
  try {
    parseSize(text);
    return true;
  } catch {
    return false;
  }
}

function isBudget(text: string): boolean {
  if (looksLikeAuto(text)) {
    const spec = parseAutoSpec(text);
    return spec !== null && autoPercentOk(spec);
  }
  return isSize(text);
}

/** Sizes as the JSON Schema pattern sees them (the refinement re-checks with parseSize). */
const SIZE_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*([kKmMgGtTpP]([iI]?[bB])?|[bB])?\\s*$';
const BUDGET_PATTERN =
  '^\\s*([aA][uU][tT][oO](:\\s*\\d+(\\.\\d+)?\\s*%?)?|' +
  '(\\d+(\\.\\d+)?|\\.\\d+)\\s*([kKmMgGtTpP]([iI]?[bB])?|[bB])?)\\s*$';

/** Builds the config schema with the given zod (kept a function so importing this file is free). */
export function configSchema(z: ZodModule = loadZod()) {
  const e = (key: keyof typeof EXPECTED) => ({ error: EXPECTED[key] });
  const whole = (key: keyof typeof EXPECTED, bounds: { min: number; max?: number } = { min: 1 }) => {
    let s = z.number(e(key)).int(e(key)).min(bounds.min, e(key));
    if (bounds.max !== undefined) s = s.max(bounds.max, e(key));
    return s;
  };
  const bytes = z.number(e('maxFileSize')).int(e('maxFileSize')).nonnegative(e('maxFileSize'));
  return z
    .strictObject(
      {
        $schema: z.string(e('$schema')).optional(),
        budget: z
          .union(
            [z.string().regex(new RegExp(BUDGET_PATTERN)).refine(isBudget), z.number().int().nonnegative()],
            e('budget'),
          )
          .optional()
          .describe(
            'Largest decoded size allowed: "512MB", "2GiB", bytes, or "auto" / "auto:60%" ' +
              `(a share of the memory this process can still use). Default ${DEFAULT_BUDGET_TEXT}. ` +
              '--budget and IMGGUARD_BUDGET override it.',
          ),
        frames: z
          .enum(FRAMES_MODES, e('frames'))
          .optional()
          .describe('Budget on the first frame/page (default) or on all of them.'),
        decoder: z
          .string(e('decoder'))
          .regex(DECODER_PATTERN, e('decoder'))
          .optional()
          .describe(
            'Whose memory to estimate: sharp (libvips, default), pillow (Image.open, the largest of Pillow 9.0 on), ' +
              'pillow@9.4 (one release) or numpy (numpy.asarray(Image.open(f))).',
          ),
        maxPixels: whole('maxPixels')
          .optional()
          .describe('Largest width × height; over it the verdict is over_budget.'),
        maxWidth: whole('maxWidth').optional().describe('Largest width in pixels.'),
        maxHeight: whole('maxHeight').optional().describe('Largest height in pixels.'),
        maxFrames: whole('maxFrames').optional().describe('Most frames or pages.'),
        maxFileSize: z
          .union([z.string().regex(new RegExp(SIZE_PATTERN)).refine(isSize), bytes], e('maxFileSize'))
          .optional()
          .describe('Largest file size: "50MB", "2GiB" or bytes.'),
        pillowCompat: z
          .boolean(e('pillowCompat'))
          .optional()
          .describe(
            "Apply Pillow's decompression-bomb thresholds: over_budget above 2 × 89,478,485 pixels, a warning " +
              'above 89,478,485.',
          ),
        reporter: z.enum(REPORTER_NAMES, e('reporter')).optional().describe('Output format of check.'),
        failOn: z
          .union([z.enum(FAILING_STATUSES), z.array(z.enum(FAILING_STATUSES))], e('failOn'))
          .optional()
          .describe('Statuses that make check exit non-zero.'),
        concurrency: whole('concurrency', CONCURRENCY).optional().describe('Files checked at once.'),
        ignore: z
          .array(z.string(e('ignore')), e('ignore'))
          .optional()
          .describe(
            'Glob patterns of paths to skip in directory walks, glob matches and --files-from lists, matched ' +
              'against the path below the input: a pattern without / matches a name at any depth ("thumbs", ' +
              '"*.tmp"), one with / is anchored ("raw/*.png"), a trailing / matches directories only. --ignore ' +
              'replaces the list.',
          ),
      },
      e('root'),
    )
    .meta({
      title: 'imgguard configuration',
      description:
        'Settings for imgguard (imgguard.config.json, .imgguardrc.json or the "imgguard" key of package.json).',
    });
}

export type Config = Zod.infer<ReturnType<typeof configSchema>>;

/** The JSON Schema shipped as imgguard.schema.json (draft-07: the dialect editors know best). */
export function configJsonSchema(): Record<string, unknown> {
  const z = loadZod();
  return z.toJSONSchema(configSchema(z), { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
}
