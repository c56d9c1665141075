// Constrained Bayesian optimisation: defaults and user configurations first, then (with a prior) the prior's best,
// out-of-memory and SLO repair along the parameters' hints while nothing has started or the SLO is broken, a
// Latin hypercube start (or the prior's ranking), then a GP model scored by log EI x probability of feasibility,
// in batches, with a stopping rule.

import { InvalidOptionError } from '../errors.js';
import { createRng, type Rng } from '../util/rng.js';
import { candidatePoints } from './bayes-candidates.js';
import { buildBayesModel } from './bayes-model.js';
import type { BayesStrategyOptions } from './bayes-options.js';
import { freeConfigurations, historyKeys, isExhausted } from './candidates.js';
import { certainToFail, failureRules, gpuTrades, predictedToFail } from './launch-rules.js';
import { lhsPoints } from './lhs-strategy.js';
import { memoryMoves, memoryRepairCandidates } from './memory-repair.js';
import { normalizeSpace } from './normalize-space.js';
import type { SpaceInput } from './param-spec.js';
import { cachedPrior, rankByPrior } from './prior.js';
import { safetyStep } from './safety-step.js';
import { repairCandidates } from './slo-repair.js';
import { paramsKey, spaceViolations } from './space-checks.js';
import { startQueue } from './start-queue.js';
import { adviseStop } from './stopping-rule.js';
import { type AskResult, askCount, type SearchStrategy, type SuggestionOrigin } from './strategy.js';
import { isFeasibleTrial, type Params, type Trial } from './trial.js';
import { createUnitCubeEncoder } from './unit-cube.js';

/** Candidates kept for the second and later picks of a batch. */
const BATCH_POOL = 128;
/** Start chance below which a design point moves to a configuration sure to start. */
const LIKELY_START = 1;
/** Memory moves of the defaults sent with them in a first batch. */
const FIRST_BATCH_HEDGES = 2;
/** Finished trials, none feasible (failed or breaking the SLO), after which the models replace the start. */
const SEEK_AFTER_FINISHED = 3;

export type { BayesStrategyOptions } from './bayes-options.js';

/** Sum of a trial's positive constraint values (how far it is from meeting the SLO). */
const violation = (t: Trial): number =>
  (t.constraints ?? []).reduce((sum, c) => sum + (Number.isFinite(c) ? Math.max(0, c) : Infinity), 0);

/** Configurations of the complete trials closest to meeting every constraint, best first. */
function leastViolating(history: readonly Trial[], count: number): Params[] {
  return history
    .filter((t) => t.state === 'complete')
    .sort((a, b) => violation(a) - violation(b) || a.number - b.number)
    .slice(0, count)
    .map((t) => t.params);
}

/** Room below each SLO bound the prior's picks of one ask add, one step per pick after the first. */
const PRIOR_MARGIN_STEP = 0.1;

/** Creates the constrained Bayesian-optimisation strategy (multi-objective through ParEGO). */
export function createBayesStrategy(input: SpaceInput, options: BayesStrategyOptions = {}): SearchStrategy {
  const space = normalizeSpace(input);
  const encoder = createUnitCubeEncoder(space);
  const seed = options.seed ?? 0;
  const initialDesignSize = options.initialDesignSize ?? 6;
  if (!Number.isInteger(initialDesignSize) || initialDesignSize < 1)
    throw new InvalidOptionError('initialDesignSize', initialDesignSize, 'an integer >= 1');
  const { queue, queueDefaults } = startQueue(space, options);
  const stopping = options.stopping ?? {};
  const constraintMetrics = options.constraintMetrics ?? [];
  const prior = options.prior ? cachedPrior(options.prior) : undefined;
  const startChance = options.startChance;
  // A design point that might not start gives way to the nearest untaken configuration sure to start as far as
  // the caller knows (the start still spreads over the space); itself when no chance is known or none is sure.
  const likelyToStart = (params: Params, taken: Set<string>, rng: Rng): Params | undefined => {
    if (!startChance || startChance(params) >= LIKELY_START) return params;
    const at = encoder.encode(params);
    let nearest: Params | undefined;
    let nearestDistance = Infinity;
    for (const candidate of candidatePoints(space, encoder, rng, taken, [params])) {
      if (startChance(candidate) < LIKELY_START) continue;
      const point = encoder.encode(candidate);
      const distance = point.reduce((sum, v, i) => sum + (v - (at[i] as number)) ** 2, 0);
      if (distance < nearestDistance) {
        nearest = candidate;
        nearestDistance = distance;
      }
    }
    if (nearest === undefined) return params;
    taken.delete(paramsKey(space, params));
    return nearest;
  };
  return {
    name: 'bayes',
    space,
    ask(history: readonly Trial[], askOptions): AskResult {
      const count = askCount(askOptions);
      const taken = historyKeys(space, history);
      const picked: Params[] = [];
      const origins: SuggestionOrigin[] = [];
      const take = (params: Params, origin: SuggestionOrigin): void => {
        taken.add(paramsKey(space, params));
        picked.push(params);
        origins.push(origin);
      };
      queue.forEach((params, i) => {
        if (picked.length < count && !taken.has(paramsKey(space, params)))
          take(params, i < queueDefaults ? { kind: 'defaults' } : { kind: 'initial' });
      });
      // During the start, a broken SLO is repaired along the parameters' hints before anything is sampled.
      // Trials still running do not count, so parallel studies whose first batch is out still repair.
      const finished = history.filter((t) => t.state !== 'running').length;
      // Failures that are monotone along hinted parameters (out of memory, a layout wider than the GPUs).
      const rules = failureRules(space, history);
      // A first batch hedges against defaults that may run out of memory: their first memory moves go with them
      // (not when the caller's model says the defaults will start, nor with a prior, which ranks starters).
      const defaults = queueDefaults > 0 ? queue[0] : undefined;
      const hedge =
        defaults !== undefined && !prior && (!startChance || startChance(defaults) < LIKELY_START);
      if (count > 1 && history.length === 0 && hedge)
        for (const move of memoryMoves(space, defaults, taken)
          .filter((m) => m.size)
          .slice(0, FIRST_BATCH_HEDGES)) {
          if (picked.length >= count) break;
          take(move.params, {
            kind: 'repair',
            note: `with the defaults in case they run out of memory at start-up: ${move.changes}`,
          });
        }
      // The prior's best configurations under the constraints; several in one ask (a batch) hedge against the
      // model's error: each next one is the prior's best with more room below every SLO bound.
      let priorPicks = 0;
      const takeRankedByPrior = (n: number): void => {
        if (!prior) return;
        const rng = createRng(seed).fork(`prior:${history.length}`);
        const candidates = candidatePoints(space, encoder, rng, taken, []);
        for (let i = 0; i < n; i++) {
          const margin = PRIOR_MARGIN_STEP * priorPicks;
          const params = rankByPrior(candidates, prior, margin).find((c) => !taken.has(paramsKey(space, c)));
          if (params === undefined) return;
          priorPicks++;
          take(params, {
            kind: 'design',
            note:
              margin === 0
                ? 'ranked best by the prior model under the SLO'
                : `ranked best by the prior model with ${Math.round(margin * 100)}% to spare below the SLO`,
          });
        }
      };
      // With a prior, its best follows the first configurations (the defaults and the caller's) before anything
      // is repaired: the prior knows more than the hints a repair follows.
      if (
        picked.length < count &&
        history.length + picked.length === queue.length &&
        !history.some(isFeasibleTrial)
      )
        takeRankedByPrior(1);
      // A start-up out of memory is repaired first, along the parameters' memory hints (with a prior, only one
      // that was launched: the prior ranks only what it predicts to start, so a screened configuration needs no
      // repair), then a broken SLO; a move that an earlier failure predicts to fail the same way is left out.
      if (picked.length < count && finished + picked.length < initialDesignSize)
        for (const proposal of [
          ...memoryRepairCandidates(
            space,
            prior ? history.filter((t) => t.state !== 'invalid') : history,
            taken,
          ),
          ...repairCandidates(space, history, constraintMetrics, taken),
        ]) {
          if (picked.length >= count || finished + picked.length >= initialDesignSize) break;
          if (taken.has(paramsKey(space, proposal.params))) continue;
          if (!predictedToFail(rules, proposal.params)) {
            take(proposal.params, { kind: 'repair', note: proposal.note });
            continue;
          }
          // A layout that would not fit: the same move with GPUs given back along another parallel size.
          const base = history.find((t) => t.number === proposal.anchor)?.params ?? {};
          const trade = gpuTrades(space, proposal.params, base).find(
            (v) =>
              !taken.has(paramsKey(space, v.params)) &&
              !predictedToFail(rules, v.params) &&
              spaceViolations(space, v.params).length === 0,
          );
          if (trade) take(trade.params, { kind: 'repair', note: `${proposal.note}, ${trade.change}` });
        }
      // Once a few finished trials all failed to start or broke the SLO, the constraint and launch models pick
      // the rest of the start.
      const seeking = !history.some(isFeasibleTrial) && finished >= SEEK_AFTER_FINISHED;
      const designLeft = seeking ? 0 : initialDesignSize - history.length - picked.length;
      if (prior && picked.length < count && designLeft > 0)
        takeRankedByPrior(Math.min(count - picked.length, designLeft));
      if (!prior && picked.length < count && designLeft > 0) {
        const n = Math.min(count - picked.length, designLeft);
        const design = lhsPoints(
          space,
          encoder,
          seed,
          Math.max(initialDesignSize, 2),
          history.length + picked.length,
          n,
          taken,
        ).params;
        const rng = createRng(seed).fork(`design:${history.length}`);
        for (const p of design) {
          const likely = likelyToStart(p, taken, rng);
          take(
            likely ?? p,
            likely && likely !== p
              ? {
                  kind: 'design',
                  note: 'space-filling start, moved to the nearest configuration likely to start',
                }
              : { kind: 'design', note: 'space-filling start (Latin hypercube)' },
          );
        }
      }
      let expectedImprovement: number | undefined;
      let incumbent: number | undefined;
      let noneFits: string | undefined;
      if (picked.length < count) {
        const rng = createRng(seed).fork(`bayes:${history.length}`);
        const model = buildBayesModel(encoder, history, rng, prior, rules, options.startChance);
        // Local moves around the best feasible trials, or around the least violating ones while seeking (also
        // when the models do not believe the trials measured within the SLO).
        const seekingNow = seeking || (model !== undefined && model.incumbent === undefined);
        const anchors = seekingNow
          ? leastViolating(history, 4)
          : history
              .filter(isFeasibleTrial)
              .sort((a, b) => (a.values?.[0] as number) - (b.values?.[0] as number) || a.number - b.number)
              .slice(0, 4)
              .map((t) => t.params);
        // The best configuration measured within the SLO by less than the noise: one step to the safe side.
        if (!seekingNow && model?.incumbent !== undefined) {
          const step = safetyStep(space, history, constraintMetrics, taken, rules, (params) =>
            model.smoothedConstraints([encoder.encode(params)]).map((c) => c?.[0]),
          );
          if (step !== undefined) take(step.params, { kind: 'repair', note: step.note });
        }
        // A layout wider than the GPUs is never a candidate once one no wider did not fit.
        const drawn = candidatePoints(space, encoder, rng, taken, anchors);
        const runnable = drawn.filter((c) => !certainToFail(rules, c));
        // Every configuration left of a finite space is as wide as one that did not fit: none is proposed.
        const free = runnable.length === 0 && drawn.length > 0 ? freeConfigurations(space, taken) : undefined;
        if (free?.every((c) => certainToFail(rules, c)))
          noneFits = `every configuration left (${free.length}) needs more GPUs than the study has`;
        const candidates = noneFits !== undefined ? [] : runnable.length > 0 ? runnable : drawn;
        let encoded = candidates.map((c) => encoder.encode(c));
        let pool = candidates;
        for (const p of picked) model?.addPending(encoder.encode(p));
        incumbent = model?.incumbent;
        while (picked.length < count && pool.length > 0) {
          let best = 0;
          if (model !== undefined) {
            const { score, expectedImprovement: ei } = model.score(encoded);
            for (let i = 1; i < pool.length; i++)
              if ((score[i] as number) > (score[best] as number)) best = i;
            if (expectedImprovement === undefined) expectedImprovement = Math.max(...ei);
            if (pool.length > BATCH_POOL && picked.length + 1 < count) {
              // Later picks of a batch only re-score the best candidates of the first pass.
              const top = [...score.keys()]
                .sort((a, b) => (score[b] as number) - (score[a] as number))
                .slice(0, BATCH_POOL);
              best = 0;
              pool = top.map((i) => pool[i] as Params);
              encoded = top.map((i) => encoded[i] as number[]);
            }
          }
          take(pool[best] as Params, {
            kind: 'model',
            note: seekingNow
              ? 'constraint models: most likely to meet the SLO'
              : 'GP model: highest expected improvement x probability of meeting the SLO',
          });
          model?.addPending(encoded[best] as number[]);
          pool = pool.filter((_, i) => i !== best);
          encoded = encoded.filter((_, i) => i !== best);
        }
      }
      const result: AskResult = { params: picked, exhausted: isExhausted(space, taken), origins };
      if (result.exhausted)
        result.stop = { kind: 'exhausted', reason: 'every configuration has been evaluated or asked' };
      else if (noneFits !== undefined && picked.length === 0)
        result.stop = { kind: 'no-capacity', reason: noneFits };
      else if (stopping !== false && expectedImprovement !== undefined && incumbent !== undefined) {
        const advice = adviseStop(history, expectedImprovement, incumbent, stopping);
        if (advice !== undefined) result.stop = advice;
      }
      return result;
    },
  };
}
