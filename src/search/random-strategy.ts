// Random strategy: independent uniform draws (log-uniform on log ranges) inside the constraints.

import { createRng } from '../util/rng.js';
import { drawDistinct, historyKeys } from './candidates.js';
import { normalizeSpace } from './normalize-space.js';
import type { SpaceInput } from './param-spec.js';
import { type AskResult, askCount, type SearchStrategy } from './strategy.js';
import { createUnitCubeEncoder } from './unit-cube.js';

/** Options of the random strategy. */
export interface RandomStrategyOptions {
  /** Seed of the draws; the same seed and history give the same suggestions. @default 0 */
  seed?: number;
}

/** Creates a random-search strategy. */
export function createRandomStrategy(input: SpaceInput, options: RandomStrategyOptions = {}): SearchStrategy {
  const space = normalizeSpace(input);
  const encoder = createUnitCubeEncoder(space);
  const seed = options.seed ?? 0;
  return {
    name: 'random',
    space,
    ask(history, askOptions): AskResult {
      const count = askCount(askOptions);
      // The stream depends only on the seed and how long the history is: resumable without state.
      const rng = createRng(seed).fork(`random:${history.length}`);
      const { params, exhausted } = drawDistinct(space, encoder, rng, historyKeys(space, history), count);
      const result: AskResult = { params, exhausted, origins: params.map(() => ({ kind: 'random' })) };
      if (result.exhausted)
        result.stop = { kind: 'exhausted', reason: 'every configuration has been evaluated or asked' };
      return result;
    },
  };
}
