// Encoding of configurations to and from [0, 1]^d for model-based strategies.
import type { ParamDef, RangeParam, SearchSpace } from './param-spec.js';
import { snapRangeValue, sortedNumericValues } from './param-values.js';
import { isParamActive } from './space-checks.js';
import type { Params, ParamValue } from './trial.js';

/** What one coordinate of the unit cube stands for. */
export interface CubeDim {
  param: string;
  /** `numeric`: scaled range (log-scaled when the param is log) or ranked numeric list; `onehot`: one category; `binary`: 2 values. */
  kind: 'numeric' | 'onehot' | 'binary';
  /** Category index for `onehot` dims. */
  index?: number;
  /** True when the value set is discrete (ints, steps, categories). */
  discrete: boolean;
}

/** Maps configurations to points of [0, 1]^dims and back; decode(encode(p)) returns p exactly. */
export interface UnitCubeEncoder {
  readonly dims: readonly CubeDim[];
  encode(params: Params): number[];
  /** Any point of R^dims is accepted (coordinates are clamped); the result belongs to the space's domains. */
  decode(point: readonly number[]): Params;
}

/** Coordinate given to inactive parameters' dimensions, so they add no distance between points. */
const INACTIVE = 0;

function toUnit(param: RangeParam, x: number): number {
  if (param.high === param.low) return 0.5;
  if (param.log) return (Math.log(x) - Math.log(param.low)) / (Math.log(param.high) - Math.log(param.low));
  return (x - param.low) / (param.high - param.low);
}

function fromUnit(param: RangeParam, u: number): number {
  const c = Math.min(1, Math.max(0, u));
  if (param.high === param.low) return param.low;
  if (param.log) return Math.exp(Math.log(param.low) + c * (Math.log(param.high) - Math.log(param.low)));
  // Integers and steps get equal-width cells, so each value has the same share of the cube.
  if (param.step !== undefined) {
    const count = Math.floor((param.high - param.low) / param.step + 1e-9) + 1;
    const k = Math.min(count - 1, Math.floor(c * count));
    return param.low + k * param.step;
  }
  return param.low + c * (param.high - param.low);
}

function toUnitStepped(param: RangeParam, x: number): number {
  if (param.step === undefined || param.log) return toUnit(param, x);
  const count = Math.floor((param.high - param.low) / param.step + 1e-9) + 1;
  const k = Math.round((x - param.low) / param.step);
  return (k + 0.5) / count;
}

function categories(param: ParamDef): readonly ParamValue[] {
  if (param.kind === 'bool') return [false, true];
  if (param.kind === 'categorical') return param.values;
  return [];
}

/**
 * Values of a categorical parameter of three or more numbers, in increasing order: such a parameter is
 * encoded as one ordered dimension (equal-width cells by rank) so the models can interpolate between them.
 */
function ordinalValues(param: ParamDef): readonly number[] | undefined {
  return param.kind === 'categorical' && param.values.length >= 3 ? sortedNumericValues(param) : undefined;
}

/**
 * Builds the encoder of a space. Ranges take one dimension (log-scaled for log params; integers and
 * steps in equal-width cells, encoded at the cell centre), and so do lists of 3+ numbers (cells by
 * rank, in increasing order); booleans and 2-value categoricals one binary
 * dimension; larger categoricals one-hot dimensions (decoded by arg-max); one-value categoricals none.
 * Inactive conditional parameters encode as 0 in all their dimensions.
 */
export function createUnitCubeEncoder(space: SearchSpace): UnitCubeEncoder {
  const dims: CubeDim[] = [];
  const offsets: number[] = [];
  const ordinals = space.params.map(ordinalValues);
  for (const [i, param] of space.params.entries()) {
    offsets.push(dims.length);
    const cats = categories(param);
    if (param.kind === 'int' || param.kind === 'float')
      dims.push({ param: param.name, kind: 'numeric', discrete: param.step !== undefined });
    else if (ordinals[i] !== undefined) dims.push({ param: param.name, kind: 'numeric', discrete: true });
    else if (cats.length === 2) dims.push({ param: param.name, kind: 'binary', discrete: true });
    else if (cats.length > 2)
      cats.forEach((_, index) => {
        dims.push({ param: param.name, kind: 'onehot', index, discrete: true });
      });
  }
  return {
    dims,
    encode(params) {
      const point = new Array<number>(dims.length).fill(INACTIVE);
      space.params.forEach((param, i) => {
        const value = params[param.name];
        const offset = offsets[i] as number;
        if (value === undefined) return;
        const ordinal = ordinals[i];
        if (param.kind === 'int' || param.kind === 'float')
          point[offset] = toUnitStepped(param, value as number);
        else if (ordinal !== undefined)
          point[offset] = (ordinal.indexOf(value as number) + 0.5) / ordinal.length;
        else {
          const cats = categories(param);
          const index = cats.indexOf(value);
          if (cats.length === 2) point[offset] = index;
          else if (cats.length > 2) point[offset + index] = 1;
        }
      });
      return point;
    },
    decode(point) {
      const params: Params = {};
      space.params.forEach((param, i) => {
        if (!isParamActive(param, params)) return;
        const offset = offsets[i] as number;
        const at = (d: number): number => {
          const v = point[d] ?? 0;
          return Number.isNaN(v) ? 0 : v;
        };
        if (param.kind === 'int' || param.kind === 'float') {
          params[param.name] = snapRangeValue(param, fromUnit(param, at(offset)));
          return;
        }
        const ordinal = ordinals[i];
        if (ordinal !== undefined) {
          const c = Math.min(1, Math.max(0, at(offset)));
          params[param.name] = ordinal[
            Math.min(ordinal.length - 1, Math.floor(c * ordinal.length))
          ] as number;
          return;
        }
        const cats = categories(param);
        if (cats.length === 1) params[param.name] = cats[0] as ParamValue;
        else if (cats.length === 2) params[param.name] = cats[at(offset) >= 0.5 ? 1 : 0] as ParamValue;
        else {
          let best = 0;
          for (let k = 1; k < cats.length; k++) if (at(offset + k) > at(offset + best)) best = k;
          params[param.name] = cats[best] as ParamValue;
        }
      });
      return params;
    },
  };
}
