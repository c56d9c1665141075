// Membership checks and canonical keys for configurations of a SearchSpace.
import { violatedConstraints } from './constraints.js';
import type { ParamDef, SearchSpace } from './param-spec.js';
import { isAllowedValue } from './param-values.js';
import type { Params } from './trial.js';

/** True when a parameter's condition holds for the (already decided) values in `params`. */
export function isParamActive(param: ParamDef, params: Params): boolean {
  if (param.when === undefined) return true;
  return Object.entries(param.when).every(([parent, values]) => {
    const value = params[parent];
    return value !== undefined && values.some((v) => v === value);
  });
}

/**
 * Problems of a configuration against a space: unknown, missing, out-of-domain and inactive-but-set
 * parameters, then broken constraints. Empty when the configuration belongs to the space.
 */
export function spaceViolations(space: SearchSpace, params: Params): string[] {
  const problems: string[] = [];
  const known = new Set(space.params.map((p) => p.name));
  for (const name of Object.keys(params)) if (!known.has(name)) problems.push(`unknown parameter ${name}`);
  for (const param of space.params) {
    const value = params[param.name];
    const active = isParamActive(param, params);
    if (!active && value !== undefined) problems.push(`${param.name} is set but its condition does not hold`);
    else if (active && value === undefined) problems.push(`${param.name} is missing`);
    else if (active && !isAllowedValue(param, value))
      problems.push(`${param.name}=${String(value)} is outside its domain`);
  }
  if (problems.length > 0) return problems;
  return violatedConstraints(space, params).map((c) => `constraint ${c} does not hold`);
}

/** True when a configuration belongs to the space and satisfies its constraints. */
export function isInSpace(space: SearchSpace, params: Params): boolean {
  return spaceViolations(space, params).length === 0;
}

const keyPrefixes = new WeakMap<SearchSpace, string[]>();

/** Canonical string of a configuration (parameters in space order), for de-duplication. */
export function paramsKey(space: SearchSpace, params: Params): string {
  let prefixes = keyPrefixes.get(space);
  if (prefixes === undefined) {
    prefixes = space.params.map((p) => `${JSON.stringify(p.name)}:`);
    keyPrefixes.set(space, prefixes);
  }
  let key = '{';
  for (let i = 0; i < space.params.length; i++) {
    const value = params[(space.params[i] as ParamDef).name];
    if (value === undefined) continue;
    if (key.length > 1) key += ',';
    key += prefixes[i] + (typeof value === 'string' ? JSON.stringify(value) : String(value));
  }
  return `${key}}`;
}

/**
 * The configuration made of every parameter's `default` when all active parameters have one,
 * otherwise undefined.
 */
export function defaultParams(space: SearchSpace): Params | undefined {
  const params: Params = {};
  for (const param of space.params) {
    if (!isParamActive(param, params)) continue;
    if (param.default === undefined) return undefined;
    params[param.name] = param.default;
  }
  return params;
}
