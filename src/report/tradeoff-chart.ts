// Chart: throughput against a latency statistic, with the Pareto front of the two and the SLO bound.
import { paretoFront } from '../slo/compare-trials.js';
import type { LatencyMetric, LatencyStat, RunMetrics } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { downsample } from './downsample.js';
import { formatNumber } from './format-number.js';
import type { ReportData } from './report-data.js';
import {
  circle,
  createPlot,
  legend,
  logDomain,
  paddedDomain,
  polyline,
  px,
  zeroBasedDomain,
} from './svg-plot.js';
import { outcomeText, trialOutcome } from './trial-view.js';

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

/** Renders the throughput-latency chart as an SVG string. */
export function tradeoffChart(data: ReportData, maxPoints: number): string {
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
  const plot = createPlot({
    name: 'tradeoff',
    title: `Output throughput vs ${stat} ${metric.toUpperCase()}`,
    x: {
      label: `${stat} ${metric.toUpperCase()} (ms${log ? ', log scale' : ''})`,
      domain: log ? logDomain(xs) : paddedDomain(xs),
      log,
    },
    height: 320,
    legendRows: 2,
    // Throughput from zero: an axis starting near the data makes a 2 % difference look like a doubling.
    y: { label: 'output tok/s', domain: zeroBasedDomain(points.map((p) => p.throughput)) },
  });
  for (const bound of bounds) {
    const x = px(plot.x(bound.maxMs));
    plot.marks.push(
      `<line class="mark slo-line" x1="${x}" x2="${x}" y1="${plot.box.top}" y2="${plot.box.bottom}"><title>SLO: ${stat} ${metric} &lt;= ${bound.maxMs} ms</title></line>`,
    );
  }
  const front = paretoFront(
    points.map((p) => ({
      point: p,
      state: 'complete',
      values: [p.latency, -p.throughput],
      constraints: p.trial.feasible ? [] : [1],
    })),
  )
    .map((f) => f.point)
    .sort((a, b) => a.latency - b.latency);
  plot.marks.push(
    polyline(
      front.map((p) => [plot.x(p.latency), plot.y(p.throughput)]),
      'front-line',
    ),
  );
  const onFront = new Set(front.map((p) => p.trial.number));
  const studyPareto = new Set(data.objectiveNames.length > 1 ? data.pareto : []);
  const keep = (p: Point) =>
    onFront.has(p.trial.number) ||
    p.trial.number === data.best?.trial ||
    p.trial.number === data.defaults?.defaultsTrial;
  for (const p of downsample(points, maxPoints, keep)) {
    const n = p.trial.number;
    const role = n === data.best?.trial ? ' winner' : n === data.defaults?.defaultsTrial ? ' defaults' : '';
    const cls = `${trialOutcome(p.trial)}${onFront.has(n) || studyPareto.has(n) ? ' pareto' : ''}${role}`;
    const tip = `#${n}: ${formatNumber(p.throughput)} tok/s, ${formatNumber(p.latency)} ms, ${outcomeText(p.trial, data.slo)}${role ? ` (${role.trim()})` : ''}`;
    plot.marks.push(circle(plot.x(p.latency), plot.y(p.throughput), role ? 5.5 : 3, cls, tip));
  }
  plot.marks.push(
    legend(plot, [
      { cls: 'feasible', label: 'feasible' },
      { cls: 'infeasible', label: 'misses the SLO' },
      { cls: 'front-line', label: 'Pareto front' },
      ...(bounds.length > 0 ? [{ cls: 'slo-line', label: 'SLO bound' }] : []),
      { cls: 'winner', label: 'winner' },
      ...(data.defaults ? [{ cls: 'defaults', label: 'defaults' }] : []),
    ]),
  );
  return plot.render();
}
