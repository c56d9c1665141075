// The strategy contract on 50 generated tuning problems (vLLM and SGLang flags on the simulator's estimate):
// real start-up failures, SLO constraints, conditional flags and measurement noise instead of a toy space.
import { describe, it } from 'vitest';
import { type GeneratedProblem, generateProblems } from '../../../bench/search/generator.js';
import { drawModelError, startChanceOf, studyModelView } from '../../../bench/search/generator-model.js';
import { measure } from '../../../bench/search/problem.js';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { createGridStrategy } from '../../../src/search/grid-strategy.js';
import { createLhsStrategy } from '../../../src/search/lhs-strategy.js';
import { createRandomStrategy } from '../../../src/search/random-strategy.js';
import { MemoryBiasLearner } from '../../../src/sim/screen-learning.js';
import { createRng } from '../../../src/util/rng.js';
import {
  type ContractProblem,
  contractChecks,
  type StrategyFactory,
} from '../../unit/search/strategy-contract.js';

const problems = generateProblems(500_000, 50);
const contractProblems: [string, ContractProblem, GeneratedProblem][] = problems.map((p) => [
  p.name,
  {
    space: p.space,
    // Noise drawn from the trial number, so a replayed study sees the same measurements.
    evaluate: (number, params) => measure(p, number, params, createRng(number).fork(p.name)),
    rounds: 8,
  },
  p,
]);

// The Bayesian strategy as a vLLM or SGLang study runs it: the analytic model (off from the problem's engine by
// a drawn error) as its prior, and each configuration's chance to start from the model's memory prediction.
const withModel = (p: GeneratedProblem): StrategyFactory => {
  const view = studyModelView(p, drawModelError(createRng(p.seed).fork('model-error')));
  const learner = new MemoryBiasLearner({ marginBytes: 8 * 2 ** 30 });
  return (space, seed) =>
    createBayesStrategy(space, {
      seed,
      constraintMetrics: p.constraintMetrics ?? [],
      prior: view.prior,
      startChance: startChanceOf(view, learner),
    });
};

const factories: [string, (p: GeneratedProblem) => StrategyFactory][] = [
  ['grid', () => (space) => createGridStrategy(space)],
  ['random', () => (space, seed) => createRandomStrategy(space, { seed })],
  ['lhs', () => (space, seed) => createLhsStrategy(space, { seed })],
  [
    'bayes',
    (p) => (space, seed) =>
      createBayesStrategy(space, { seed, constraintMetrics: p.constraintMetrics ?? [] }),
  ],
  ['bayes with the analytic prior', withModel],
];

for (const [name, factory] of factories)
  describe(`${name} strategy contract on 50 generated problems`, () => {
    for (const { title, check } of contractChecks)
      it(title, () => {
        for (const [problem, contract, p] of contractProblems) {
          try {
            check(factory(p), contract);
          } catch (error) {
            throw new Error(`${problem}: ${String(error)}`);
          }
        }
      });
  });
