import prettyBytes from 'pretty-bytes';
import type { Status } from '../../result.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { type ReportModel, type Row, STATUS_ORDER } from './model.js';
import { bars, legend, memoryHistogram, STATUS_COLOURS, STATUS_LABELS, sizeScatter } from './plots.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './assets.js';

/** Facts about the run shown in the summary. */
export interface RunFacts {
  budgetBytes: number;
  /** Where the budget came from, e.g. "--budget", "auto (cgroup limit)", "default". */
  budgetSource?: string | undefined;
  decoder?: string | undefined;
  elapsedMs?: number | undefined;
  imgguardVersion: string;
  sharpVersion?: string | undefined;
  libvipsVersion?: string | undefined;
  /** When the report was written (ISO 8601). */
  generatedAt: string;
  /** "check" or "merge". */
  command: string;
}

/** A thumbnail: an image (data URI) or a placeholder text saying why there is none. */
export type Thumbnail = { uri: string } | { text: string };

export interface Thumbnails {
  /** Thumbnails by the path of the row they belong to. */
  byPath: Map<string, Thumbnail>;
  /** The caps, in words, stated in the page. */
  caps: string;
}

/** The whole report: one self-contained HTML document (no network access, no external files). */
export function renderPage(model: ReportModel, facts: RunFacts, thumbs: Thumbnails): string {
  const rows: Row[] = [...model.problems, ...model.largest()];
  const thumbList: Thumbnail[] = [];
  const thumbIndex = rows.map((row) => {
    const t = thumbs.byPath.get(row.p);
    if (!t) return -1;
    thumbList.push(t);
    return thumbList.length - 1;
  });
  const statuses = STATUS_ORDER.filter((s) => model.byStatus[s] > 0);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from anywhere: images are data URIs, style and script are inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; ` +
      `style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<title>imgguard report</title>',
    `<style>${PAGE_STYLE}</style></head><body>`,
    '<header><h1>imgguard report</h1>',
    `<p class="meta">${escapeHtml(runLine(facts))}</p></header>`,
    '<main>',
    summarySection(model, facts),
    plotsSection(model, facts, statuses),
    filesSection(model, rows.length, statuses, thumbs.caps),
    '</main>',
    `<script type="application/json" id="imgguard-rows">${jsonForScript(rows)}</script>`,
    `<script type="application/json" id="imgguard-thumbs">${jsonForScript({ index: thumbIndex, list: thumbList })}` +
      '</script>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function runLine(f: RunFacts): string {
  const parts = [`imgguard ${f.imgguardVersion}`];
  if (f.sharpVersion) parts.push(`sharp ${f.sharpVersion}`);
  if (f.libvipsVersion) parts.push(`libvips ${f.libvipsVersion}`);
  parts.push(`imgguard ${f.command}`, `written ${f.generatedAt}`);
  return parts.join(' · ');
}

function summarySection(m: ReportModel, f: RunFacts): string {
  const cards = [
    card('files', 'files', m.files),
    ...STATUS_ORDER.map((s) => card(s, STATUS_LABELS[s], m.byStatus[s], s)),
  ].join('');
  const facts: [string, string][] = [
    ['Budget', `${prettyBytes(f.budgetBytes)}${f.budgetSource ? ` (${f.budgetSource})` : ''}`],
    ['Decoder profile', f.decoder ?? 'sharp'],
    ['Decoded memory, all files', prettyBytes(m.decodedTotal)],
    ['Largest decoded image', prettyBytes(m.decodedMax)],
  ];
  if (f.elapsedMs !== undefined) facts.push(['Time taken', `${(f.elapsedMs / 1000).toFixed(2)} s`]);
  const list = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return (
    `<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>` +
    `<div class="cards">${cards}</div><dl class="facts">${list}</dl></section>`
  );
}

function card(key: string, label: string, count: number, status?: Status): string {
  const style = status ? ` style="border-color:${STATUS_COLOURS[status]}"` : '';
  return (
    `<div class="card" data-count-of="${escapeHtml(key)}"${style}>` +
    `<span class="count">${count}</span><span class="label">${escapeHtml(label)}</span></div>`
  );
}

function plotsSection(m: ReportModel, f: RunFacts, statuses: Status[]): string {
  const formats = [...m.byFormat.entries()].sort((a, b) => b[1] - a[1]);
  const frames = ['1', '2–9', '10–99', '100+', 'unknown']
    .filter((k) => m.byFrames.has(k))
    .map((k): [string, number] => [k === '1' ? '1 (still)' : k, m.byFrames.get(k)!]);
  const figure = (svg: string, caption: string, table: string) =>
    `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption>` +
    `<details><summary>As a table</summary>${table}</details></figure>`;
  const bins: [string, number][] = [];
  m.histogram.ok.forEach((_, k) => {
    const n = STATUS_ORDER.reduce((sum, s) => sum + m.histogram[s][k]!, 0);
    if (n > 0) bins.push([`${prettyBytes(2 ** k)} – ${prettyBytes(2 ** (k + 1))}`, n]);
  });
  return (
    `<section aria-labelledby="h-plots"><h2 id="h-plots">The dataset</h2>${legend(statuses)}<div class="plots">` +
    figure(
      memoryHistogram(m.histogram, f.budgetBytes),
      'Decoded memory per file; the line marks the budget.',
      textTable(['decoded memory', 'files'], bins),
    ) +
    figure(
      sizeScatter(m.scatter(), m.files),
      'Width against height; each verdict has its own marker.',
      textTable(
        ['verdict', 'files'],
        STATUS_ORDER.map((s) => [STATUS_LABELS[s], m.byStatus[s]]),
      ),
    ) +
    figure(bars('Formats', formats), 'Files per format (from their bytes).', textTable(['format', 'files'], formats)) +
    figure(bars('Frames', frames), 'Frames or pages per file.', textTable(['frames', 'files'], frames)) +
    `</div></section>`
  );
}

function textTable(head: [string, string], rows: readonly [string, number][]): string {
  const body = rows.map(([k, n]) => `<tr><td>${escapeHtml(k)}</td><td>${n}</td></tr>`).join('');
  return (
    `<table class="small"><thead><tr><th>${head[0]}</th><th>${head[1]}</th></tr></thead>` +
    `<tbody>${body}</tbody></table>`
  );
}

function filesSection(m: ReportModel, rowCount: number, statuses: Status[], caps: string): string {
  const options = ['<option value="">every verdict</option>', '<option value="problems">not ok</option>']
    .concat(statuses.map((s) => `<option value="${s}">${escapeHtml(STATUS_LABELS[s])}</option>`))
    .join('');
  const leftOut = m.problemsLeftOut
    ? ` ${m.problemsLeftOut} further files that are not ok are counted above but not listed.`
    : '';
  const columns: [string, string][] = [
    ['', 'Preview'],
    ['p', 'Path'],
    ['s', 'Verdict'],
    ['r', 'Reason'],
    ['wh', 'Size'],
    ['d', 'Decoded'],
    ['b', 'File'],
    ['f', 'Format'],
  ];
  const head = columns
    .map(([key, label]) =>
      key ? `<th scope="col"><button type="button" data-sort="${key}">${label}</button></th>` : `<th>${label}</th>`,
    )
    .join('');
  return (
    `<section aria-labelledby="h-files"><h2 id="h-files">Files</h2>` +
    `<p class="note">Every file that is not ok, then the largest ok files (${rowCount} rows).${escapeHtml(leftOut)} ` +
    `${escapeHtml(caps)}</p>` +
    '<div class="controls">' +
    '<label>Filter <input type="search" id="filter" placeholder="path, format or reason"></label>' +
    `<label>Verdict <select id="verdict">${options}</select></label>` +
    `<span id="shown" role="status" aria-live="polite"></span></div>` +
    `<div class="table-wrap"><table id="files"><thead><tr>${head}</tr></thead><tbody></tbody></table></div>` +
    `<nav class="pager" aria-label="Pages"><button type="button" id="prev">Previous</button>` +
    `<span id="page"></span><button type="button" id="next">Next</button></nav></section>`
  );
}
