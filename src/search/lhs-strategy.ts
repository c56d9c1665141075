// Quasi-random strategy: consecutive blocks of maximin Latin hypercube designs (space-filling starts).

import { InvalidOptionError } from '../errors.js';
import { createRng } from '../util/rng.js';
import { drawDistinct, historyKeys, isExhausted } from './candidates.js';
import { satisfiesConstraints } from './constraints.js';
import { latinHypercube } from './latin-hypercube.js';
import { normalizeSpace } from './normalize-space.js';
import type { SearchSpace, SpaceInput } from './param-spec.js';
import { paramsKey } from './space-checks.js';
import { type AskResult, askCount, type SearchStrategy } from './strategy.js';
import type { Params } from './trial.js';
import { createUnitCubeEncoder, type UnitCubeEncoder } from './unit-cube.js';

/** Options of the Latin hypercube strategy. */
export interface LhsStrategyOptions {
  /** Seed of the designs. @default 0 */
  seed?: number;
  /** Points per Latin hypercube block; trial i uses point i mod size of block floor(i / size). @default 10 */
  blockSize?: number;
}

/**
 * The i-th point of the seeded sequence of Latin hypercube blocks, as a configuration; falls back to a
 * random draw when that point is taken or breaks a constraint. Shared with the Bayesian strategy.
 */
export function lhsPoints(
  space: SearchSpace,
  encoder: UnitCubeEncoder,
  seed: number,
  blockSize: number,
  start: number,
  count: number,
  taken: Set<string>,
): { params: Params[]; exhausted: boolean } {
  const out: Params[] = [];
  const blocks = new Map<number, number[][]>();
  for (let i = start; out.length < count && i < start + count; i++) {
    const block = Math.floor(i / blockSize);
    let design = blocks.get(block);
    if (design === undefined) {
      design = latinHypercube(blockSize, encoder.dims.length, createRng(seed).fork(`lhs:${block}`));
      blocks.set(block, design);
    }
    const params = encoder.decode(design[i % blockSize] as number[]);
    const key = paramsKey(space, params);
    if (taken.has(key) || !satisfiesConstraints(space, params)) continue;
    taken.add(key);
    out.push(params);
  }
  if (out.length === count) return { params: out, exhausted: false };
  const rest = drawDistinct(
    space,
    encoder,
    createRng(seed).fork(`lhs-fill:${start}`),
    taken,
    count - out.length,
  );
  return { params: [...out, ...rest.params], exhausted: rest.exhausted };
}

/** Creates a quasi-random (Latin hypercube) strategy. */
export function createLhsStrategy(input: SpaceInput, options: LhsStrategyOptions = {}): SearchStrategy {
  const space = normalizeSpace(input);
  const encoder = createUnitCubeEncoder(space);
  const seed = options.seed ?? 0;
  const blockSize = options.blockSize ?? 10;
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new InvalidOptionError('blockSize', blockSize, 'an integer >= 1');
  return {
    name: 'lhs',
    space,
    ask(history, askOptions): AskResult {
      const count = askCount(askOptions);
      const taken = historyKeys(space, history);
      const { params } = lhsPoints(space, encoder, seed, blockSize, history.length, count, taken);
      const result: AskResult = {
        params,
        exhausted: isExhausted(space, taken),
        origins: params.map(() => ({ kind: 'design', note: 'space-filling design (Latin hypercube)' })),
      };
      if (result.exhausted)
        result.stop = { kind: 'exhausted', reason: 'every configuration has been evaluated or asked' };
      return result;
    },
  };
}
