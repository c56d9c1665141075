// Typed problems found in a candidate configuration before launch.
import { InvalidParameterError } from '../errors.js';

/** Kinds of problems validation reports. */
export type ParamProblemCode =
  | 'unknown_flag'
  | 'bad_type'
  | 'bad_choice'
  | 'out_of_range'
  | 'null_value'
  | 'unknown_value'
  | 'legacy_flag'
  | 'removed_flag'
  | 'deprecated_flag'
  | 'unverified_flag'
  | 'unsupported_false'
  | 'reserved_flag'
  | 'secret_flag'
  | 'conflict'
  | 'unknown_preset'
  | 'unsupported_preset'
  | 'preset_overridden';

/** One problem with one parameter; `error` makes the trial invalid, `warning` does not. */
export interface ParamProblem {
  code: ParamProblemCode;
  severity: 'error' | 'warning';
  /** The parameter as the caller spelled it. */
  param: string;
  /** Canonical engine flag, when the parameter was recognised. */
  flag?: string;
  value?: unknown;
  message: string;
  /** What would be accepted, in words (`an integer`, `a vllm flag (vLLM 0.22.0)`), when the message has more. */
  expected?: string;
  /** Did-you-mean flag names of this engine. */
  suggestions?: string[];
}

/** The outcome of validating a configuration. */
export interface ValidationResult {
  /** True when no problem is an error. */
  ok: boolean;
  problems: ParamProblem[];
}

/** Wraps problems into a result. */
export function toValidationResult(problems: ParamProblem[]): ValidationResult {
  return { ok: !problems.some((p) => p.severity === 'error'), problems };
}

/** Throws an InvalidParameterError listing every error problem; warnings alone pass. */
export function assertNoErrors(problems: readonly ParamProblem[], params: Record<string, unknown>): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  throw new InvalidParameterError(errors.map((p) => p.message).join('; '), params);
}
