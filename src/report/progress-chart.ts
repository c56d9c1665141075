// Chart: every trial's objective by trial number, the best-so-far line, failures marked by reason.

import { CHART_COLORS, type ChartSeries, type ChartSpec, reasonColor, seriesBuilder } from './chart-spec.js';
import { downsample } from './downsample.js';
import { formatNumber } from './format-number.js';
import type { ReportData } from './report-data.js';
import { paddedDomain, zeroBasedDomain } from './svg-plot.js';
import {
  better,
  failureReason,
  firstObjective,
  isClientLimited,
  outcomeText,
  trialOutcome,
} from './trial-view.js';

// Legend order: outcomes, roles, failures by reason (alphabetical), pruned, the best-so-far line.
const ORDER = ['feasible', 'misses the SLO', 'confirmation run', 'engine defaults', 'winner'];
function legendRank(label: string): number {
  const known = ORDER.indexOf(label);
  if (known >= 0) return known;
  if (label.startsWith('failed: ')) return ORDER.length;
  return label === 'best so far' ? ORDER.length + 2 : ORDER.length + 1;
}

/** The progress chart of a study (at most `maxPoints` trials; improvements, winner and defaults always kept). */
export function progressChart(data: ReportData, maxPoints: number): ChartSpec {
  const direction = data.directions[0] ?? 'maximize';
  const trials = [...data.trials].sort((a, b) => a.number - b.number);
  const values = trials.map(firstObjective).filter((v): v is number => v !== undefined);
  const lastNumber = trials.at(-1)?.number ?? 0;
  // Throughput and goodput (the maximised objectives) from zero, so small differences look small.
  const yRange = direction === 'maximize' ? zeroBasedDomain(values, 0.12) : paddedDomain(values, 0.12);
  // Failed and pruned trials have no value: they are marked along the bottom of the plot.
  const floor = yRange[0] + (yRange[1] - yRange[0]) * 0.02;
  // Best-so-far over feasible search trials, as a step line.
  const bestSoFar = new Map<number, number>();
  const improvements = new Set<number>();
  let best: number | undefined;
  for (const trial of trials) {
    const value = firstObjective(trial);
    if (trial.phase === 'search' && trial.feasible && value !== undefined) {
      if (best === undefined || better(value, best, direction)) {
        best = value;
        improvements.add(trial.number);
      }
    }
    if (best !== undefined) bestSoFar.set(trial.number, best);
  }
  const keep = (t: (typeof trials)[number]) =>
    improvements.has(t.number) || t.number === data.best?.trial || t.number === data.defaults?.defaultsTrial;
  const shown = downsample(trials, maxPoints, keep);
  const { series, add } = seriesBuilder(shown.length);
  add('feasible', () => ({ kind: 'points', color: CHART_COLORS.feasible }));
  add('misses the SLO', () => ({ kind: 'points', color: CHART_COLORS.infeasible, hollow: true }));
  const tips: string[] = [];
  shown.forEach((trial, i) => {
    const value = firstObjective(trial);
    const outcome = trialOutcome(trial);
    const phase =
      trial.phase === 'confirm'
        ? ` (confirms #${trial.confirmOf})`
        : trial.phase === 'baseline'
          ? ' (engine defaults)'
          : '';
    tips.push(
      `#${trial.number}${phase}: ${value === undefined ? '' : `${formatNumber(value)}, `}${outcomeText(trial, data.slo)}${isClientLimited(trial) ? ', client-bound' : ''}`,
    );
    let target: ChartSeries;
    if (outcome === 'pruned') {
      target = add('pruned: SLO lost early', () => ({
        kind: 'points',
        color: CHART_COLORS.pruned,
        hollow: true,
      }));
    } else if (value === undefined || outcome === 'failed') {
      const reason = failureReason(trial);
      target = add(`failed: ${reason}`, () => ({ kind: 'points', color: reasonColor(reason), size: 7 }));
    } else if (trial.number === data.best?.trial) {
      target = add('winner', () => ({ kind: 'points', color: CHART_COLORS.winner, size: 11 }));
    } else if (trial.phase === 'baseline') {
      target = add('engine defaults', () => ({ kind: 'points', color: CHART_COLORS.defaults, size: 10 }));
    } else if (trial.phase === 'confirm') {
      target = add('confirmation run', () => ({ kind: 'points', color: CHART_COLORS.confirm }));
    } else {
      target = series.get(outcome === 'feasible' ? 'feasible' : 'misses the SLO') as ChartSeries;
    }
    target.values[i] = outcome === 'pruned' || value === undefined || outcome === 'failed' ? floor : value;
  });
  const line = add('best so far', () => ({ kind: 'step', color: CHART_COLORS.best }));
  line.values = shown.map((t) => bestSoFar.get(t.number) ?? null);
  return {
    name: 'progress',
    title: `Objective by trial (${data.objectiveNames[0] ?? 'objective'})`,
    x: { label: 'trial number', range: [-0.5, Math.max(1, lastNumber) + 0.5] },
    y: { label: data.objectiveNames[0] ?? 'objective', range: yRange },
    xs: shown.map((t) => t.number),
    tips,
    series: [...series.values()].sort(
      (a, b) => legendRank(a.label) - legendRank(b.label) || a.label.localeCompare(b.label),
    ),
  };
}
