// Engine parameters of a study judged before any launch: every fixed value and every value of the space against
// the engine's flag (type, choices, range), presets the engine cannot honour, and one flag set in two places.
import type { ParamProblem } from '../runtimes/param-problem.js';
import { presetParams, presetProblems } from '../runtimes/presets.js';
import { resolveParams } from '../runtimes/resolve-params.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { checkParams } from '../runtimes/validate-params.js';
import type { OptionProblem } from './options-error.js';
import { studyOwnedFlags } from './owned-flags.js';

// Problems that concern a parameter's name (said once per parameter), not one of its values.
const NAME_CODES = new Set(['unknown_flag', 'reserved_flag', 'removed_flag', 'legacy_flag', 'secret_flag']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const errors = (params: Record<string, unknown>, runtime: RuntimeAdapter): ParamProblem[] =>
  checkParams(params, runtime).problems.filter((p) => p.severity === 'error');

/** What an engine problem says would be accepted, for an option problem (which shows the value itself). */
export function expectedOf(problem: ParamProblem, runtime: RuntimeAdapter): string {
  if (problem.code === 'reserved_flag' && problem.flag) {
    const reason = studyOwnedFlags(runtime).get(problem.flag);
    if (reason) return `no ${problem.flag}: ${reason}`;
  }
  if (problem.expected && problem.flag && !NAME_CODES.has(problem.code))
    return `${problem.expected} for ${problem.flag}`;
  return problem.expected ?? problem.message;
}

/** One value of a space parameter, where the user wrote it. */
interface SpaceValue {
  path: string;
  value: unknown;
}

/**
 * The values a space entry lets the search try, each with its path as written: list items, `values` items,
 * both booleans, a range's bounds. Malformed entries give none (the space's own checks report them).
 */
export function spaceValues(key: string, spec: unknown): SpaceValue[] {
  const path = `space.${key}`;
  if (Array.isArray(spec)) return spec.map((value, i) => ({ path: `${path}[${i}]`, value }));
  if (!isObject(spec)) return spec === undefined || spec === null ? [] : [{ path, value: spec }];
  if (spec['type'] === 'bool' || spec['type'] === 'boolean')
    return [
      { path, value: true },
      { path, value: false },
    ];
  if (Array.isArray(spec['values']))
    return spec['values'].map((value, i) => ({ path: `${path}.values[${i}]`, value }));
  return (['low', 'high'] as const)
    .filter((bound) => typeof spec[bound] === 'number')
    .map((bound) => ({ path: `${path}.${bound}`, value: spec[bound] }));
}

/** A value that stands for a space parameter when only its name matters (lookups whose spelling depends on it). */
export function spaceSample(spec: unknown): unknown {
  const [first] = spaceValues('', spec);
  return first?.value ?? true;
}

// A range of an integer flag must step through integers: `{ low: 16, high: 64, step: 0.5 }` would try 16.5.
function integerRangeProblem(key: string, spec: unknown, runtime: RuntimeAdapter): OptionProblem[] {
  if (!isObject(spec) || (typeof spec['low'] !== 'number' && typeof spec['high'] !== 'number')) return [];
  const [resolved] = resolveParams({ [key]: spaceSample(spec) }, runtime).params;
  const type = resolved?.flag.type;
  if (type !== 'int' && type !== 'list[int]') return [];
  const flag = resolved?.flag.name;
  const { step } = spec;
  if (typeof step === 'number' && !Number.isInteger(step))
    return [{ path: `space.${key}.step`, value: step, expected: `an integer step: ${flag} takes integers` }];
  if (spec['type'] === 'float')
    return [{ path: `space.${key}.type`, value: 'float', expected: `int: ${flag} takes integers` }];
  return [];
}

/** Every space parameter's name and every value it can take, checked against the engine's flags. */
export function spaceParamProblems(space: Record<string, unknown>, runtime: RuntimeAdapter): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const [key, spec] of Object.entries(space)) {
    const named = errors({ [key]: spaceSample(spec) }, runtime).filter((p) => NAME_CODES.has(p.code));
    if (named.length > 0) {
      problems.push(
        ...named.map((p) => ({ path: `space.${key}`, value: key, expected: expectedOf(p, runtime) })),
      );
      continue;
    }
    for (const { path, value } of spaceValues(key, spec)) {
      for (const problem of errors({ [key]: value }, runtime))
        if (!NAME_CODES.has(problem.code))
          problems.push({ path, value, expected: expectedOf(problem, runtime) });
    }
    problems.push(...integerRangeProblem(key, spec, runtime));
  }
  return problems;
}

/**
 * Fixed parameters and presets checked together on the engine (names, values, two spellings of one flag that
 * disagree, presets the engine cannot honour), each problem at the fixed key or the preset that caused it.
 */
export function fixedParamProblems(
  fixed: Record<string, unknown>,
  presets: readonly string[],
  runtime: RuntimeAdapter,
): OptionProblem[] {
  const named = presetProblems(presets);
  const problems: OptionProblem[] = named.map((e) => ({
    path: e.option,
    value: e.value,
    expected: e.expected,
  }));
  const known = presets.filter((_, i) => !named.some((e) => e.option === `presets[${i}]`));
  const selected = presetParams(known);
  // Which preset (by its index in `presets`) chose each preset kind.
  const presetIndex = new Map(
    Object.entries(selected).map(([kind, name]) => [
      kind,
      presets.findIndex((p) => p.trim().toLowerCase() === name),
    ]),
  );
  for (const problem of errors({ ...selected, ...fixed }, runtime)) {
    const index = problem.param in fixed ? undefined : presetIndex.get(problem.param);
    if (index !== undefined)
      problems.push({
        path: `presets[${index}]`,
        value: presets[index],
        expected: expectedOf(problem, runtime),
      });
    else
      problems.push({
        path: `fixedParams.${problem.param}`,
        value: problem.value ?? fixed[problem.param],
        expected: expectedOf(problem, runtime),
      });
  }
  return problems;
}

/** Where a flag is set for every trial: the path that sets it and the value. */
interface FlagOwner {
  path: string;
  value: unknown;
}

/** The engine flags the fixed parameters and presets set, each with the option that sets it. */
export function fixedFlagOwners(
  fixed: Record<string, unknown>,
  presets: readonly string[],
  runtime: RuntimeAdapter,
): Map<string, FlagOwner> {
  const owners = new Map<string, FlagOwner>();
  presets.forEach((name, i) => {
    if (presetProblems([name]).length > 0) return;
    for (const param of resolveParams(presetParams([name]), runtime).params)
      owners.set(param.flag.name, { path: `presets[${i}]`, value: name });
  });
  for (const [key, value] of Object.entries(fixed))
    for (const param of resolveParams({ [key]: value }, runtime).params)
      owners.set(param.flag.name, { path: `fixedParams.${key}`, value });
  return owners;
}

/**
 * A flag both fixed and tuned (the space's values would silently replace the fixed one), or tuned under two
 * names: refused, naming both places.
 */
export function overlapProblems(
  fixed: Record<string, unknown>,
  presets: readonly string[],
  space: Record<string, unknown>,
  runtime: RuntimeAdapter,
): OptionProblem[] {
  const owners = fixedFlagOwners(fixed, presets, runtime);
  const tuned = new Map<string, string>();
  const problems: OptionProblem[] = [];
  for (const [key, spec] of Object.entries(space)) {
    for (const { flag } of resolveParams({ [key]: spaceSample(spec) }, runtime).params) {
      const owner = owners.get(flag.name);
      const other = tuned.get(flag.name);
      if (owner) {
        problems.push({
          path: `space.${key}`,
          value: spec,
          expected: `a flag that is not fixed: ${owner.path} already sets ${flag.name} on every trial (the space would override it); tune it or fix it, not both`,
        });
      } else if (other !== undefined && other !== key) {
        problems.push({
          path: `space.${key}`,
          value: spec,
          expected: `one parameter per flag: space.${other} already tunes ${flag.name}`,
        });
      } else tuned.set(flag.name, key);
    }
  }
  return problems;
}

/** Each `strategy.initial` configuration's parameters checked against the engine's flags. */
export function initialConfigProblems(
  initial: readonly Record<string, unknown>[],
  runtime: RuntimeAdapter,
): OptionProblem[] {
  return initial.flatMap((params, i) =>
    errors(params, runtime).map((p) => ({
      path: `strategy.initial[${i}].${p.param}`,
      value: p.value ?? params[p.param],
      expected: expectedOf(p, runtime),
    })),
  );
}
