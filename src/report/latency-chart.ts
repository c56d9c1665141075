// Charts: latency distributions (TTFT, TPOT, E2E) of the winner against the defaults, from the trials'
// percentile summaries, or as empirical CDFs when the raw request records of those trials are given.

import type { RequestRecord } from '../benchmark/request-record.js';
import { requestLatency } from '../benchmark/run-metrics.js';
import type { LatencyMetric, RunMetrics } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { CHART_COLORS, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { formatNumber } from './format-number.js';
import { paddedDomain } from './svg-plot.js';

/** One series of the latency charts: a trial and, optionally, its raw request records. */
export interface LatencySeries {
  label: string;
  /** Its role, which sets its colour: `winner` or `defaults`. */
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

// The line of one series: the winner's solid, the defaults' dashed.
function line(s: LatencySeries, label: string, values: Array<number | null>, marked: boolean): ChartSeries {
  return {
    label,
    kind: 'line',
    color: CHART_COLORS[s.cls],
    values,
    marked,
    ...(s.cls === 'defaults' ? { dash: [5, 3] } : {}),
  };
}

const SIZE = { width: 300, height: 240 };

// Percentile ladder: p50..p99 of each series, joined by a line.
function ladderChart(series: readonly LatencySeries[], metric: LatencyMetric, label: string): ChartSpec {
  const ladders = series.map((s) => ladderValues(s.trial.metrics, metric));
  const all = ladders.flat().filter((v): v is number => v !== undefined);
  return {
    name: 'latency',
    title: `${label} percentiles (ms)`,
    x: { label: 'percentile', categories: [...LADDER], range: [-0.5, LADDER.length - 0.5] },
    y: { label: `${label} (ms)`, range: paddedDomain([0, ...all]) },
    xs: LADDER.map((_, i) => i),
    tips: LADDER.map((stat, i) =>
      series
        .map((s, k) => {
          const v = ladders[k]?.[i];
          return `${s.label} ${stat} ${label}: ${v === undefined ? 'not measured' : `${formatNumber(v)} ms`}`;
        })
        .join('; '),
    ),
    series: series.map((s, k) =>
      line(
        s,
        s.label,
        (ladders[k] ?? []).map((v) => v ?? null),
        true,
      ),
    ),
    ...(all.length === 0 ? { note: 'not measured' } : {}),
    ...SIZE,
  };
}

// Empirical CDF of the raw per-request values, thinned to at most 200 steps per series.
function cdfChart(series: readonly LatencySeries[], metric: LatencyMetric, label: string): ChartSpec {
  const samples = series.map((s) => requestValues(s.records ?? [], metric));
  const all = samples.flat();
  // Each series' steps (value, share of requests at or below it), on one x axis for all of them.
  const steps = samples.map((values) => {
    const stride = Math.max(1, Math.ceil(values.length / 200));
    const out: Array<[number, number]> = [];
    for (let i = 0; i < values.length; i += stride) out.push([values[i] as number, (i + 1) / values.length]);
    if (values.length > 0) out.push([values.at(-1) as number, 1]);
    return out;
  });
  const points = steps
    .flatMap((list, k) => list.map(([x, share]) => ({ x, share, k })))
    .sort((a, b) => a.x - b.x || a.k - b.k);
  return {
    name: 'latency',
    title: `${label} distribution (ms, from request records)`,
    x: { label: `${label} (ms)`, range: paddedDomain(all) },
    y: { label: 'share of requests', range: [0, 1] },
    xs: points.map((p) => p.x),
    tips: points.map(
      (p) =>
        `${series[p.k]?.label}: ${Math.round(p.share * 100)} % of requests within ${formatNumber(p.x)} ms`,
    ),
    series: series.map((s, k) =>
      line(
        s,
        `${s.label}: ${samples[k]?.length ?? 0} requests`,
        points.map((p) => (p.k === k ? p.share : null)),
        false,
      ),
    ),
    ...(all.length === 0 ? { note: 'not measured' } : {}),
    ...SIZE,
  };
}

/** The three latency charts; CDFs when every series has records, percentile ladders otherwise. */
export function latencyCharts(series: readonly LatencySeries[]): ChartSpec[] {
  const withRecords = series.length > 0 && series.every((s) => (s.records?.length ?? 0) > 0);
  return METRICS.map(({ metric, label }) =>
    withRecords ? cdfChart(series, metric, label) : ladderChart(series, metric, label),
  );
}
