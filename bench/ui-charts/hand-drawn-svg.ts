// The report's hand-drawn SVG charts as they were before the chart library (the chart bench's baseline): the
// objective by trial with the best-so-far line, and throughput against latency with the Pareto front.
import { downsample } from '../../src/report/downsample.js';
import { formatNumber } from '../../src/report/format-number.js';
import { escapeHtml } from '../../src/report/html-escape.js';
import type { ReportData } from '../../src/report/report-data.js';
import {
  createPlot,
  logDomain,
  type Plot,
  paddedDomain,
  px,
  zeroBasedDomain,
} from '../../src/report/svg-plot.js';
import { latencyOf, tradeoffAxis } from '../../src/report/tradeoff-chart.js';
import {
  better,
  failureReason,
  firstObjective,
  isClientLimited,
  outcomeText,
  reasonClass,
  trialOutcome,
} from '../../src/report/trial-view.js';
import { paretoFront } from '../../src/slo/compare-trials.js';
import type { TrialRecord } from '../../src/tune/trial-record.js';

/** Renders the progress chart as an SVG string. */
export function svgProgressChart(data: ReportData, maxPoints: number): string {
  const direction = data.directions[0] ?? 'maximize';
  const trials = data.trials;
  const values = trials.map(firstObjective).filter((v): v is number => v !== undefined);
  const lastNumber = trials.at(-1)?.number ?? 0;
  const plot = createPlot({
    name: 'progress',
    title: `Objective by trial (${data.objectiveNames[0] ?? 'objective'})`,
    x: { label: 'trial number', domain: [-0.5, Math.max(1, lastNumber) + 0.5] },
    // Throughput and goodput (the maximised objectives) from zero, so small differences look small.
    y: {
      label: data.objectiveNames[0] ?? 'objective',
      domain: direction === 'maximize' ? zeroBasedDomain(values, 0.12) : paddedDomain(values, 0.12),
    },
    height: 320,
    legendRows: 2,
  });
  // Best-so-far over feasible search trials, as a step line.
  const steps: Array<[number, number]> = [];
  const improvements = new Set<number>();
  let best: number | undefined;
  for (const trial of trials) {
    const value = firstObjective(trial);
    if (trial.phase === 'search' && trial.feasible && value !== undefined) {
      if (best === undefined || better(value, best, direction)) {
        if (best !== undefined) steps.push([plot.x(trial.number), plot.y(best)]);
        best = value;
        improvements.add(trial.number);
        steps.push([plot.x(trial.number), plot.y(best)]);
      }
    }
  }
  if (best !== undefined) steps.push([plot.x(lastNumber + 0.5), plot.y(best)]);
  plot.marks.push(polyline(steps, 'best-line'));
  const keep = (t: (typeof trials)[number]) =>
    improvements.has(t.number) || t.number === data.best?.trial || t.number === data.defaults?.defaultsTrial;
  const reasons = new Set<string>();
  let pruned = false;
  for (const trial of downsample(trials, maxPoints, keep)) {
    const value = firstObjective(trial);
    const outcome = trialOutcome(trial);
    const tip = `#${trial.number}${trial.phase === 'confirm' ? ` (confirms #${trial.confirmOf})` : trial.phase === 'baseline' ? ' (engine defaults)' : ''}: ${value === undefined ? '' : `${formatNumber(value)}, `}${outcomeText(trial, data.slo)}${isClientLimited(trial) ? ', client-bound' : ''}`;
    const cx = plot.x(trial.number);
    if (outcome === 'pruned') {
      pruned = true;
      plot.marks.push(triangle(cx, plot.box.bottom - 6, 3.5, 'pruned', tip));
      continue;
    }
    if (value === undefined || outcome === 'failed') {
      const reason = failureReason(trial);
      reasons.add(reason);
      plot.marks.push(cross(cx, plot.box.bottom - 6, 3.5, `failed ${reasonClass(reason)}`, tip));
      continue;
    }
    const role =
      trial.number === data.best?.trial ? ' winner' : trial.phase === 'baseline' ? ' defaults' : '';
    const cls = `${outcome}${trial.phase === 'confirm' ? ' confirm' : ''}${role}`;
    plot.marks.push(circle(cx, plot.y(value), role ? 5 : 3, cls, tip));
  }
  plot.marks.push(
    legend(plot, [
      { cls: 'feasible', label: 'feasible' },
      { cls: 'infeasible', label: 'misses the SLO' },
      ...[...reasons].sort().map((r) => ({ cls: `failed ${reasonClass(r)}`, label: `failed: ${r}` })),
      ...(pruned ? [{ cls: 'pruned', label: 'pruned: SLO lost early' }] : []),
      { cls: 'best-line', label: 'best so far' },
      ...(data.trials.some((t) => t.phase === 'baseline')
        ? [{ cls: 'defaults', label: 'engine defaults' }]
        : []),
    ]),
  );
  return plot.render();
}

interface Point {
  trial: TrialRecord;
  latency: number;
  throughput: number;
}

/** Renders the throughput-latency chart as an SVG string. */
export function svgTradeoffChart(data: ReportData, maxPoints: number): string {
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

/** The report's style rules of these charts' marks, as they were. */
export const SVG_MARK_CSS = `
.feasible{fill:#2563eb;fill-opacity:.75;stroke:#1e40af;stroke-width:.5}
.infeasible{fill:#fff;stroke:#f59e0b;stroke-width:1.5}
.failed{stroke:#dc2626;stroke-width:1.6;fill:#dc2626}
.pruned{stroke:#0d9488;stroke-width:1.4;fill:none}
.r-oom{stroke:#b91c1c;fill:#b91c1c}.r-crash{stroke:#db2777;fill:#db2777}.r-readiness-timeout{stroke:#9333ea;fill:#9333ea}
.r-invalid-parameters,.r-invalid,.r-bad-flag{stroke:#6b7280;fill:#6b7280}.r-benchmark-error{stroke:#ea580c;fill:#ea580c}
.r-cuda-error{stroke:#7f1d1d;fill:#7f1d1d}.r-trial-timeout{stroke:#c026d3;fill:#c026d3}
.confirm{fill:#0891b2}
.winner{fill:#16a34a;stroke:#14532d;stroke-width:1.5;fill-opacity:1}
.defaults{fill:#6b7280;stroke:#111827;stroke-width:1.2;fill-opacity:1}
.pareto{stroke:#7c3aed;stroke-width:1.5}
.best-line{stroke:#16a34a;stroke-width:2;fill:#16a34a}
.front-line{stroke:#7c3aed;stroke-width:1.5;stroke-dasharray:4 2;fill:#7c3aed}
.slo-line{stroke:#dc2626;stroke-width:1.5;stroke-dasharray:6 3;fill:#dc2626}
.winner-line{stroke:#16a34a;stroke-width:2}.defaults-line{stroke:#6b7280;stroke-width:2;stroke-dasharray:5 3}
svg path.mark{fill:none}
.legend text{font-size:10px}
`;

/** A circle mark with a hover title. */
function circle(cx: number, cy: number, r: number, cls: string, title: string): string {
  return `<circle class="mark ${cls}" cx="${px(cx)}" cy="${px(cy)}" r="${r}"><title>${escapeHtml(title)}</title></circle>`;
}

/** A cross mark (failed trials) with a hover title. */
function cross(cx: number, cy: number, size: number, cls: string, title: string): string {
  const d = `M${px(cx - size)} ${px(cy - size)}L${px(cx + size)} ${px(cy + size)}M${px(cx - size)} ${px(cy + size)}L${px(cx + size)} ${px(cy - size)}`;
  return `<path class="mark ${cls}" d="${d}"><title>${escapeHtml(title)}</title></path>`;
}

/** A hollow triangle mark (pruned trials) with a hover title. */
function triangle(cx: number, cy: number, size: number, cls: string, title: string): string {
  const d = `M${px(cx)} ${px(cy - size)}L${px(cx + size)} ${px(cy + size * 0.8)}L${px(cx - size)} ${px(cy + size * 0.8)}Z`;
  return `<path class="mark ${cls}" d="${d}"><title>${escapeHtml(title)}</title></path>`;
}

/** A polyline through points, skipping nothing (callers drop non-finite points). */
function polyline(points: ReadonlyArray<[number, number]>, cls: string): string {
  if (points.length === 0) return '';
  const d = points.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${px(a)} ${px(b)}`).join('');
  return `<path class="mark ${cls}" d="${d}" fill="none"/>`;
}

/** A legend drawn above the plot box, wrapping onto a second row when needed. */
function legend(plot: Plot, items: ReadonlyArray<{ cls: string; label: string }>): string {
  let xx = plot.box.left;
  let row = 0;
  return items
    .map((item) => {
      const label = item.label.length > 24 ? `${item.label.slice(0, 23)}…` : item.label;
      const widthPx = 18 + label.length * 5.6;
      if (xx + widthPx > plot.box.right && xx > plot.box.left) {
        xx = plot.box.left;
        row++;
      }
      const yy = 32 + row * 12;
      const at = xx;
      xx += widthPx + 6;
      return `<g class="legend"><rect class="${item.cls}" x="${px(at)}" y="${yy - 8}" width="9" height="9"/><text x="${px(at + 13)}" y="${yy}">${escapeHtml(label)}</text></g>`;
    })
    .join('');
}
