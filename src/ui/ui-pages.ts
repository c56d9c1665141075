// The dashboard's HTML pages: a shell that loads the dashboard's own script and style sheet (served by the same
// process: no other origin), with the data the script starts from in data attributes.
import { escapeHtml } from '../report/html-escape.js';
import type { JournalContents } from '../tune/journal/journal-types.js';
import { compareTable } from './compare-page.js';

// Only pages with charts load the chart library and the chart script.
function page(
  title: string,
  attributes: Record<string, string>,
  body: string,
  options: { charts?: boolean } = {},
): string {
  const data = Object.entries(attributes)
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    ...(options.charts
      ? [
          '<link rel="stylesheet" href="/assets/uplot.css">',
          '<script src="/assets/uplot.js" defer></script>',
          '<script src="/assets/charts.js" defer></script>',
        ]
      : []),
    '<link rel="stylesheet" href="/assets/ui.css">',
    '<script src="/assets/ui.js" defer></script>',
    `</head><body${data}>`,
    '<header><a href="/">inference-autotuner</a></header>',
    `<main>${body}</main>`,
    '</body></html>',
  ].join('\n');
}

/** The list of studies of the folder (filled and refreshed by the script). */
export function listPage(folder: string): string {
  return page(
    'Studies',
    { page: 'list' },
    [
      '<h1>Studies</h1>',
      `<p class="muted">Journals in ${escapeHtml(folder)}</p>`,
      '<table id="studies"><thead><tr><th>study</th><th>status</th><th>progress</th><th>failed</th>',
      '<th>best</th><th>updated</th></tr></thead><tbody></tbody></table>',
      '<p id="empty" class="muted" hidden>No journals yet.</p>',
      '<h2>Compare two studies</h2>',
      '<form id="compare" action="/compare" method="get"><select name="a" id="compare-a"></select>',
      '<select name="b" id="compare-b"></select> <button type="submit">compare</button></form>',
      '<h2>Run a study</h2>',
      '<form id="submit"><textarea id="submit-text" rows="12" cols="80" spellcheck="false"',
      ' placeholder="a study file (YAML or JSON), as for autotune run"></textarea><br>',
      '<button type="submit">run</button> <span id="submit-result" class="muted"></span></form>',
    ].join('\n'),
  );
}

/** The live page of one study: summary and trials, kept current by server push. */
export function studyPage(journal: string): string {
  return page(
    `Study ${journal}`,
    { page: 'study', journal },
    [
      `<h1 id="title">${escapeHtml(journal)}</h1>`,
      '<p><span id="status" class="status">connecting</span> <a id="report" href="#" hidden>report</a>',
      ' <button id="stop" hidden>stop</button> <button id="resume" hidden>resume</button>',
      ' <span id="run-state" class="muted"></span></p>',
      '<dl id="summary"></dl>',
      '<div id="charts" class="charts"></div>',
      '<section id="live" hidden><h2>Running now</h2><table><thead><tr><th>#</th><th>phase</th><th>GPUs</th>',
      '<th>since</th><th>server</th><th>parameters</th></tr></thead><tbody></tbody></table></section>',
      '<h2>Trials</h2>',
      '<table id="trials"><thead><tr><th>#</th><th>phase</th><th>state</th><th>objective</th><th>GPUs</th>',
      '<th>seconds</th><th>parameters</th></tr></thead><tbody></tbody></table>',
      '<section id="failure" hidden><h2>Last failure</h2><pre id="failure-text"></pre></section>',
    ].join('\n'),
    { charts: true },
  );
}

/** Two studies side by side. */
export function comparePage(
  journals: ReadonlyArray<{ id: string } & Pick<JournalContents, 'header' | 'entries'>>,
): string {
  return page('Comparison', { page: 'compare' }, `<h1>Comparison</h1>\n${compareTable(journals)}`);
}
