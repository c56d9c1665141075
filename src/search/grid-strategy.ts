// Grid strategy: every grid point in expandGrid's order, skipping what the history already has.

import { historyKeys } from './candidates.js';
import { DEFAULT_GRID_LIMIT, expandGrid } from './grid.js';
import { normalizeSpace } from './normalize-space.js';
import type { SpaceInput } from './param-spec.js';
import { paramsKey } from './space-checks.js';
import { type AskResult, askCount, type SearchStrategy } from './strategy.js';

/** Options of the grid strategy. */
export interface GridStrategyOptions {
  /** Largest grid accepted (SpaceTooLargeError above). @default 1_000_000 */
  limit?: number;
}

/** Creates a grid strategy; throws SpaceTooLargeError or InvalidOptionError when the space cannot be gridded. */
export function createGridStrategy(input: SpaceInput, options: GridStrategyOptions = {}): SearchStrategy {
  const space = normalizeSpace(input);
  const limit = options.limit ?? DEFAULT_GRID_LIMIT;
  expandGrid(space, limit);
  return {
    name: 'grid',
    space,
    ask(history, askOptions): AskResult {
      const count = askCount(askOptions);
      const taken = historyKeys(space, history);
      const params = [];
      let exhausted = true;
      for (const point of expandGrid(space, limit)) {
        if (taken.has(paramsKey(space, point))) continue;
        if (params.length === count) {
          exhausted = false;
          break;
        }
        params.push(point);
      }
      const result: AskResult = { params, exhausted, origins: params.map(() => ({ kind: 'grid' })) };
      if (exhausted)
        result.stop = { kind: 'exhausted', reason: 'every grid point has been evaluated or asked' };
      return result;
    },
  };
}
