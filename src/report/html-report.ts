// The study report as one self-contained HTML page: inline charts (the library and the chart script inlined, as
// the live page loads them), inline CSS and script, no URLs.
import type { RequestRecord } from '../benchmark/request-record.js';
import type { JournalContents } from '../tune/journal/journal-types.js';
import { redactText } from '../util/redact.js';
import { calibrationSection } from './calibration-section.js';
import { chartLibrary } from './chart-library.js';
import { CHART_SCRIPT } from './chart-script.js';
import { chartFigure } from './chart-spec.js';
import { defaultsRecord } from './comparison.js';
import { DEFAULT_MAX_POINTS } from './downsample.js';
import { effectCharts } from './effect-charts.js';
import { escapeHtml } from './html-escape.js';
import { importanceChart } from './importance-chart.js';
import { type LatencySeries, latencyCharts } from './latency-chart.js';
import { IMPORTANCE_METHOD, paramImportance, paramNames } from './param-importance.js';
import { progressChart } from './progress-chart.js';
import { REPORT_CSS, REPORT_JS } from './report-assets.js';
import { type ReportData, toReportData } from './report-data.js';
import { exportsSection, manifestSection, summarySection, winnerSection } from './report-sections.js';
import { telemetrySection } from './telemetry-section.js';
import { tradeoffChart } from './tradeoff-chart.js';
import { keepsDefaults } from './trial-view.js';
import { trialsTable } from './trials-table.js';

// Parameters that get their own effect plot.
const EFFECT_LIMIT = 12;

/** Options of renderHtmlReport. */
export interface HtmlReportOptions {
  /**
   * Raw request records per trial number (e.g. read from the load generator's JSONL export). When the
   * winner and the defaults both have records, latency charts show empirical CDFs instead of percentile
   * ladders. @default {}
   */
  records?: Readonly<Record<number, readonly RequestRecord[]>>;
  /** Most points a chart draws per series; larger studies are sampled (best and key trials always kept). @default 400 */
  maxPoints?: number;
  /** Page title. @default `Study <studyId>` */
  title?: string;
}

function latencySection(data: ReportData, options: HtmlReportOptions): string {
  const series: LatencySeries[] = [];
  const best = data.best?.record;
  const base = defaultsRecord(data);
  // Keeping the defaults: they are drawn against the best tuned configuration they were compared with.
  const tunedNumber = keepsDefaults(data) ? data.defaults?.tunedTrial : undefined;
  const tuned = tunedNumber === undefined ? undefined : data.trials.find((t) => t.number === tunedNumber);
  const other = tuned ?? best;
  if (other && other.number !== base?.number)
    series.push({
      label: tuned ? `best tuned (#${other.number})` : `winner (#${other.number})`,
      cls: 'winner',
      trial: other,
      records: options.records?.[other.number],
    });
  if (base?.metrics) {
    series.push({
      label: `defaults (#${base.number})${tuned ? ', recommended' : ''}`,
      cls: 'defaults',
      trial: base,
      records: options.records?.[base.number],
    });
  }
  if (series.length === 0)
    return '<h2 id="latency">Latency distributions</h2><p class="muted">Neither a winner nor the engine defaults were measured.</p>';
  const fromRecords = series.every((s) => (s.records?.length ?? 0) > 0);
  return [
    `<h2 id="latency">Latency distributions: ${tuned ? 'best tuned configuration' : 'winner'} vs defaults</h2>`,
    `<p class="note">${
      fromRecords
        ? 'Empirical CDFs of every measured request (from the request records given to the report).'
        : 'Percentiles from the trial summaries (journals keep summaries only; pass request records to draw full distributions).'
    }</p>`,
    `<div class="charts">${latencyCharts(series).map(chartFigure).join('\n')}</div>`,
  ].join('\n');
}

/** Renders the whole report; the result is one HTML document with no external references. */
export function renderHtmlReport(
  journal: Pick<JournalContents, 'header' | 'entries'> | ReportData,
  options: HtmlReportOptions = {},
): string {
  const data = toReportData(journal);
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const importance = paramImportance(data.trials);
  const ordered = [
    ...importance.map((i) => i.name),
    ...paramNames(data.trials).filter((n) => !importance.some((i) => i.name === n)),
  ];
  const title = options.title ?? `Study ${data.studyId}`;
  const body = [
    summarySection(data),
    '<h2 id="progress">Search progress</h2>',
    `<div class="charts">${chartFigure(progressChart(data, maxPoints))}\n${chartFigure(tradeoffChart(data, maxPoints))}</div>`,
    '<h2 id="importance">Which parameters mattered</h2>',
    `<p class="note">Method: ${escapeHtml(IMPORTANCE_METHOD)}.</p>`,
    importance.length > 0
      ? `<div class="charts">${importanceChart(importance)}</div>`
      : '<p class="muted">Too few measured trials to estimate importance.</p>',
    `<h3>Objective by parameter${ordered.length > EFFECT_LIMIT ? ` (the ${EFFECT_LIMIT} most important of ${ordered.length})` : ''}</h3>`,
    `<div class="charts">${effectCharts(data, ordered, Math.ceil(maxPoints / 2), EFFECT_LIMIT)
      .map(chartFigure)
      .join('\n')}</div>`,
    latencySection(data, options),
    telemetrySection(data),
    winnerSection(data),
    calibrationSection(data),
    exportsSection(data),
    '<h2 id="trials">All trials</h2>',
    '<p class="note">Click a column to sort, a row to show its telemetry.</p>',
    `<div class="table-wrap">${trialsTable(data)}</div>`,
    manifestSection(data),
  ].join('\n');
  const page = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${chartLibrary().css}\n${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    body,
    `<script>${chartLibrary().script}</script>`,
    `<script>${CHART_SCRIPT}</script>`,
    `<script>${REPORT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  // Data was redacted when read; this pass also catches secrets registered since.
  return redactText(page);
}
