// The study's scorer: objective(s) and SLO from the slo module, plus early proof that an SLO is lost.
import { type ObjectiveSpec, objectiveDirection, objectiveLabel, objectiveList } from '../slo/objective.js';
import { scoreRun } from '../slo/score-run.js';
import type { RequestLatency, SloSpec, SloTerm } from '../slo/types.js';
import type { PruneBounds, Scorer } from './scorer.js';

const QUANTILE: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

function metricOf(request: RequestLatency, term: SloTerm): number | undefined {
  if (term.metric === 'ttft') return request.ttftMs;
  if (term.metric === 'tpot') return request.tpotMs;
  if (term.metric === 'e2e') return request.e2eMs;
  return undefined;
}

/**
 * True when the requests finished so far prove that `term` will be broken once all `planned` requests are in,
 * whatever the rest measure. Percentile q of N values (linear interpolation) exceeds T once at least
 * N - floor(q (N - 1)) values exceed it; a mean exceeds T once the known sum alone exceeds N T. N is the
 * planned request count, or for ITL (gaps pooled over requests) the most gaps the run can produce
 * (`bounds.maxItlGaps`; without it ITL is never proven lost): N - floor(q (N - 1)) never falls as N grows, so
 * the bound is safe whatever the final count.
 */
export function termProvenBroken(
  done: readonly RequestLatency[],
  planned: number,
  term: SloTerm,
  bounds: PruneBounds = {},
): boolean {
  if (planned <= 0) return false;
  let values: number[];
  let count = planned;
  if (term.metric === 'itl') {
    if (!bounds.maxItlGaps) return false;
    values = done.flatMap((r) => r.itlMs ?? []);
    count = Math.max(values.length, bounds.maxItlGaps());
  } else values = done.map((r) => metricOf(r, term)).filter((v): v is number => v !== undefined);
  if (term.stat === 'mean') return values.reduce((s, v) => s + v, 0) > count * term.maxMs;
  const q = QUANTILE[term.stat];
  if (q === undefined) return false;
  const exceeding = values.filter((v) => v > term.maxMs).length;
  return exceeding >= count - Math.floor(q * (count - 1));
}

/** Builds the study scorer for an objective spec and an optional SLO. */
export function createScorer(objective: ObjectiveSpec, slo: SloSpec | undefined): Scorer {
  const objectives = objectiveList(objective);
  return {
    objectiveNames: objectives.map(objectiveLabel),
    directions: objectives.map(objectiveDirection),
    score(metrics, worldSize) {
      const {
        values,
        constraints,
        objective: userValues,
        penalty,
        feasible,
      } = scoreRun(metrics, objective, slo, { worldSize });
      return { values, constraints, objective: userValues, penalty, feasible };
    },
    provenLost(done, planned, bounds) {
      if (!slo) return false;
      if (slo.maxErrorRate !== undefined) {
        const errors = done.filter((r) => !r.ok).length;
        if (errors > slo.maxErrorRate * planned) return true;
      }
      return slo.terms.some((term) => termProvenBroken(done, planned, term, bounds));
    },
  };
}
