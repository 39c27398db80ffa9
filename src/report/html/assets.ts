/**
 * The report's style sheet and script, inlined into the page. The script builds table cells
 * with textContent only (never markup from data) and shows 100 rows at a time, so a page of
 * 100,000 rows stays quick to filter, sort and scroll.
 */

export const PAGE_STYLE = `
:root { color-scheme: light; --fg: #1b1f23; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta, .note { color: var(--muted); margin: 0 0 8px; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 6px 12px;
  min-width: 110px; background: var(--soft); }
.card .count { display: block; font-size: 1.6em; font-weight: 600; }
.card .label { color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figcaption { color: var(--muted); font-size: 0.9em; }
.plot { width: 100%; height: auto; display: block; }
.plot text { font-size: 12px; fill: var(--fg); }
.plot .tick-x { text-anchor: middle; }
.plot .tick-y, .plot .bar-label { text-anchor: end; }
.plot .axis-label { text-anchor: middle; fill: var(--muted); }
.plot .axis { fill: none; stroke: #8c959f; }
.plot .bar { fill: #0969da; }
.plot .budget-line { stroke: #c62828; stroke-width: 2; stroke-dasharray: 6 3; }
.plot .budget-label { fill: #c62828; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 8px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
details summary { cursor: pointer; color: var(--muted); font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; }
table.small td, table.small th { padding: 2px 8px; text-align: left; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0; }
.controls input, .controls select { font: inherit; padding: 4px 6px; }
.table-wrap { overflow-x: auto; }
#files th, #files td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
#files th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; }
#files th[aria-sort="ascending"] button::after { content: " ▲"; }
#files th[aria-sort="descending"] button::after { content: " ▼"; }
#files td.path { overflow-wrap: anywhere; max-width: 360px; font-family: ui-monospace, monospace; font-size: 0.9em; }
#files td.reason { max-width: 360px; }
#files td.num { text-align: right; white-space: nowrap; }
#files td.thumb { width: 108px; }
#files td.thumb img { max-width: 96px; max-height: 96px; display: block; }
.placeholder { display: block; width: 96px; font-size: 0.75em; color: var(--muted); border: 1px dashed var(--line);
  padding: 2px; overflow-wrap: anywhere; }
.verdict { white-space: nowrap; font-weight: 600; }
.v-ok { color: #2e7d32; } .v-over_budget { color: #c62828; } .v-corrupt { color: #e65100; }
.v-unsupported { color: #6a1b9a; } .v-error { color: #37474f; }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0 32px; }
@media (max-width: 640px) { #files td.reason, #files th:nth-child(4) { display: none; } body { font-size: 14px; } }
`;

export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const rows = JSON.parse(document.getElementById('imgguard-rows').textContent);
  const thumbs = JSON.parse(document.getElementById('imgguard-thumbs').textContent);
  const PAGE = 100;
  const MARKS = { ok: '✓ ok', over_budget: '✗ over budget', corrupt: '! corrupt', unsupported: '? unsupported',
    error: '! error' };
  const $ = (id) => document.getElementById(id);
  const tbody = document.querySelector('#files tbody');
  const filter = $('filter'), verdict = $('verdict'), prev = $('prev'), next = $('next');
  let view = [], page = 0, sortKey = null, sortDir = 1;

  const bytes = (n) => {
    if (n === null || n === undefined) return '';
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i === 0 ? String(n) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
  };
  const key = (r, k) => (k === 'wh' ? (r.w || 0) * (r.h || 0) : r[k] === null ? '' : r[k]);

  function apply() {
    const q = filter.value.trim().toLowerCase();
    const v = verdict.value;
    view = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (v === 'problems' ? r.s === 'ok' : v && r.s !== v) continue;
      if (q && !(r.p.toLowerCase().includes(q) || r.f.includes(q) || (r.r || '').toLowerCase().includes(q))) continue;
      view.push(i);
    }
    if (sortKey) {
      view.sort((a, b) => {
        const x = key(rows[a], sortKey), y = key(rows[b], sortKey);
        return (x < y ? -1 : x > y ? 1 : a - b) * sortDir;
      });
    }
    page = 0;
    render();
  }

  function cell(tr, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function preview(i, r) {
    const td = document.createElement('td');
    td.className = 'thumb';
    const at = thumbs.index[i];
    const t = at >= 0 ? thumbs.list[at] : null;
    if (t && typeof t.uri === 'string' && t.uri.startsWith('data:image/')) {
      const img = document.createElement('img');
      img.src = t.uri;
      img.alt = 'preview of ' + r.p;
      td.appendChild(img);
    } else if (t && typeof t.text === 'string') {
      const span = document.createElement('span');
      span.className = 'placeholder';
      span.textContent = t.text;
      td.appendChild(span);
    }
    return td;
  }

  function render() {
    const pages = Math.max(1, Math.ceil(view.length / PAGE));
    page = Math.max(0, Math.min(page, pages - 1));
    const frag = document.createDocumentFragment();
    for (const i of view.slice(page * PAGE, (page + 1) * PAGE)) {
      const r = rows[i];
      const tr = document.createElement('tr');
      tr.dataset.status = r.s;
      tr.appendChild(preview(i, r));
      cell(tr, r.p, 'path');
      cell(tr, MARKS[r.s] || r.s, 'verdict v-' + r.s);
      cell(tr, (r.c ? r.c + ': ' : '') + (r.r || ''), 'reason');
      cell(tr, r.w !== null && r.h !== null ? r.w + '×' + r.h + (r.n > 1 ? ' ×' + r.n : '') : '', 'num');
      cell(tr, bytes(r.d), 'num');
      cell(tr, bytes(r.b), 'num');
      cell(tr, r.f, '');
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    $('shown').textContent = view.length + ' of ' + rows.length + ' rows';
    $('page').textContent = 'page ' + (page + 1) + ' of ' + pages;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  filter.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  prev.addEventListener('click', () => { page--; render(); });
  next.addEventListener('click', () => { page++; render(); });
  for (const b of document.querySelectorAll('#files th button')) {
    b.addEventListener('click', () => {
      const k = b.dataset.sort;
      sortDir = sortKey === k ? -sortDir : k === 'p' || k === 'f' || k === 's' ? 1 : -1;
      sortKey = k;
      for (const th of document.querySelectorAll('#files th')) th.removeAttribute('aria-sort');
      b.parentElement.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
      apply();
    });
  }
  apply();
})();
`;
