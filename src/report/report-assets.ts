// The page's inline style sheet and script (no external resources of any kind).

/** Inline CSS of the report. */
export const REPORT_CSS = `
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--card:#f9fafb}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1240px;padding:20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted)}.note{color:var(--muted);font-size:12px;max-width:900px}
.banner{background:#fef3c7;border:1px solid #f59e0b;padding:8px 12px;border-radius:6px;margin:10px 0}
.verdict{font-size:15px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:18px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{background:#fff;border:1px solid var(--line);border-radius:6px;max-width:100%;height:auto}
figure.chart{margin:0;padding:4px;background:#fff;border:1px solid var(--line);border-radius:6px;max-width:100%}
figure.chart .u-title{font-size:13px;font-weight:600}figure.chart .u-legend{font-size:11px;max-width:560px}
figure.chart .chart-tip{font-size:11px;color:var(--muted);padding:2px 8px;min-height:1.4em;max-width:560px}
svg .grid{stroke:#f0f0f0}svg .frame{fill:none;stroke:#d1d5db}
svg text{font-size:10px;fill:#4b5563}svg .chart-title{font-size:12px;font-weight:600;fill:var(--fg)}
svg .axis-label{font-size:11px}svg .no-data{font-size:12px;fill:var(--muted)}
.bar{fill:#2563eb}
table{border-collapse:collapse;font-size:12px;margin:6px 0}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;white-space:nowrap}
th{background:var(--card);position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none}#trials-table tbody tr{cursor:pointer}tr.picked{outline:2px solid #888}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td[data-v]{text-align:right;font-variant-numeric:tabular-nums}
tr.infeasible td{background:#fffbeb}tr.failed td{background:#fef2f2;color:#7f1d1d}tr.pruned td{background:#f0fdfa;color:#115e59}
tr.winner-row td{background:#dcfce7;font-weight:600}tr.defaults-row td{background:#f3f4f6}
.table-wrap{max-height:560px;overflow:auto;border:1px solid var(--line)}
pre{background:#0f172a;color:#e2e8f0;padding:10px;border-radius:6px;overflow:auto;font-size:12px;margin:4px 0 12px;white-space:pre-wrap;overflow-wrap:anywhere}
.export h3{display:flex;align-items:center;gap:8px}
button.copy{font-size:12px;padding:2px 8px;cursor:pointer}
.ok{color:#15803d}.bad{color:#b91c1c}
`;

/** Inline script: sortable tables and copy buttons. Plain ES2017, no globals leaked. */
export const REPORT_JS = `
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var v = cell.getAttribute('data-v');
    if (v !== null) return v === '' ? Number.NEGATIVE_INFINITY : Number(v);
    return cell.textContent || '';
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, index, th); });
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(table, index, th); });
    });
  });
  // A click on a trial shows its telemetry row (the winner's and the defaults' are shown from the start).
  var telemetry = document.getElementById('telemetry-table');
  var trials = document.getElementById('trials-table');
  if (telemetry && trials && trials.tBodies[0]) {
    trials.tBodies[0].addEventListener('click', function (e) {
      var row = e.target && e.target.closest ? e.target.closest('tr[data-trial]') : null;
      if (!row) return;
      var shown = telemetry.querySelector('tr[data-trial="' + row.getAttribute('data-trial') + '"]');
      if (shown) { shown.hidden = false; shown.classList.add('picked'); }
    });
  }
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'absolute';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      var text = source ? source.textContent || '' : '';
      var done = function (ok) {
        button.textContent = ok ? 'Copied' : 'Select and copy';
        setTimeout(function () { button.textContent = 'Copy'; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
      } else {
        done(fallbackCopy(text));
      }
    });
  });
})();
`;
