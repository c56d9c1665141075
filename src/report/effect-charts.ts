// Charts: the objective against each parameter (one small plot per parameter), failures along the bottom.
import type { TrialRecord } from '../tune/trial-record.js';
import { downsample } from './downsample.js';
import { formatNumber, formatParam } from './format-number.js';
import { isNumericParam } from './param-importance.js';
import type { ReportData } from './report-data.js';
import { circle, createPlot, cross, paddedDomain, triangle, zeroBasedDomain } from './svg-plot.js';
import { failureReason, firstObjective, outcomeText, reasonClass, trialOutcome } from './trial-view.js';

// Deterministic horizontal jitter for categorical values, from the trial number.
const jitter = (n: number): number => (((n * 0.618_034) % 1) - 0.5) * 0.5;

/** One effect plot for the parameter `name`. */
export function effectChart(data: ReportData, name: string, maxPoints: number): string {
  const trials = data.trials.filter((t) => t.phase === 'search' && t.params[name] !== undefined);
  const numeric = isNumericParam(trials, name);
  const categories = numeric
    ? undefined
    : [...new Set(trials.map((t) => formatParam(t.params[name])))].sort((a, b) => a.localeCompare(b));
  const values = trials.map(firstObjective).filter((v): v is number => v !== undefined);
  const plot = createPlot({
    name: 'effect',
    title: name,
    x: numeric
      ? { label: name, domain: paddedDomain(trials.map((t) => Number(t.params[name]))) }
      : { label: name, categories: categories ?? [] },
    y: {
      label: data.objectiveNames[0] ?? 'objective',
      domain:
        (data.directions[0] ?? 'maximize') === 'maximize'
          ? zeroBasedDomain(values, 0.12)
          : paddedDomain(values, 0.12),
    },
    width: 300,
    height: 220,
    marginLeft: 48,
  });
  const band = categories ? (plot.box.right - plot.box.left) / Math.max(1, categories.length) : 0;
  const xOf = (t: TrialRecord) => {
    const v = t.params[name];
    return numeric ? plot.x(Number(v)) : plot.x(formatParam(v)) + jitter(t.number) * band;
  };
  for (const trial of downsample(trials, maxPoints, (t) => t.number === data.best?.trial)) {
    const value = firstObjective(trial);
    const tip = `#${trial.number} ${name}=${formatParam(trial.params[name])}: ${value === undefined ? '' : `${formatNumber(value)}, `}${outcomeText(trial, data.slo)}`;
    const outcome = trialOutcome(trial);
    if (outcome === 'pruned') {
      plot.marks.push(triangle(xOf(trial), plot.box.bottom - 5, 3, 'pruned', tip));
    } else if (value === undefined || outcome === 'failed') {
      plot.marks.push(
        cross(xOf(trial), plot.box.bottom - 5, 3, `failed ${reasonClass(failureReason(trial))}`, tip),
      );
    } else {
      const winner = trial.number === data.best?.trial;
      plot.marks.push(
        circle(xOf(trial), plot.y(value), winner ? 4.5 : 2.5, `${outcome}${winner ? ' winner' : ''}`, tip),
      );
    }
  }
  return plot.render();
}

/** Effect plots for the given parameters (most important first), at most `limit`. */
export function effectCharts(
  data: ReportData,
  names: readonly string[],
  maxPoints: number,
  limit = 12,
): string[] {
  return names.slice(0, limit).map((name) => effectChart(data, name, maxPoints));
}
