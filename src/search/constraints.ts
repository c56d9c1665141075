// Constraints between parameters: declarative ({ left, op, right }) and predicate forms, normalised once.
import { InvalidOptionError } from '../errors.js';
import type { ConstraintInput, ConstraintOp, SearchSpace, SpaceConstraint } from './param-spec.js';
import type { Params, ParamValue } from './trial.js';

const OPS: Record<ConstraintOp, (a: ParamValue, b: ParamValue) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns one user constraint into its normalised form; `path` names it in errors. */
export function normalizeConstraint(
  input: ConstraintInput,
  paramNames: ReadonlySet<string>,
  path: string,
): SpaceConstraint {
  if (typeof input === 'function') {
    const name = input.name || 'predicate';
    return { description: name, check: (params) => input(params) === true };
  }
  if (!isObject(input)) throw new InvalidOptionError(path, input, 'a constraint object or function');
  if ('predicate' in input) {
    if (typeof input.predicate !== 'function')
      throw new InvalidOptionError(`${path}.predicate`, input.predicate, 'a function of the parameters');
    const predicate = input.predicate;
    const name = typeof input.name === 'string' && input.name !== '' ? input.name : 'predicate';
    return { description: name, check: (params) => predicate(params) === true };
  }
  const { left, op, right, factor } = input;
  if (typeof left !== 'string' || !paramNames.has(left))
    throw new InvalidOptionError(`${path}.left`, left, `a parameter name (${[...paramNames].join(', ')})`);
  if (typeof op !== 'string' || !(op in OPS))
    throw new InvalidOptionError(`${path}.op`, op, `one of ${Object.keys(OPS).join(' ')}`);
  if (!['string', 'number', 'boolean'].includes(typeof right))
    throw new InvalidOptionError(`${path}.right`, right, 'a parameter name or a literal value');
  if (factor !== undefined && !(typeof factor === 'number' && Number.isFinite(factor)))
    throw new InvalidOptionError(`${path}.factor`, factor, 'a finite number');
  const compare = OPS[op as ConstraintOp];
  const rightIsParam = typeof right === 'string' && paramNames.has(right);
  const scale = factor ?? 1;
  const description = `${left} ${op} ${scale === 1 ? '' : `${scale} * `}${String(right)}`;
  return {
    description,
    check(params: Params): boolean {
      const a = params[left];
      const b = rightIsParam ? params[right as string] : right;
      // A constraint on a parameter that does not exist in this configuration holds vacuously.
      if (a === undefined || b === undefined) return true;
      return compare(a, typeof b === 'number' ? b * scale : b);
    },
  };
}

/** Descriptions of the constraints a configuration breaks (empty when it satisfies all). */
export function violatedConstraints(space: SearchSpace, params: Params): string[] {
  return space.constraints.filter((c) => !c.check(params)).map((c) => c.description);
}

/** True when a configuration satisfies every constraint of the space. */
export function satisfiesConstraints(space: SearchSpace, params: Params): boolean {
  return space.constraints.every((c) => c.check(params));
}
