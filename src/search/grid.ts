// Grid expansion in a documented, deterministic order, with a size check before enumerating.
import { InvalidOptionError, SpaceTooLargeError } from '../errors.js';
import { satisfiesConstraints } from './constraints.js';
import type { ParamDef, SearchSpace } from './param-spec.js';
import { gridValues, valueCount } from './param-values.js';
import { isParamActive } from './space-checks.js';
import type { Params, ParamValue } from './trial.js';

/** Largest grid expandGrid enumerates unless told otherwise. */
export const DEFAULT_GRID_LIMIT = 1_000_000;

function requireGridValues(param: ParamDef): readonly ParamValue[] {
  const values = gridValues(param);
  if (values === undefined)
    throw new InvalidOptionError(
      `space.${param.name}.step`,
      undefined,
      param.kind === 'float' && param.log
        ? 'a categorical list of values: log-scale float ranges cannot be gridded'
        : 'an explicit step: float ranges need one to be gridded',
    );
  return values;
}

/**
 * Number of grid points before constraints are applied, counting conditional parameters only where
 * they are active. Infinity when a float range has no step. When the parents of conditions alone have
 * too many combinations to count exactly, returns the plain product (an upper bound).
 */
export function gridSize(space: SearchSpace): number {
  const counts = space.params.map(valueCount);
  if (counts.some((c) => !Number.isFinite(c))) return Infinity;
  const parents = new Set(space.params.flatMap((p) => Object.keys(p.when ?? {})));
  if (parents.size === 0 || !space.params.some((p) => p.when !== undefined))
    return counts.reduce((a, b) => a * b, 1);
  const parentProduct = space.params
    .filter((p) => parents.has(p.name))
    .reduce((a, p) => a * valueCount(p), 1);
  if (parentProduct > 100_000) return counts.reduce((a, b) => a * b, 1);
  // Enumerate only the parent parameters; every other active parameter multiplies the count.
  let total = 0;
  const visit = (index: number, params: Params, factor: number): void => {
    if (index === space.params.length) {
      total += factor;
      return;
    }
    const param = space.params[index] as ParamDef;
    if (!isParamActive(param, params)) visit(index + 1, params, factor);
    else if (!parents.has(param.name)) visit(index + 1, params, factor * valueCount(param));
    else
      for (const value of requireGridValues(param))
        visit(index + 1, { ...params, [param.name]: value }, factor);
  };
  visit(0, {}, 1);
  return total;
}

/**
 * Every configuration of the grid that satisfies the constraints, in this order: parameters in space
 * order (declaration order, parents of conditions moved before their children), the last parameter
 * varying fastest; values in declared order for categoricals, false then true for booleans, ascending
 * for stepped ranges. An inactive conditional parameter is left out (one point, not one per value).
 * Throws SpaceTooLargeError when gridSize exceeds `limit` and InvalidOptionError for float ranges
 * without a step.
 */
export function expandGrid(space: SearchSpace, limit = DEFAULT_GRID_LIMIT): Generator<Params> {
  // Checked eagerly, so the error comes from this call and not from the first iteration.
  const values = space.params.map(requireGridValues);
  const size = gridSize(space);
  if (size > limit) throw new SpaceTooLargeError(size, limit);
  function* walk(index: number, params: Params): Generator<Params> {
    if (index === space.params.length) {
      if (satisfiesConstraints(space, params)) yield { ...params };
      return;
    }
    const param = space.params[index] as ParamDef;
    if (!isParamActive(param, params)) {
      yield* walk(index + 1, params);
      return;
    }
    for (const value of values[index] as readonly ParamValue[]) {
      params[param.name] = value;
      yield* walk(index + 1, params);
    }
    delete params[param.name];
  }
  return walk(0, {});
}
