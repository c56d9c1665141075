// Charts: latency distributions (TTFT, TPOT, E2E) of the winner against the defaults, from the trials'
// percentile summaries, or as empirical CDFs when the raw request records of those trials are given.

import type { RequestRecord } from '../benchmark/request-record.js';
import { requestLatency } from '../benchmark/run-metrics.js';
import type { LatencyMetric, RunMetrics } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import { circle, createPlot, legend, paddedDomain, polyline, px } from './svg-plot.js';

/** One series of the latency charts: a trial and, optionally, its raw request records. */
export interface LatencySeries {
  label: string;
  /** CSS class of its marks: `winner` or `defaults`. */
  cls: 'winner' | 'defaults';
  trial: TrialRecord;
  records?: readonly RequestRecord[] | undefined;
}

const METRICS: ReadonlyArray<{ metric: LatencyMetric; label: string }> = [
  { metric: 'ttft', label: 'TTFT' },
  { metric: 'tpot', label: 'TPOT' },
  { metric: 'e2e', label: 'E2E latency' },
];
const LADDER = ['p50', 'p90', 'p95', 'p99'] as const;

/** Per-request values of one metric from raw records (measured, successful requests only). */
export function requestValues(records: readonly RequestRecord[], metric: LatencyMetric): number[] {
  const out: number[] = [];
  for (const record of records) {
    if (record.warmup) continue;
    const latency = requestLatency(record);
    if (!latency.ok) continue;
    if (metric === 'itl') out.push(...latency.itlMs);
    else {
      const value = latency[`${metric}Ms`];
      if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
    }
  }
  return out.sort((a, b) => a - b);
}

function ladderValues(metrics: RunMetrics | undefined, metric: LatencyMetric): Array<number | undefined> {
  return LADDER.map((stat) => {
    const v = metrics?.[`${metric}Ms`]?.[stat];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  });
}

// Percentile ladder: p50..p99 of each series, joined by a line.
function ladderChart(series: readonly LatencySeries[], metric: LatencyMetric, label: string): string {
  const all = series
    .flatMap((s) => ladderValues(s.trial.metrics, metric))
    .filter((v): v is number => v !== undefined);
  const plot = createPlot({
    name: 'latency',
    title: `${label} percentiles (ms)`,
    x: { label: 'percentile', categories: LADDER },
    y: { label: `${label} (ms)`, domain: paddedDomain([0, ...all]) },
    width: 300,
    height: 220,
    marginLeft: 48,
  });
  for (const s of series) {
    const points: Array<[number, number]> = [];
    ladderValues(s.trial.metrics, metric).forEach((v, i) => {
      if (v === undefined) return;
      const stat = LADDER[i] as string;
      points.push([plot.x(stat), plot.y(v)]);
      plot.marks.push(
        circle(plot.x(stat), plot.y(v), 3.5, s.cls, `${s.label} ${stat} ${label}: ${formatNumber(v)} ms`),
      );
    });
    plot.marks.push(polyline(points, `${s.cls}-line`));
  }
  return finish(plot, series, all.length === 0);
}

// Adds the legend (and a "not measured" note when there is nothing to draw) and renders the chart.
function finish(
  plot: ReturnType<typeof createPlot>,
  series: readonly LatencySeries[],
  empty: boolean,
): string {
  if (empty) plot.marks.push(noData(plot.box));
  plot.marks.push(
    legend(
      plot,
      series.map((s) => ({ cls: s.cls, label: s.label })),
    ),
  );
  return plot.render();
}

function noData(box: { left: number; right: number; top: number; bottom: number }): string {
  return `<text class="no-data" x="${px((box.left + box.right) / 2)}" y="${px((box.top + box.bottom) / 2)}" text-anchor="middle">not measured</text>`;
}

// Empirical CDF of the raw per-request values, thinned to at most 200 steps per series.
function cdfChart(series: readonly LatencySeries[], metric: LatencyMetric, label: string): string {
  const samples = series.map((s) => requestValues(s.records ?? [], metric));
  const all = samples.flat();
  const plot = createPlot({
    name: 'latency',
    title: `${label} distribution (ms, from request records)`,
    x: { label: `${label} (ms)`, domain: paddedDomain(all) },
    y: { label: 'share of requests', domain: [0, 1] },
    width: 300,
    height: 220,
    marginLeft: 48,
  });
  series.forEach((s, k) => {
    const values = samples[k] ?? [];
    const stride = Math.max(1, Math.ceil(values.length / 200));
    const points: Array<[number, number]> = [];
    for (let i = 0; i < values.length; i += stride) {
      points.push([plot.x(values[i] as number), plot.y((i + 1) / values.length)]);
    }
    if (values.length > 0) points.push([plot.x(values.at(-1) as number), plot.y(1)]);
    plot.marks.push(
      polyline(points, `${s.cls}-line`).replace(
        '/>',
        `><title>${escapeHtml(`${s.label}: ${values.length} requests`)}</title></path>`,
      ),
    );
  });
  return finish(plot, series, all.length === 0);
}

/** The three latency charts; CDFs when every series has records, percentile ladders otherwise. */
export function latencyCharts(series: readonly LatencySeries[]): string[] {
  const withRecords = series.length > 0 && series.every((s) => (s.records?.length ?? 0) > 0);
  return METRICS.map(({ metric, label }) =>
    withRecords ? cdfChart(series, metric, label) : ladderChart(series, metric, label),
  );
}
