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

/** The engine defaults' run the confirmation phase re-measures: the baseline trial, when it was measured. */
export function measuredBaseline(history: readonly TrialRecord[]): TrialRecord | undefined {
  return history.find((t) => t.phase === 'baseline' && t.state === 'complete');
}

/**
 * The confirmation runs to schedule, minus those already run: `repeats` for each of the top `top`
 * configurations and as many for the engine defaults (when their baseline run was measured), interleaved
 * round by round (defaults, first, second, ..., then again), so a slow drift of the machine hits every
 * configuration alike. A defaults run is a `confirm` trial whose `confirmOf` is the baseline trial.
 */
export function planConfirmation(
  history: readonly TrialRecord[],
  top: number,
  repeats: number,
  firstNumber: number,
): PlannedTrial[] {
  const configs: Array<Pick<TrialRecord, 'number' | 'params'>> = rankFeasible(history).slice(0, top);
  const baseline = measuredBaseline(history);
  if (baseline && configs.length > 0) configs.unshift(baseline);
  const done = (of: number) => history.filter((t) => t.phase === 'confirm' && t.confirmOf === of).length;
  const doneBy = new Map(configs.map((c) => [c.number, done(c.number)]));
  const planned: PlannedTrial[] = [];
  let number = firstNumber;
  for (let round = 0; round < repeats; round++) {
    for (const config of configs) {
      if (round < (doneBy.get(config.number) ?? 0)) continue;
      planned.push({ number: number++, params: config.params, phase: 'confirm', confirmOf: config.number });
    }
  }
  return planned;
}

/** Mean of the numbers, undefined for none. */
export function meanOf(xs: readonly number[]): number | undefined {
  return xs.length === 0 ? undefined : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (n - 1), 0 for fewer than two numbers. */
export function sdOf(xs: readonly number[]): number {
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
