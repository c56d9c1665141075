// Chart: every trial's objective by trial number, the best-so-far line, failures marked by reason.

import { downsample } from './downsample.js';
import { formatNumber } from './format-number.js';
import type { ReportData } from './report-data.js';
import {
  circle,
  createPlot,
  cross,
  legend,
  paddedDomain,
  polyline,
  triangle,
  zeroBasedDomain,
} from './svg-plot.js';
import {
  better,
  failureReason,
  firstObjective,
  isClientLimited,
  outcomeText,
  reasonClass,
  trialOutcome,
} from './trial-view.js';

/** Renders the progress chart as an SVG string. */
export function progressChart(data: ReportData, maxPoints: number): string {
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
