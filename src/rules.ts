/**
 * The rules a user meets, each defined once: verdicts, reporter names, the default budget and the
 * numeric bounds of settings. Flags, the config schema, reporters and the docs read them from here.
 * (No imports: every layer may use this module, and it costs nothing to load.)
 */

/** The verdicts, in the order reports list them. */
export const STATUSES = ['ok', 'over_budget', 'corrupt', 'unsupported', 'error'] as const;
export type Status = (typeof STATUSES)[number];

/** The verdicts `--fail-on` accepts; all of them make the exit code non-zero by default. */
export const FAILING_STATUSES = ['over_budget', 'corrupt', 'unsupported', 'error'] as const;
export type FailingStatus = (typeof FAILING_STATUSES)[number];

/** Output formats of `check` and `merge` (`--reporter`, config `reporter`). */
export const REPORTER_NAMES = ['human', 'json', 'ndjson', 'junit', 'github', 'html', 'sarif'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** The budget when no flag, environment variable or config sets one: 1 GiB. */
export const DEFAULT_BUDGET = 1n << 30n;
/** DEFAULT_BUDGET as written in a config file or shown by `imgguard budget`. */
export const DEFAULT_BUDGET_TEXT = '1GiB';

/** Budget on the first frame/page (what sharp decodes by default) or on all of them. */
export const FRAMES_MODES = ['first', 'all'] as const;

/** `--concurrency` / config `concurrency`: files checked at once (above 1, worker threads). */
export const CONCURRENCY = { min: 1, max: 256 } as const;
/** Remote reads in flight when `--concurrency` is not given: each mostly waits on a round trip. */
export const REMOTE_CONCURRENCY = 16;

/**
 * Members of a tar shard checked when `--ext` is not given: image names. Labels, captions and
 * metadata beside them (a WebDataset shard's .cls, .txt, .json) are skipped, as a folder walk
 * with `--ext` would.
 */
export const TAR_IMAGE_EXTENSIONS = [
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'apng',
  'gif',
  'webp',
  'tif',
  'tiff',
  'avif',
  'heic',
  'heif',
  'hif',
  'svg',
  'svgz',
  'v',
  'bmp',
  'ico',
  'jxl',
  'jp2',
  'j2k',
  'psd',
  'exr',
  'hdr',
  'ppm',
  'pgm',
  'pbm',
  'pnm',
  'tga',
  'qoi',
  'dds',
] as const;

/** `auto:P%` budgets: a share of the available memory, 0 < P <= 100. */
export const AUTO_PERCENT = { above: 0, max: 100 } as const;

/** Output sizes of `convert` (`--width`, `--height`, `--max-side`), in pixels. */
export const OUTPUT_SIDE = { min: 1, max: 0x7fffffff } as const;
