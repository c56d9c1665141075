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

interface Enumeration {
  points: Params[];
  keys: string[];
}

const enumerations = new WeakMap<SearchSpace, Enumeration | null>();

function enumeration(space: SearchSpace): Enumeration | undefined {
  const cached = enumerations.get(space);
  if (cached !== undefined) return cached ?? undefined;
  const size = gridSize(space);
  const points =
    Number.isFinite(size) && size <= ENUMERATION_LIMIT
      ? [...expandGrid(space, ENUMERATION_LIMIT)]
      : undefined;
  const result = points === undefined ? null : { points, keys: points.map((p) => paramsKey(space, p)) };
  enumerations.set(space, result);
  return result ?? undefined;
}

/** Every configuration of a finite space that satisfies its constraints, or undefined when too large. */
export function enumerateSpace(space: SearchSpace): readonly Params[] | undefined {
  return enumeration(space)?.points;
}

/** The enumerated configurations not in `taken`, or undefined when the space is too large to enumerate. */
export function freeConfigurations(space: SearchSpace, taken: ReadonlySet<string>): Params[] | undefined {
  const all = enumeration(space);
  if (all === undefined) return undefined;
  const free: Params[] = [];
  all.keys.forEach((key, i) => {
    if (!taken.has(key)) free.push(all.points[i] as Params);
  });
  return free;
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
  const free = freeConfigurations(space, taken);
  if (free !== undefined) {
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
  const all = enumeration(space);
  return all?.keys.every((key) => taken.has(key)) ?? false;
}
