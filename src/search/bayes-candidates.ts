// Candidate configurations scored by the Bayesian strategy: random draws plus local moves around the best.

import type { Rng } from '../util/rng.js';
import { freeConfigurations, randomParams } from './candidates.js';
import { satisfiesConstraints } from './constraints.js';
import type { SearchSpace } from './param-spec.js';
import { paramsKey } from './space-checks.js';
import type { Params } from './trial.js';
import type { UnitCubeEncoder } from './unit-cube.js';

/** Options of candidatePoints. */
export interface CandidateOptions {
  /** Untaken configurations of finite spaces up to this count are all scored. @default 1500 */
  exhaustiveLimit?: number;
  /** Random draws for larger spaces. @default 400 */
  randomCount?: number;
  /** Local moves per anchor. @default 75 */
  localPerAnchor?: number;
}

function perturb(encoder: UnitCubeEncoder, point: readonly number[], rng: Rng, scale: number): number[] {
  const out = [...point];
  const dims = encoder.dims;
  const moveProb = Math.max(0.3, 1 / Math.max(1, dims.length));
  let moved = false;
  for (let d = 0; d < dims.length; d++) {
    const dim = dims[d];
    if (dim === undefined || dim.kind === 'onehot' || rng.next() > moveProb) continue;
    moved = true;
    if (dim.kind === 'binary') out[d] = rng.next() < 0.5 ? 1 - (out[d] as number) : (out[d] as number);
    else out[d] = Math.min(1, Math.max(0, (out[d] as number) + scale * rng.normal()));
  }
  // One-hot groups: with some probability switch to a random category.
  const groups = new Map<string, number[]>();
  dims.forEach((dim, d) => {
    if (dim.kind === 'onehot') groups.set(dim.param, [...(groups.get(dim.param) ?? []), d]);
  });
  for (const idx of groups.values())
    if (rng.next() < 0.25 || !moved) {
      moved = true;
      const pick = idx[Math.floor(rng.next() * idx.length)] as number;
      for (const d of idx) out[d] = d === pick ? 1 : 0;
    }
  return out;
}

/**
 * Distinct untaken configurations inside the constraints: every one of a small finite space, otherwise
 * random draws plus Gaussian moves (three scales) around the anchor configurations.
 */
export function candidatePoints(
  space: SearchSpace,
  encoder: UnitCubeEncoder,
  rng: Rng,
  taken: ReadonlySet<string>,
  anchors: readonly Params[],
  options: CandidateOptions = {},
): Params[] {
  const exhaustiveLimit = options.exhaustiveLimit ?? 1500;
  const free = freeConfigurations(space, taken);
  if (free !== undefined && free.length <= exhaustiveLimit) return free;
  const seen = new Set<string>();
  const out: Params[] = [];
  const add = (params: Params): void => {
    const key = paramsKey(space, params);
    if (taken.has(key) || seen.has(key) || !satisfiesConstraints(space, params)) return;
    seen.add(key);
    out.push(params);
  };
  const randomCount = options.randomCount ?? 400;
  for (let i = 0; i < randomCount; i++) {
    if (free !== undefined) add(free[Math.floor(rng.next() * free.length)] as Params);
    else add(randomParams(encoder, rng));
  }
  const perAnchor = options.localPerAnchor ?? 75;
  for (const anchor of anchors) {
    const base = encoder.encode(anchor);
    for (let i = 0; i < perAnchor; i++)
      add(encoder.decode(perturb(encoder, base, rng, [0.03, 0.1, 0.3][i % 3] as number)));
  }
  return out;
}
