// Confirmation: re-measure the top configurations and choose the winner on repeated numbers.
import type { Params } from '../search/trial.js';
import type { PlannedTrial, TrialRecord } from './trial-record.js';

/** Repeated measurements of one configuration. */
export interface ConfirmedConfig {
  /** The search trial whose configuration was re-measured. */
  trial: number;
  params: Params;
  /** Runs counted: the search trial plus its confirmation runs that completed. */
  runs: number;
  /** Share of runs that were feasible. */
  feasibleShare: number;
  /** Mean of the first objective (user direction) over feasible runs. */
  mean: number | undefined;
  /** Sample standard deviation of that objective (0 for a single run). */
  sd: number;
  /** Mean of the first minimised value over feasible runs (what ranking uses). */
  meanValue: number | undefined;
  /** Standard error of meanValue. */
  standardError: number;
}

/** Outcome of the confirmation phase. */
export interface Confirmation {
  configs: ConfirmedConfig[];
  /** Trial number of the winner on confirmed numbers. */
  winner: number | undefined;
  /** Other configurations whose confirmed value is within noise of the winner's. */
  tiedWith: number[];
}

/** Feasible search trials ranked best first by their first minimised value. */
export function rankFeasible(history: readonly TrialRecord[]): TrialRecord[] {
  return history
    .filter((t) => t.phase === 'search' && t.feasible && t.values !== undefined)
    .sort((a, b) => (a.values?.[0] ?? Infinity) - (b.values?.[0] ?? Infinity) || a.number - b.number);
}

/** The confirmation runs to schedule for the top `top` configurations, `repeats` each, minus those already run. */
export function planConfirmation(
  history: readonly TrialRecord[],
  top: number,
  repeats: number,
  firstNumber: number,
): PlannedTrial[] {
  const planned: PlannedTrial[] = [];
  let number = firstNumber;
  for (const trial of rankFeasible(history).slice(0, top)) {
    const done = history.filter((t) => t.phase === 'confirm' && t.confirmOf === trial.number).length;
    for (let i = done; i < repeats; i++) {
      planned.push({ number: number++, params: trial.params, phase: 'confirm', confirmOf: trial.number });
    }
  }
  return planned;
}

function meanOf(xs: number[]): number | undefined {
  return xs.length === 0 ? undefined : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function sdOf(xs: number[]): number {
  const m = meanOf(xs);
  if (m === undefined || xs.length < 2) return 0;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Aggregates confirmation runs; ties are configurations within two standard errors of the winner. */
export function summarizeConfirmation(history: readonly TrialRecord[], top: number): Confirmation {
  const configs: ConfirmedConfig[] = rankFeasible(history)
    .slice(0, top)
    .map((trial) => {
      const runs = [trial, ...history.filter((t) => t.phase === 'confirm' && t.confirmOf === trial.number)];
      const measured = runs.filter((t) => t.state === 'complete' || t.state === 'failed');
      const feasible = measured.filter((t) => t.feasible && t.values !== undefined);
      const objective = feasible.map((t) => t.objective?.[0] ?? Number.NaN).filter(Number.isFinite);
      const values = feasible.map((t) => t.values?.[0] ?? Number.NaN).filter(Number.isFinite);
      return {
        trial: trial.number,
        params: trial.params,
        runs: measured.length,
        feasibleShare: measured.length === 0 ? 0 : feasible.length / measured.length,
        mean: meanOf(objective),
        sd: sdOf(objective),
        meanValue: meanOf(values),
        standardError: values.length > 1 ? sdOf(values) / Math.sqrt(values.length) : 0,
      };
    });
  // A configuration that failed or broke the SLO in most of its runs cannot win.
  const eligible = configs.filter((c) => c.meanValue !== undefined && c.feasibleShare >= 0.5);
  eligible.sort((a, b) => (a.meanValue ?? Infinity) - (b.meanValue ?? Infinity) || a.trial - b.trial);
  const best = eligible[0];
  if (!best) return { configs, winner: undefined, tiedWith: [] };
  const tiedWith = eligible.slice(1).filter((c) => {
    const gap = (c.meanValue ?? Infinity) - (best.meanValue ?? 0);
    const noise = 2 * Math.sqrt(best.standardError ** 2 + c.standardError ** 2);
    return noise > 0 && gap <= noise;
  });
  return { configs, winner: best.trial, tiedWith: tiedWith.map((c) => c.trial) };
}
