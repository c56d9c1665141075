// Builds the TuneResult: the recommendation (the confirmed winner, or the engine defaults when nothing beat
// them beyond noise), its exports, the comparison with the defaults, and the study's wall time.
import type { Confirmation } from './confirm.js';
import { recommend } from './recommend.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { BestConfig, TuneResult } from './result.js';
import type { Scorer } from './scorer.js';
import type { StudyIdentity } from './study-identity.js';
import { studyExports } from './study-launch-spec.js';
import type { TrialRecord } from './trial-record.js';
import { trialsWallMs } from './trial-span.js';

/** Inputs of assembleResult. */
export interface AssembleInput {
  resolved: ResolvedOptions;
  identity: StudyIdentity;
  history: readonly TrialRecord[];
  stopReason: string;
  scorer: Scorer;
  confirmation: Confirmation | undefined;
  pareto: TrialRecord[];
  /** Wall time of this run of the study. */
  elapsedMs: number;
  /** How many of the first `history` entries earlier runs journaled (a resumed study). @default 0 */
  earlierTrials?: number;
}

/** Assembles the study result. */
export function assembleResult(input: AssembleInput): TuneResult {
  const { history, scorer } = input;
  const chosen = recommend(
    history,
    input.confirmation,
    scorer.directions[0] ?? 'maximize',
    scorer.objectiveNames[0] ?? 'objective',
  );
  let best: BestConfig | undefined;
  const record = chosen.record;
  if (record) {
    const isWinner = input.confirmation?.winner === record.number;
    best = {
      trial: record.number,
      params: record.params,
      objective: record.objective ?? [],
      confirmedMean: chosen.confirmedMean,
      tiedWith: isWinner ? (input.confirmation?.tiedWith ?? []) : [],
      record,
      exports: studyExports(input.resolved, record.params, record.worldSize, {
        studyId: input.identity.studyId,
        trialId: `trial-${record.number}`,
      }),
      caveats: chosen.caveats,
    };
  }
  const earlier = history.slice(0, input.earlierTrials ?? 0);
  return {
    studyId: input.identity.studyId,
    journalPath: input.identity.journalPath,
    stopReason: input.stopReason,
    objectiveNames: scorer.objectiveNames,
    directions: scorer.directions,
    best,
    pareto: scorer.directions.length > 1 ? input.pareto : best ? [best.record] : [],
    trials: [...history],
    confirmation: input.confirmation,
    defaults: chosen.comparison,
    elapsedMs: input.elapsedMs,
    totalElapsedMs: input.elapsedMs + trialsWallMs(earlier),
  };
}
