// Drawing configurations: full enumeration of small finite spaces, random draws for the rest.

import type { Rng } from '../util/rng.js';
import { satisfiesConstraints } from './constraints.js';
import { expandGrid, gridSize } from './grid.js';
import type { SearchSpace } from './param-spec.js';
import { paramsKey } from './space-checks.js';
import type { Params, Trial } from './trial.js';
import type { UnitCubeEncoder } from './unit-cube.js';

/** Largest space that strategies enumerate in full (to know exhaustion and score every point). */
export const ENUMERATION_LIMIT = 20_000;

const enumerations = new WeakMap<SearchSpace, Params[] | null>();

/** Every configuration of a finite space that satisfies its constraints, or undefined when too large. */
export function enumerateSpace(space: SearchSpace): readonly Params[] | undefined {
  const cached = enumerations.get(space);
  if (cached !== undefined) return cached ?? undefined;
  const size = gridSize(space);
  const points =
    Number.isFinite(size) && size <= ENUMERATION_LIMIT ? [...expandGrid(space, ENUMERATION_LIMIT)] : null;
  enumerations.set(space, points);
  return points ?? undefined;
}

/** Keys of every configuration the history holds, whatever the trial state. */
export function historyKeys(space: SearchSpace, history: readonly Trial[]): Set<string> {
  return new Set(history.map((t) => paramsKey(space, t.params)));
}

/** A random point of the cube mapped to a configuration (log-uniform on log ranges). */
export function randomParams(encoder: UnitCubeEncoder, rng: Rng): Params {
  return encoder.decode(encoder.dims.map(() => rng.next()));
}

/**
 * Up to `count` random configurations inside the constraints and not in `taken` (which is extended).
 * Small finite spaces are drawn from their enumeration, so exhaustion is exact.
 */
export function drawDistinct(
  space: SearchSpace,
  encoder: UnitCubeEncoder,
  rng: Rng,
  taken: Set<string>,
  count: number,
): { params: Params[]; exhausted: boolean } {
  const out: Params[] = [];
  const all = enumerateSpace(space);
  if (all !== undefined) {
    const free = all.filter((p) => !taken.has(paramsKey(space, p)));
    while (out.length < count && free.length > 0) {
      const index = Math.floor(rng.next() * free.length);
      const [picked] = free.splice(index, 1);
      if (picked === undefined) break;
      out.push(picked);
      taken.add(paramsKey(space, picked));
    }
    return { params: out, exhausted: free.length === 0 };
  }
  let misses = 0;
  while (out.length < count && misses < 10_000) {
    const params = randomParams(encoder, rng);
    const key = paramsKey(space, params);
    if (taken.has(key) || !satisfiesConstraints(space, params)) {
      misses++;
      continue;
    }
    taken.add(key);
    out.push(params);
  }
  return { params: out, exhausted: false };
}

/** True when a finite space has no configuration outside `taken` (always false for large spaces). */
export function isExhausted(space: SearchSpace, taken: ReadonlySet<string>): boolean {
  const all = enumerateSpace(space);
  return all !== undefined && all.every((p) => taken.has(paramsKey(space, p)));
}
