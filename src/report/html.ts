import { lazyRequire } from '../require.js';
import { ReportModel } from './html/model.js';
import { renderPage, type RunFacts } from './html/page.js';
import type { Reporter, ReporterContext } from './reporter.js';

/**
 * `--reporter html`: one self-contained HTML page (summary, plots, a sortable and filterable
 * table, thumbnails) written at the end of the run. Results are folded into a bounded model as
 * they come; thumbnails are made at the end through the guarded decode (this is the only
 * reporter that loads sharp, and only when there is a file to preview).
 */
export function htmlReporter(ctx: ReporterContext): Reporter {
  const model = new ReportModel();
  const started = Date.now();
  return {
    result: (r) => model.add(r),
    end: async () => {
      const rows = [...model.problems, ...model.largest()];
      const { makeThumbnails } = await import('./html/thumbnails.js');
      const thumbs = await makeThumbnails(rows, BigInt(ctx.budgetBytes));
      const facts: RunFacts = {
        budgetBytes: ctx.budgetBytes,
        budgetSource: ctx.run?.budgetSource,
        decoder: ctx.run?.decoder,
        elapsedMs: Date.now() - started,
        imgguardVersion: ctx.run?.version ?? 'unknown',
        ...decoderVersions(),
        generatedAt: new Date().toISOString(),
        command: ctx.run?.command ?? 'check',
      };
      ctx.out.write(renderPage(model, facts, thumbs));
    },
  };
}

/** sharp's and libvips' versions, when sharp is installed (it loads for the thumbnails anyway). */
function decoderVersions(): Pick<RunFacts, 'sharpVersion' | 'libvipsVersion'> {
  try {
    const sharp = lazyRequire('sharp') as { versions: { sharp?: string; vips?: string } };
    return { sharpVersion: sharp.versions.sharp, libvipsVersion: sharp.versions.vips };
  } catch {
    return {};
  }
}
