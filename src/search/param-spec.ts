// Parameter specifications: what users write and the one normalised shape the rest of search reads.
import type { Params, ParamValue } from './trial.js';

/**
 * Activation condition of a conditional parameter: it exists only when every named parameter is active
 * and holds one of the listed values, e.g. `{ 'enable-chunked-prefill': [true] }`.
 */
export type ParamCondition = Record<string, readonly ParamValue[]>;

/** Fields shared by every parameter spec a user writes. */
export interface ParamSpecBase {
  /** Condition under which the parameter exists. @default undefined (always active) */
  when?: ParamCondition;
  /** Value evaluated first by model-based strategies (e.g. the engine default). @default undefined */
  default?: ParamValue;
  /**
   * Domain knowledge for repairing a broken SLO: latency metric (`ttft`, `tpot`, `itl`, `e2e`) to the value
   * of this parameter toward which that metric tends to fall, e.g. `{ tpot: 16, ttft: 1024 }` for a batch
   * width. The key `memory` names the value toward which the memory a replica needs per GPU falls (read when
   * a configuration ran out of memory at start-up), `gpus` the one toward which the GPUs a layout occupies
   * fall (read when a layout did not fit). Runtimes fill it in for the engine flags they know; `{}`
   * turns it off. @default undefined
   */
  lowers?: Readonly<Record<string, ParamValue>>;
}

/** A choice among listed values, in the order given (grid order follows it). */
export interface CategoricalSpec extends ParamSpecBase {
  type?: 'categorical';
  values: readonly ParamValue[];
}

/** An integer or float range, inclusive at both ends. */
export interface RangeSpec extends ParamSpecBase {
  /** Inferred as `int` when `low`, `high` (and `step`) are integers, else `float`. */
  type?: 'int' | 'float';
  low: number;
  high: number;
  /** Spacing of allowed values from `low`; required for grids over floats. @default 1 for int, none for float */
  step?: number;
  /** Sample and model on a logarithmic scale (needs low > 0; no step other than 1). @default false */
  log?: boolean;
}

/** A boolean flag (grid order: false, then true). */
export interface BooleanSpec extends ParamSpecBase {
  type: 'bool';
}

/** Any spec form accepted from code or YAML: a spec object, a plain list of values or a fixed scalar. */
export type ParamInput = CategoricalSpec | RangeSpec | BooleanSpec | readonly ParamValue[] | ParamValue;

/** Normalised categorical parameter. */
export interface CategoricalParam {
  kind: 'categorical';
  name: string;
  values: readonly ParamValue[];
  when?: ParamCondition;
  default?: ParamValue;
  lowers?: Readonly<Record<string, ParamValue>>;
}

/** Normalised boolean parameter. */
export interface BooleanParam {
  kind: 'bool';
  name: string;
  when?: ParamCondition;
  default?: boolean;
  lowers?: Readonly<Record<string, ParamValue>>;
}

/** Normalised integer or float range. */
export interface RangeParam {
  kind: 'int' | 'float';
  name: string;
  low: number;
  high: number;
  /** Undefined only for continuous floats. */
  step?: number;
  log: boolean;
  when?: ParamCondition;
  default?: number;
  lowers?: Readonly<Record<string, ParamValue>>;
}

/** A parameter after normalisation. */
export type ParamDef = CategoricalParam | BooleanParam | RangeParam;

/** Comparison operators of declarative constraints. */
export type ConstraintOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * A constraint between parameters in declarative form (usable from YAML), e.g.
 * `{ left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs' }`. `right` names a parameter
 * when it is a string that is a parameter name, otherwise it is a literal. Holds vacuously when a
 * named parameter is inactive.
 */
export interface DeclarativeConstraint {
  left: string;
  op: ConstraintOp;
  right: string | number | boolean;
  /** Multiplies the right-hand side when both are numbers. @default 1 */
  factor?: number;
}

/** A constraint as a predicate over a configuration (true = allowed). */
export interface PredicateConstraint {
  /** Shown in messages and reports. */
  name: string;
  predicate: (params: Params) => boolean;
}

/** Any constraint form accepted from code or YAML. */
export type ConstraintInput = DeclarativeConstraint | PredicateConstraint | ((params: Params) => boolean);

/** A normalised constraint. */
export interface SpaceConstraint {
  /** Human-readable form, e.g. `max-num-batched-tokens >= max-num-seqs`. */
  description: string;
  check(params: Params): boolean;
}

/** A normalised search space: parameters ordered so that each comes after those its condition reads. */
export interface SearchSpace {
  readonly params: readonly ParamDef[];
  readonly constraints: readonly SpaceConstraint[];
}

/** Input of normalizeSpace: either a bare map of parameters or parameters plus constraints. */
export type SpaceInput =
  | Record<string, ParamInput>
  | { parameters: Record<string, ParamInput>; constraints?: readonly ConstraintInput[] }
  | SearchSpace;
