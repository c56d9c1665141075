// Validation of a candidate configuration against an engine's registry, before anything is launched.
import { describeValue } from '../errors.js';
import { type CheckedValue, checkValue } from './check-value.js';
import { type ParamProblem, toValidationResult, type ValidationResult } from './param-problem.js';
import type { FlagRegistry, FlagSpec } from './registry.js';
import { type ResolvedParam, resolveParams } from './resolve-params.js';
import type { RuntimeAdapter } from './runtime-adapter.js';
import type { RuntimeName } from './runtime-name.js';
import { toAdapter } from './runtimes.js';

/** A resolved parameter whose value passed its checks. */
export interface CheckedParam extends ResolvedParam {
  checked: CheckedValue;
}

// Registry status -> problem: flags gone from this engine version are errors, doubtful ones warnings.
function statusProblem(param: ResolvedParam, registry: FlagRegistry): ParamProblem | undefined {
  const { flag } = param;
  const status = flag.status ?? [];
  const base = { param: param.param, flag: flag.name, value: param.value };
  const version = registry.engineVersion;
  if (status.includes('removed')) {
    return {
      ...base,
      code: 'removed_flag',
      severity: 'error',
      message: `${flag.name} was removed in ${version}: ${flag.help ?? ''}`.trim(),
    };
  }
  if (status.includes('legacy') && !status.includes('unverified')) {
    return {
      ...base,
      code: 'legacy_flag',
      severity: 'error',
      message: `${flag.name} is a flag of older versions, not accepted by ${version}; supply the registry of your engine version to use it`,
    };
  }
  if (status.includes('deprecated')) {
    return {
      ...base,
      code: 'deprecated_flag',
      severity: 'warning',
      message: `${flag.name} is deprecated in ${version}`,
    };
  }
  if (status.includes('unverified') || status.includes('legacy_manual')) {
    return {
      ...base,
      code: status.includes('legacy_manual') ? 'legacy_flag' : 'unverified_flag',
      severity: 'warning',
      message: `${flag.name} could not be verified against ${version} (${registry.sourceLine})`,
    };
  }
  return undefined;
}

// Switches that can only be turned on: a `false` is fine when the feature is off by default, refused otherwise.
function falseProblem(param: ResolvedParam, checked: CheckedValue): ParamProblem | undefined {
  const { flag } = param;
  if (checked.kind !== 'bool' || checked.on || hasNegativeForm(flag)) return undefined;
  if (flag.default !== true) return undefined;
  return {
    param: param.param,
    flag: flag.name,
    value: param.value,
    code: 'unsupported_false',
    severity: 'error',
    message: `${flag.name} is on by default and the engine has no flag to turn it off, so ${describeValue(param.value)} cannot apply`,
  };
}

/** True when the flag has a spelling that sets it to false (`--no-x`, a llama.cpp negation). */
export function hasNegativeForm(flag: FlagSpec): boolean {
  return flag.action === 'BooleanOptionalAction' || (flag.negations?.length ?? 0) > 0;
}

/** Resolves and checks parameters; the checked parameters are what the argv builder encodes. */
export function checkParams(
  params: Record<string, unknown>,
  adapter: RuntimeAdapter,
): { params: CheckedParam[]; problems: ParamProblem[] } {
  const resolved = resolveParams(params, adapter);
  const problems = [...resolved.problems];
  const out: CheckedParam[] = [];
  for (const param of resolved.params) {
    const status = statusProblem(param, adapter.registry);
    if (status) problems.push(status);
    const result = checkValue(param.flag, param.value);
    if (!result.ok) {
      problems.push({ ...result.issue, param: param.param, flag: param.flag.name, value: param.value });
      continue;
    }
    if (result.warning)
      problems.push({ ...result.warning, param: param.param, flag: param.flag.name, value: param.value });
    const refusal = falseProblem(param, result.value);
    if (refusal) {
      problems.push(refusal);
      continue;
    }
    out.push({ ...param, checked: result.value });
  }
  return { params: out, problems };
}

/**
 * Validates a configuration before launch: unknown flags (with did-you-mean suggestions and the engine a
 * flag belongs to), types, choices and ranges from the registry, removed or legacy flags (naming the
 * registry's engine version), presets that cannot apply, `false` for switches that cannot be turned off.
 */
export function validateParams(
  params: Record<string, unknown>,
  runtime: RuntimeName | RuntimeAdapter,
): ValidationResult {
  return toValidationResult(checkParams(params, toAdapter(runtime)).problems);
}

/**
 * The configuration keyed by canonical engine flags, presets expanded and negative spellings folded
 * (`{ 'parallel-preset': 'tp2' }` -> `{ '--tensor-parallel-size': 2, ... }` on vLLM); feed this to
 * worldSize. Parameters with problems are left out; the problems are returned beside.
 */
export function canonicalParams(
  params: Record<string, unknown>,
  runtime: RuntimeName | RuntimeAdapter,
): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const { params: checked, problems } = checkParams(params, toAdapter(runtime));
  return { params: Object.fromEntries(checked.map((p) => [p.flag.name, p.value])), problems };
}
