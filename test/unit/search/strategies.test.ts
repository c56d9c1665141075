import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { createGridStrategy } from '../../../src/search/grid-strategy.js';
import { createLhsStrategy } from '../../../src/search/lhs-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { createRandomStrategy } from '../../../src/search/random-strategy.js';
import { type StrategyFactory, strategyContract } from './strategy-contract.js';

// The grid needs steps on every float range, so it runs on a gridded copy of the contract space.
const gridded: StrategyFactory = (space) => {
  const s = normalizeSpace(space);
  const params = s.params.map((p) =>
    p.kind === 'float' ? { ...p, step: 0.1 } : p.kind === 'int' && p.log ? { ...p, log: false, step: 16 } : p,
  );
  return createGridStrategy({ params, constraints: s.constraints });
};

const factories: [string, StrategyFactory][] = [
  ['grid', gridded],
  ['random', (space, seed) => createRandomStrategy(space, { seed })],
  ['lhs', (space, seed) => createLhsStrategy(space, { seed })],
  ['bayes', (space, seed) => createBayesStrategy(space, { seed })],
];

for (const [name, factory] of factories) strategyContract(name, factory);
