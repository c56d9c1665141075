// The strategy contract on 50 generated tuning problems (vLLM and SGLang flags on the simulator's estimate):
// real start-up failures, SLO constraints, conditional flags and measurement noise instead of a toy space.
import { describe, it } from 'vitest';
import { generateProblems } from '../../../bench/search/generator.js';
import { measure } from '../../../bench/search/problem.js';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { createGridStrategy } from '../../../src/search/grid-strategy.js';
import { createLhsStrategy } from '../../../src/search/lhs-strategy.js';
import { createRandomStrategy } from '../../../src/search/random-strategy.js';
import { createRng } from '../../../src/util/rng.js';
import {
  type ContractProblem,
  contractChecks,
  type StrategyFactory,
} from '../../unit/search/strategy-contract.js';

const problems = generateProblems(500_000, 50);
const contractProblems: [string, ContractProblem, readonly string[]][] = problems.map((p) => [
  p.name,
  {
    space: p.space,
    // Noise drawn from the trial number, so a replayed study sees the same measurements.
    evaluate: (number, params) => measure(p, number, params, createRng(number).fork(p.name)),
    rounds: 8,
  },
  p.constraintMetrics ?? [],
]);

const factories: [string, (metrics: readonly string[]) => StrategyFactory][] = [
  ['grid', () => (space) => createGridStrategy(space)],
  ['random', () => (space, seed) => createRandomStrategy(space, { seed })],
  ['lhs', () => (space, seed) => createLhsStrategy(space, { seed })],
  ['bayes', (metrics) => (space, seed) => createBayesStrategy(space, { seed, constraintMetrics: metrics })],
];

for (const [name, factory] of factories)
  describe(`${name} strategy contract on 50 generated problems`, () => {
    for (const { title, check } of contractChecks)
      it(title, () => {
        for (const [problem, contract, metrics] of contractProblems) {
          try {
            check(factory(metrics), contract);
          } catch (error) {
            throw new Error(`${problem}: ${String(error)}`);
          }
        }
      });
  });
