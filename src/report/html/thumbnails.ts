import { DecodeRefusal, openDecoder, planDecode } from '../../decode/guard.js';
import type { Row } from './model.js';
import type { Thumbnail, Thumbnails } from './page.js';

/** Thumbnail limits: count, total encoded bytes, longest side, and time per decode. */
export const THUMBNAIL_LIMITS = { count: 200, totalBytes: 2 * 1024 * 1024, side: 96, seconds: 10 } as const;

/**
 * Thumbnails for the rows that matter most (problems first, then the largest files), each made
 * through the guarded decode: the header is checked and the peak of a shrink-on-load decode at
 * thumbnail size is budgeted before sharp sees the file, so a bomb gets a placeholder with its
 * dimensions and is never decoded. Files that fail, or past the caps, get a placeholder too.
 */
export async function makeThumbnails(rows: readonly Row[], budget: bigint): Promise<Thumbnails> {
  const byPath = new Map<string, Thumbnail>();
  let made = 0;
  let total = 0;
  let capped = 0;
  for (const row of rows) {
    if (byPath.has(row.p)) continue;
    const placeholder = placeholderOf(row);
    if (placeholder) {
      byPath.set(row.p, placeholder);
      continue;
    }
    if (made >= THUMBNAIL_LIMITS.count || total >= THUMBNAIL_LIMITS.totalBytes) {
      capped++;
      continue;
    }
    const thumb = await thumbnail(row, budget);
    if ('uri' in thumb) {
      made++;
      total += thumb.uri.length;
    }
    byPath.set(row.p, thumb);
  }
  const caps =
    `Previews: at most ${THUMBNAIL_LIMITS.count} images of at most ${THUMBNAIL_LIMITS.side} px, ` +
    `${Math.round(THUMBNAIL_LIMITS.totalBytes / 1024)} KiB in all, each decoded within the budget; ` +
    `${made} made${capped ? `, ${capped} left out by these caps` : ''}.`;
  return { byPath, caps };
}

/** Rows that are never decoded: their verdict already says why. */
function placeholderOf(row: Row): Thumbnail | null {
  const dims = row.w !== null && row.h !== null ? `${row.w}×${row.h}: ` : '';
  switch (row.s) {
    case 'over_budget':
      return { text: `${dims}over budget, not decoded` };
    case 'unsupported':
      return { text: `${dims}not decodable here` };
    case 'error':
      return { text: 'could not be read' };
    default:
      return null;
  }
}

async function thumbnail(row: Row, budget: bigint): Promise<Thumbnail> {
  try {
    const plan = planDecode(row.p, { budget, maxSide: THUMBNAIL_LIMITS.side, fit: true });
    const img = await openDecoder(plan);
    const data = await img.timeout({ seconds: THUMBNAIL_LIMITS.seconds }).webp({ quality: 60, effort: 2 }).toBuffer();
    return { uri: `data:image/webp;base64,${data.toString('base64')}` };
  } catch (e) {
    if (e instanceof DecodeRefusal && e.status === 'over_budget') return { text: 'no preview fits the budget' };
    return { text: row.s === 'corrupt' ? 'corrupt: no preview' : 'no preview: the decode failed' };
  }
}
