import prettyBytes from 'pretty-bytes';
import type { Status } from '../../result.js';
import { HISTOGRAM_BINS, type ScatterPoint, STATUS_ORDER } from './model.js';
import { escapeHtml } from './escape.js';

/**
 * The report's plots as inline SVG: no script, no library, readable without colour (each verdict
 * has its own marker shape and a pattern-free legend with words), each with a title and a
 * description for screen readers.
 */

export const STATUS_COLOURS: Record<Status, string> = {
  ok: '#2e7d32',
  over_budget: '#c62828',
  corrupt: '#e65100',
  unsupported: '#6a1b9a',
  error: '#37474f',
};
export const STATUS_LABELS: Record<Status, string> = {
  ok: 'ok',
  over_budget: 'over budget',
  corrupt: 'corrupt',
  unsupported: 'unsupported',
  error: 'error',
};

const W = 560;
const H = 260;
const M = { left: 56, right: 16, top: 16, bottom: 44 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

/** An id for a plot's title and description, from its title (titles are unique in a page). */
function plotId(title: string): string {
  return `plot-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

function svgOpen(title: string, desc: string): string {
  const id = plotId(title);
  return (
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}t ${id}d" class="plot">` +
    `<title id="${id}t">${escapeHtml(title)}</title><desc id="${id}d">${escapeHtml(desc)}</desc>`
  );
}

/** A marker per verdict, so the plots read without colour. */
export function marker(status: Status, x: number, y: number, r = 3): string {
  const fill = STATUS_COLOURS[status];
  const at = (n: number) => n.toFixed(1);
  switch (status) {
    case 'ok':
      return `<circle cx="${at(x)}" cy="${at(y)}" r="${r}" fill="${fill}" fill-opacity="0.45"/>`;
    case 'over_budget': {
      const down = `M${at(x - r)} ${at(y - r)}L${at(x + r)} ${at(y + r)}`;
      const up = `M${at(x - r)} ${at(y + r)}L${at(x + r)} ${at(y - r)}`;
      return `<path d="${down}${up}" stroke="${fill}" stroke-width="1.8"/>`;
    }
    case 'corrupt':
      return `<path d="M${at(x)} ${at(y - r)}L${at(x + r)} ${at(y + r)}L${at(x - r)} ${at(y + r)}Z" fill="${fill}"/>`;
    case 'unsupported':
      return `<rect x="${at(x - r)}" y="${at(y - r)}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`;
    default:
      return (
        `<path d="M${at(x)} ${at(y - r)}L${at(x + r)} ${at(y)}L${at(x)} ${at(y + r)}L${at(x - r)} ${at(y)}Z"` +
        ` fill="${fill}"/>`
      );
  }
}

/** Legend entries (marker + words) for the verdicts present. */
export function legend(statuses: readonly Status[]): string {
  const items = statuses.map(
    (s) =>
      `<span class="legend-item"><svg width="12" height="12" aria-hidden="true">${marker(s, 6, 6, 4)}</svg>` +
      `${STATUS_LABELS[s]}</span>`,
  );
  return `<div class="legend">${items.join('')}</div>`;
}

/**
 * Files per power of two of decoded memory, stacked by verdict, with the budget marked.
 * `histogram[status][k]` counts files with decoded bytes in [2^k, 2^(k+1)).
 */
export function memoryHistogram(histogram: Record<Status, number[]>, budgetBytes: number): string {
  const totals = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const s of STATUS_ORDER) {
    for (const [k, n] of histogram[s].entries()) totals[k]! += n;
  }
  const used = totals.flatMap((n, k) => (n > 0 ? [k] : []));
  const title = 'Decoded memory per file (log scale)';
  if (used.length === 0) return `${svgOpen(title, 'No file had a decoded size.')}</svg>`;
  const budgetBin = budgetBytes > 0 ? Math.log2(budgetBytes) : null;
  let lo = Math.min(...used);
  let hi = Math.max(...used) + 1;
  if (budgetBin !== null) {
    lo = Math.min(lo, Math.floor(budgetBin));
    hi = Math.max(hi, Math.ceil(budgetBin) + 1);
  }
  const span = Math.max(1, hi - lo);
  const max = Math.max(...totals);
  const x = (bin: number) => M.left + ((bin - lo) / span) * PLOT_W;
  const y = (n: number) => M.top + PLOT_H - (n / max) * PLOT_H;
  const parts: string[] = [];
  for (let k = lo; k < hi; k++) {
    let base = 0;
    for (const s of STATUS_ORDER) {
      const n = histogram[s][k] ?? 0;
      if (n === 0) continue;
      const top = y(base + n);
      const bottom = y(base);
      const label = `${n} ${STATUS_LABELS[s]} from ${prettyBytes(2 ** k)} to ${prettyBytes(2 ** (k + 1))}`;
      const width = Math.max(1, x(k + 1) - x(k) - 2).toFixed(1);
      const height = Math.max(0.5, bottom - top).toFixed(1);
      parts.push(
        `<rect x="${(x(k) + 1).toFixed(1)}" y="${top.toFixed(1)}" width="${width}" height="${height}"` +
          ` fill="${STATUS_COLOURS[s]}"><title>${label}</title></rect>`,
      );
      base += n;
    }
  }
  const step = Math.max(1, Math.ceil(span / 8));
  for (let k = lo; k <= hi; k += step) {
    parts.push(tick(x(k), M.top + PLOT_H, prettyBytes(2 ** k, { maximumFractionDigits: 0 }), 'x'));
  }
  parts.push(tick(M.left, y(max), String(max), 'y'), tick(M.left, y(0), '0', 'y'));
  if (budgetBin !== null) {
    const bx = x(budgetBin).toFixed(1);
    // The label sits on the side of the line with more room.
    const right = x(budgetBin) > M.left + PLOT_W / 2;
    parts.push(
      `<line x1="${bx}" x2="${bx}" y1="${M.top}" y2="${M.top + PLOT_H}" class="budget-line"/>`,
      `<text x="${bx}" y="${M.top + 10}" class="budget-label" text-anchor="${right ? 'end' : 'start'}"` +
        ` dx="${right ? -4 : 4}">budget ${escapeHtml(prettyBytes(budgetBytes))}</text>`,
    );
  }
  const over = histogram.over_budget.reduce((a, b) => a + b, 0);
  const desc =
    `Histogram of decoded memory from ${prettyBytes(2 ** lo)} to ${prettyBytes(2 ** hi)}, ` +
    `${totals.reduce((a, b) => a + b, 0)} files; the budget is ${prettyBytes(budgetBytes)}; ${over} over budget.`;
  return `${svgOpen(title, desc)}${axes()}${parts.join('')}</svg>`;
}

/** Width against height, log-log, one marker per file (a sample on large runs). */
export function sizeScatter(points: readonly ScatterPoint[], total: number): string {
  const title = 'Width × height (log-log)';
  if (points.length === 0) return `${svgOpen(title, 'No file had dimensions.')}</svg>`;
  const maxSide = Math.max(2, ...points.map((p) => Math.max(p.w, p.h)));
  const hi = Math.ceil(Math.log10(maxSide + 1));
  const sx = (v: number) => M.left + (Math.log10(Math.max(1, v)) / hi) * PLOT_W;
  const sy = (v: number) => M.top + PLOT_H - (Math.log10(Math.max(1, v)) / hi) * PLOT_H;
  const parts = points.map((p) => marker(p.s, sx(p.w), sy(p.h)));
  for (let k = 0; k <= hi; k++) {
    const label = 10 ** k >= 1000 ? `${10 ** (k - 3)}k` : String(10 ** k);
    parts.push(tick(sx(10 ** k), M.top + PLOT_H, label, 'x'), tick(M.left, sy(10 ** k), label, 'y'));
  }
  parts.push(
    `<text x="${M.left + PLOT_W / 2}" y="${H - 4}" class="axis-label">width (px)</text>`,
    `<text x="12" y="${M.top + PLOT_H / 2}" class="axis-label" transform="rotate(-90 12 ${M.top + PLOT_H / 2})">` +
      'height (px)</text>',
  );
  const shown = points.length < total ? `a sample of ${points.length} of ${total} files` : `${total} files`;
  const desc = `Scatter plot of image width against height on logarithmic axes, ${shown}, largest side ${maxSide} px.`;
  return `${svgOpen(title, desc)}${axes()}${parts.join('')}</svg>`;
}

/** Horizontal bars with their counts written beside them. */
export function bars(title: string, entries: readonly [string, number][]): string {
  const rows = entries.slice(0, 16);
  const rowH = 20;
  const h = Math.max(40, rows.length * rowH + 16);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const id = plotId(title);
  const desc = rows.map(([k, n]) => `${k}: ${n}`).join(', ');
  const body = rows.map(([k, n], i) => {
    const y = 8 + i * rowH;
    const w = (n / max) * (W - 200);
    return (
      `<text x="110" y="${y + 13}" class="bar-label">${escapeHtml(k)}</text>` +
      `<rect x="116" y="${y + 2}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 6}" class="bar"/>` +
      `<text x="${(122 + w).toFixed(1)}" y="${y + 13}" class="bar-count">${n}</text>`
    );
  });
  return (
    `<svg viewBox="0 0 ${W} ${h}" role="img" aria-labelledby="${id}t ${id}d" class="plot">` +
    `<title id="${id}t">${escapeHtml(title)}</title><desc id="${id}d">${escapeHtml(desc)}</desc>${body.join('')}</svg>`
  );
}

function axes(): string {
  const x0 = M.left;
  const y0 = M.top + PLOT_H;
  return `<path d="M${x0} ${M.top}V${y0}H${x0 + PLOT_W}" class="axis"/>`;
}

function tick(x: number, y: number, label: string, axis: 'x' | 'y'): string {
  const text = escapeHtml(label);
  return axis === 'x'
    ? `<text x="${x.toFixed(1)}" y="${y + 16}" class="tick tick-x">${text}</text>`
    : `<text x="${x - 6}" y="${(y + 4).toFixed(1)}" class="tick tick-y">${text}</text>`;
}
