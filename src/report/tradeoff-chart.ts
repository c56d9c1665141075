// Chart: throughput against a latency statistic, with the Pareto front of the two and the SLO bound.
import { paretoFront } from '../slo/compare-trials.js';
import type { LatencyMetric, LatencyStat, RunMetrics } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { CHART_COLORS, type ChartSeries, type ChartSpec } from './chart-spec.js';
import { downsample } from './downsample.js';
import { formatNumber } from './format-number.js';
import type { ReportData } from './report-data.js';
import { logDomain, paddedDomain, zeroBasedDomain } from './svg-plot.js';
import { outcomeText } from './trial-view.js';

/** The latency statistic the trade-off chart uses: the first SLO term's, else p99 E2E. */
export function tradeoffAxis(data: ReportData): { metric: LatencyMetric; stat: LatencyStat } {
  const term = data.slo?.terms[0];
  return term ? { metric: term.metric, stat: term.stat } : { metric: 'e2e', stat: 'p99' };
}

/** A latency statistic of a run, when measured. */
export function latencyOf(metrics: RunMetrics | undefined, metric: LatencyMetric, stat: string) {
  const value = metrics?.[`${metric}Ms`]?.[stat];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

interface Point {
  trial: TrialRecord;
  latency: number;
  throughput: number;
}

/** The throughput-latency chart of a study (at most `maxPoints` trials; front, winner and defaults always kept). */
export function tradeoffChart(data: ReportData, maxPoints: number): ChartSpec {
  const { metric, stat } = tradeoffAxis(data);
  const points: Point[] = [];
  for (const trial of data.trials) {
    const latency = latencyOf(trial.metrics, metric, stat);
    const throughput = trial.metrics?.outputTokensPerS;
    if (trial.state !== 'complete' || latency === undefined || typeof throughput !== 'number') continue;
    points.push({ trial, latency, throughput });
  }
  const bounds = (data.slo?.terms ?? []).filter((t) => t.metric === metric && t.stat === stat);
  const xs = [...points.map((p) => p.latency), ...bounds.map((b) => b.maxMs)].filter((v) => v > 0);
  // Latencies of a study often span orders of magnitude: a log axis keeps the feasible corner readable.
  const log = xs.length > 1 && Math.max(...xs) / Math.min(...xs) > 30;
  const front = paretoFront(
    points.map((p) => ({
      point: p,
      state: 'complete',
      values: [p.latency, -p.throughput],
      constraints: p.trial.feasible ? [] : [1],
    })),
  ).map((f) => f.point);
  const onFront = new Set(front.map((p) => p.trial.number));
  const studyPareto = new Set(data.objectiveNames.length > 1 ? data.pareto : []);
  const keep = (p: Point) =>
    onFront.has(p.trial.number) ||
    p.trial.number === data.best?.trial ||
    p.trial.number === data.defaults?.defaultsTrial;
  // A log axis cannot place a zero latency.
  const shown = downsample(points, maxPoints, keep)
    .filter((p) => !log || p.latency > 0)
    .sort((a, b) => a.latency - b.latency || a.trial.number - b.trial.number);
  const column = (pick: (p: Point) => boolean) => shown.map((p) => (pick(p) ? p.throughput : null));
  const role = (p: Point) =>
    p.trial.number === data.best?.trial
      ? 'winner'
      : p.trial.number === data.defaults?.defaultsTrial
        ? 'defaults'
        : undefined;
  const series: ChartSeries[] = [
    {
      label: 'feasible',
      kind: 'points',
      color: CHART_COLORS.feasible,
      values: column((p) => p.trial.feasible && !role(p)),
    },
    {
      label: 'misses the SLO',
      kind: 'points',
      color: CHART_COLORS.infeasible,
      hollow: true,
      values: column((p) => !p.trial.feasible && !role(p)),
    },
    {
      label: 'Pareto front',
      kind: 'line',
      color: CHART_COLORS.front,
      dash: [4, 2],
      marked: true,
      values: column((p) => onFront.has(p.trial.number)),
    },
  ];
  // A study of several objectives has its own Pareto set (over all of them): ringed.
  if (studyPareto.size > 0)
    series.push({
      label: 'Pareto set of the study',
      kind: 'points',
      color: CHART_COLORS.front,
      size: 10,
      hollow: true,
      values: column((p) => studyPareto.has(p.trial.number)),
    });
  if (bounds.length > 0)
    series.push({
      label: 'SLO bound',
      kind: 'line',
      color: CHART_COLORS.slo,
      dash: [6, 3],
      values: column(() => false),
    });
  series.push({
    label: 'winner',
    kind: 'points',
    color: CHART_COLORS.winner,
    size: 11,
    values: column((p) => role(p) === 'winner'),
  });
  if (data.defaults)
    series.push({
      label: 'defaults',
      kind: 'points',
      color: CHART_COLORS.defaults,
      size: 10,
      values: column((p) => role(p) === 'defaults'),
    });
  return {
    name: 'tradeoff',
    title: `Output throughput vs ${stat} ${metric.toUpperCase()}`,
    x: {
      label: `${stat} ${metric.toUpperCase()} (ms${log ? ', log scale' : ''})`,
      range: log ? logDomain(xs) : paddedDomain(xs),
      ...(log ? { log } : {}),
    },
    // Throughput from zero: an axis starting near the data makes a 2 % difference look like a doubling.
    y: { label: 'output tok/s', range: zeroBasedDomain(points.map((p) => p.throughput)) },
    xs: shown.map((p) => p.latency),
    tips: shown.map((p) => {
      const r = role(p);
      return `#${p.trial.number}: ${formatNumber(p.throughput)} tok/s, ${formatNumber(p.latency)} ms, ${outcomeText(p.trial, data.slo)}${onFront.has(p.trial.number) ? ', on the front' : ''}${r ? ` (${r})` : ''}`;
    }),
    series,
    rules: bounds.map((b) => ({ x: b.maxMs, color: CHART_COLORS.slo })),
  };
}
