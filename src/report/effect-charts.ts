// Charts: the objective against each parameter (one small plot per parameter), failures along the bottom.
import type { TrialRecord } from '../tune/trial-record.js';
import { CHART_COLORS, type ChartSeries, type ChartSpec, reasonColor, seriesBuilder } from './chart-spec.js';
import { downsample } from './downsample.js';
import { formatNumber, formatParam } from './format-number.js';
import { isNumericParam } from './param-importance.js';
import type { ReportData } from './report-data.js';
import { paddedDomain, zeroBasedDomain } from './svg-plot.js';
import { failureReason, firstObjective, outcomeText, trialOutcome } from './trial-view.js';

// Deterministic horizontal jitter for categorical values, from the trial number.
const jitter = (n: number): number => (((n * 0.618_034) % 1) - 0.5) * 0.5;

/** One effect plot for the parameter `name`. */
export function effectChart(data: ReportData, name: string, maxPoints: number): ChartSpec {
  const trials = data.trials.filter((t) => t.phase === 'search' && t.params[name] !== undefined);
  const numeric = isNumericParam(trials, name);
  const categories = numeric
    ? undefined
    : [...new Set(trials.map((t) => formatParam(t.params[name])))].sort((a, b) => a.localeCompare(b));
  const values = trials.map(firstObjective).filter((v): v is number => v !== undefined);
  const yRange =
    (data.directions[0] ?? 'maximize') === 'maximize'
      ? zeroBasedDomain(values, 0.12)
      : paddedDomain(values, 0.12);
  // Failed and pruned trials have no value: they are marked along the bottom of the plot.
  const floor = yRange[0] + (yRange[1] - yRange[0]) * 0.03;
  const xOf = (t: TrialRecord) => {
    const v = t.params[name];
    return numeric ? Number(v) : (categories ?? []).indexOf(formatParam(v)) + jitter(t.number);
  };
  const shown = downsample(trials, maxPoints, (t) => t.number === data.best?.trial)
    .map((trial) => ({ trial, x: xOf(trial) }))
    .sort((a, b) => a.x - b.x || a.trial.number - b.trial.number);
  const { series, add } = seriesBuilder(shown.length);
  shown.forEach(({ trial }, i) => {
    const value = firstObjective(trial);
    const outcome = trialOutcome(trial);
    let target: ChartSeries;
    if (outcome === 'pruned') {
      target = add('pruned', () => ({ kind: 'points', color: CHART_COLORS.pruned, hollow: true, size: 5 }));
    } else if (value === undefined || outcome === 'failed') {
      const reason = failureReason(trial);
      target = add(`failed: ${reason}`, () => ({ kind: 'points', color: reasonColor(reason), size: 5 }));
    } else if (trial.number === data.best?.trial) {
      target = add('winner', () => ({ kind: 'points', color: CHART_COLORS.winner, size: 9 }));
    } else if (outcome === 'feasible') {
      target = add('feasible', () => ({ kind: 'points', color: CHART_COLORS.feasible, size: 5 }));
    } else {
      target = add('misses the SLO', () => ({
        kind: 'points',
        color: CHART_COLORS.infeasible,
        hollow: true,
        size: 5,
      }));
    }
    target.values[i] = value === undefined || outcome === 'failed' || outcome === 'pruned' ? floor : value;
  });
  const xs = shown.map((p) => p.x);
  return {
    name: 'effect',
    title: name,
    x: categories
      ? { label: name, categories, range: [-0.5, categories.length - 0.5] }
      : { label: name, range: paddedDomain(xs) },
    y: { label: data.objectiveNames[0] ?? 'objective', range: yRange },
    xs,
    tips: shown.map(({ trial }) => {
      const value = firstObjective(trial);
      return `#${trial.number} ${name}=${formatParam(trial.params[name])}: ${value === undefined ? '' : `${formatNumber(value)}, `}${outcomeText(trial, data.slo)}`;
    }),
    series: [...series.values()],
    width: 300,
    height: 240,
  };
}

/** Effect plots for the given parameters (most important first), at most `limit`. */
export function effectCharts(
  data: ReportData,
  names: readonly string[],
  maxPoints: number,
  limit = 12,
): ChartSpec[] {
  return names.slice(0, limit).map((name) => effectChart(data, name, maxPoints));
}
