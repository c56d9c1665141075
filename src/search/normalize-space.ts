// normalizeSpace: the one function that turns every accepted space form into a SearchSpace.
import { InvalidOptionError } from '../errors.js';
import { normalizeConstraint } from './constraints.js';
import type {
  ConstraintInput,
  ParamCondition,
  ParamDef,
  ParamInput,
  SearchSpace,
  SpaceInput,
} from './param-spec.js';
import { isAllowedValue } from './param-values.js';
import type { ParamValue } from './trial.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is ParamValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

const SPEC_KEYS = ['type', 'values', 'low', 'high'];

function isSearchSpace(input: unknown): input is SearchSpace {
  return isObject(input) && Array.isArray(input.params) && Array.isArray(input.constraints);
}

function isWrapped(
  input: Record<string, unknown>,
): input is { parameters: Record<string, ParamInput>; constraints?: ConstraintInput[] } {
  const parameters = input.parameters;
  return isObject(parameters) && !SPEC_KEYS.some((key) => key in parameters);
}

function checkValues(values: unknown, path: string): readonly ParamValue[] {
  if (!Array.isArray(values) || values.length === 0)
    throw new InvalidOptionError(path, values, 'a non-empty list of values');
  values.forEach((v, i) => {
    if (!isScalar(v)) throw new InvalidOptionError(`${path}[${i}]`, v, 'a string, finite number or boolean');
  });
  const seen = new Set<ParamValue>();
  for (const v of values as ParamValue[]) {
    if (seen.has(v)) throw new InvalidOptionError(path, values, `distinct values (${String(v)} repeats)`);
    seen.add(v);
  }
  return [...(values as ParamValue[])];
}

function rangeParam(name: string, spec: Record<string, unknown>, path: string): ParamDef {
  const { low, high, step, log } = spec;
  for (const [key, v] of [
    ['low', low],
    ['high', high],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new InvalidOptionError(`${path}.${key}`, v, 'a finite number');
  const lo = low as number;
  const hi = high as number;
  if (lo > hi) throw new InvalidOptionError(`${path}.low`, lo, `a number <= high (${hi})`);
  if (step !== undefined && !(typeof step === 'number' && Number.isFinite(step) && step > 0))
    throw new InvalidOptionError(`${path}.step`, step, 'a finite number > 0');
  if (log !== undefined && typeof log !== 'boolean')
    throw new InvalidOptionError(`${path}.log`, log, 'a boolean');
  const isLog = log === true;
  if (isLog && lo <= 0) throw new InvalidOptionError(`${path}.low`, lo, 'a number > 0 on a log scale');
  const allIntegers =
    Number.isInteger(lo) && Number.isInteger(hi) && (step === undefined || Number.isInteger(step));
  const kind = spec.type === 'int' || spec.type === 'float' ? spec.type : allIntegers ? 'int' : 'float';
  if (kind === 'int' && !allIntegers)
    throw new InvalidOptionError(path, { low, high, step }, 'integer low, high and step for an int range');
  const stepValue = kind === 'int' ? ((step as number | undefined) ?? 1) : (step as number | undefined);
  if (isLog && stepValue !== undefined && stepValue !== 1)
    throw new InvalidOptionError(`${path}.step`, step, 'no step (or 1 for integers) on a log scale');
  const param: ParamDef = { kind, name, low: lo, high: hi, log: isLog };
  if (stepValue !== undefined) param.step = stepValue;
  return param;
}

/** Keys of a `lowers` hint: latency metrics, memory needed per GPU, GPUs occupied and KV-cache pressure. */
const HINT_KEYS = ['ttft', 'tpot', 'itl', 'e2e', 'memory', 'gpus', 'kv'];

function parseLowers(param: ParamDef, input: unknown, path: string): Record<string, ParamValue> {
  if (!isObject(input))
    throw new InvalidOptionError(
      path,
      input,
      'a map of latency metric (or memory, gpus, kv) to a value of the parameter',
    );
  const lowers: Record<string, ParamValue> = {};
  for (const [metric, value] of Object.entries(input)) {
    if (!HINT_KEYS.includes(metric))
      throw new InvalidOptionError(
        `${path}.${metric}`,
        metric,
        `a latency metric or memory, gpus, kv: ${HINT_KEYS.join(', ')}`,
      );
    if (!isAllowedValue(param, value))
      throw new InvalidOptionError(`${path}.${metric}`, value, 'a value inside the parameter domain');
    lowers[metric] = value as ParamValue;
  }
  return lowers;
}

function parseParam(name: string, input: unknown, path: string): ParamDef {
  if (Array.isArray(input)) return { kind: 'categorical', name, values: checkValues(input, path) };
  if (isScalar(input)) return { kind: 'categorical', name, values: [input] };
  if (!isObject(input))
    throw new InvalidOptionError(path, input, 'a spec object, a list of values or a value');
  const type = input.type;
  let param: ParamDef;
  if (type === 'bool' || type === 'boolean') param = { kind: 'bool', name };
  else if (type === 'categorical' || (type === undefined && 'values' in input))
    param = { kind: 'categorical', name, values: checkValues(input.values, `${path}.values`) };
  else if (type === 'int' || type === 'float' || (type === undefined && ('low' in input || 'high' in input)))
    param = rangeParam(name, input, path);
  else
    throw new InvalidOptionError(
      type === undefined ? path : `${path}.type`,
      type ?? input,
      'type categorical | int | float | bool, or values / low and high',
    );
  if (input.when !== undefined) {
    if (!isObject(input.when) || Object.keys(input.when).length === 0)
      throw new InvalidOptionError(`${path}.when`, input.when, 'a map of parameter name to a list of values');
    const when: ParamCondition = {};
    for (const [parent, values] of Object.entries(input.when))
      when[parent] = checkValues(Array.isArray(values) ? values : [values], `${path}.when.${parent}`);
    param.when = when;
  }
  if (input.default !== undefined) {
    if (!isAllowedValue(param, input.default))
      throw new InvalidOptionError(`${path}.default`, input.default, 'a value inside the parameter domain');
    (param as { default?: ParamValue }).default = input.default as ParamValue;
  }
  if (input.lowers !== undefined) param.lowers = parseLowers(param, input.lowers, `${path}.lowers`);
  return param;
}

/** Orders parameters so that each comes after every parameter its condition reads (stable otherwise). */
function orderByConditions(params: ParamDef[], path: string): ParamDef[] {
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const p of params)
    for (const [parent, values] of Object.entries(p.when ?? {})) {
      const parentDef = byName.get(parent);
      if (parentDef === undefined || parent === p.name)
        throw new InvalidOptionError(`${path}.${p.name}.when`, parent, 'the name of another parameter');
      for (const v of values)
        if (!isAllowedValue(parentDef, v))
          throw new InvalidOptionError(`${path}.${p.name}.when.${parent}`, v, `a value of ${parent}`);
    }
  const ordered: ParamDef[] = [];
  const placed = new Set<string>();
  while (ordered.length < params.length) {
    const next = params.find(
      (p) => !placed.has(p.name) && Object.keys(p.when ?? {}).every((q) => placed.has(q)),
    );
    if (next === undefined) {
      const stuck = params.filter((p) => !placed.has(p.name)).map((p) => p.name);
      throw new InvalidOptionError(`${path}.when`, stuck, 'conditions without cycles');
    }
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/**
 * Normalises a search space given as a bare map of parameters, as `{ parameters, constraints }`, or as
 * an already normalised SearchSpace (returned as is). Plain lists become categoricals, scalars become
 * fixed one-value categoricals, `{ low, high }` ranges are `int` when all bounds are integers.
 * Throws InvalidOptionError naming the parameter path and bad value.
 */
export function normalizeSpace(input: SpaceInput, path = 'space'): SearchSpace {
  if (isSearchSpace(input)) return input;
  if (!isObject(input)) throw new InvalidOptionError(path, input, 'a map of parameter specs');
  const wrapped = isWrapped(input);
  const paramsInput = wrapped ? input.parameters : (input as Record<string, ParamInput>);
  const paramsPath = wrapped ? `${path}.parameters` : path;
  const constraintsInput = wrapped ? (input.constraints ?? []) : [];
  const names = Object.keys(paramsInput);
  if (names.length === 0) throw new InvalidOptionError(paramsPath, paramsInput, 'at least one parameter');
  const params = names.map((name) => parseParam(name, paramsInput[name], `${paramsPath}.${name}`));
  const ordered = orderByConditions(params, paramsPath);
  if (!Array.isArray(constraintsInput))
    throw new InvalidOptionError(`${path}.constraints`, constraintsInput, 'a list of constraints');
  const nameSet = new Set(names);
  const constraints = constraintsInput.map((c, i) =>
    normalizeConstraint(c, nameSet, `${path}.constraints[${i}]`),
  );
  return { params: ordered, constraints };
}
