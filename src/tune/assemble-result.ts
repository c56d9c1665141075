// Builds the TuneResult: the winner (confirmed when confirmation ran), its exports, and the defaults comparison.
import { compareTrials } from '../slo/compare-trials.js';
import type { Confirmation, ConfirmedConfig } from './confirm.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { BestConfig, DefaultsComparison, TuneResult } from './result.js';
import type { Scorer } from './scorer.js';
import type { StudyIdentity } from './study-identity.js';
import { studyExports } from './study-launch-spec.js';
import type { TrialRecord } from './trial-record.js';

/** Inputs of assembleResult. */
export interface AssembleInput {
  resolved: ResolvedOptions;
  identity: StudyIdentity;
  history: readonly TrialRecord[];
  stopReason: string;
  scorer: Scorer;
  confirmation: Confirmation | undefined;
  pareto: TrialRecord[];
  elapsedMs: number;
}

/**
 * True when the engine defaults' single measurement beats the winner beyond noise. Without confirmation runs
 * any lead counts; with them the lead must exceed twice the combined standard error of the winner's mean and
 * of one run (the winner's run-to-run spread standing in for the defaults'), the rule that ties confirmed
 * configurations. So a winner that is the defaults' own configuration is not replaced on a coin flip.
 */
export function defaultsBeatWinner(
  baseline: TrialRecord,
  winner: TrialRecord,
  confirmed: ConfirmedConfig | undefined,
): boolean {
  const defaultsValue = baseline.values?.[0] ?? Number.POSITIVE_INFINITY;
  const winnerValue = confirmed?.meanValue ?? winner.values?.[0] ?? Number.POSITIVE_INFINITY;
  const noise =
    confirmed && confirmed.runs > 1 ? 2 * Math.sqrt(confirmed.standardError ** 2 + confirmed.sd ** 2) : 0;
  return defaultsValue < winnerValue - noise;
}

function bestOf(input: AssembleInput): BestConfig | undefined {
  const search = input.history.filter((t) => t.phase === 'search');
  const winnerNumber = input.confirmation?.winner;
  let record =
    (winnerNumber !== undefined ? search.find((t) => t.number === winnerNumber) : undefined) ??
    [...search].sort(compareTrials).find((t) => t.feasible);
  // When the engine defaults beat every tuned configuration, the honest recommendation is the defaults.
  const baseline = input.history.find((t) => t.phase === 'baseline' && t.feasible);
  const winnerRuns = input.confirmation?.configs.find((c) => c.trial === record?.number);
  if (baseline && (!record || defaultsBeatWinner(baseline, record, winnerRuns))) record = baseline;
  if (!record) return undefined;
  const confirmed = input.confirmation?.configs.find((c) => c.trial === record.number);
  return {
    trial: record.number,
    params: record.params,
    objective: record.objective ?? [],
    confirmedMean: confirmed?.mean,
    tiedWith: winnerNumber === record.number ? (input.confirmation?.tiedWith ?? []) : [],
    record,
    exports: studyExports(input.resolved, record.params, record.worldSize, {
      studyId: input.identity.studyId,
      trialId: `trial-${record.number}`,
    }),
  };
}

function compareWithDefaults(
  best: BestConfig | undefined,
  history: readonly TrialRecord[],
  scorer: Scorer,
): DefaultsComparison | undefined {
  const baseline = history.find((t) => t.phase === 'baseline');
  if (!baseline) return undefined;
  const base = baseline.feasible ? baseline.objective?.[0] : undefined;
  const mine = best?.confirmedMean ?? best?.objective[0];
  let improvement: number | undefined;
  if (base !== undefined && mine !== undefined && Number.isFinite(base) && base !== 0) {
    const sign = scorer.directions[0] === 'maximize' ? 1 : -1;
    improvement = (sign * (mine - base)) / Math.abs(base);
  }
  return { defaultsTrial: baseline.number, defaultsFeasible: baseline.feasible, improvement };
}

/** Assembles the study result. */
export function assembleResult(input: AssembleInput): TuneResult {
  const best = bestOf(input);
  return {
    studyId: input.identity.studyId,
    journalPath: input.identity.journalPath,
    stopReason: input.stopReason,
    objectiveNames: input.scorer.objectiveNames,
    directions: input.scorer.directions,
    best,
    pareto: input.scorer.directions.length > 1 ? input.pareto : best ? [best.record] : [],
    trials: [...input.history],
    confirmation: input.confirmation,
    defaults: compareWithDefaults(best, input.history, input.scorer),
    elapsedMs: input.elapsedMs,
  };
}
