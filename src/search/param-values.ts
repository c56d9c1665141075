// Canonical numeric values of range parameters: one place decides how a float is rounded or snapped.
import type { ParamDef, RangeParam } from './param-spec.js';
import type { ParamValue } from './trial.js';

function decimalsOf(x: number): number {
  const text = String(x);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) {
    const mantissa = text.slice(0, text.indexOf('e'));
    const dot = mantissa.indexOf('.');
    return Number(exp[1]) + (dot < 0 ? 0 : mantissa.length - dot - 1);
  }
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}

/** Number of allowed values of a stepped range (Infinity for continuous floats). */
export function stepCount(param: RangeParam): number {
  if (param.step === undefined) return Infinity;
  return Math.floor((param.high - param.low) / param.step + 1e-9) + 1;
}

/** The k-th value of a stepped range, rounded to the decimals of `low` and `step` so it prints cleanly. */
export function steppedValue(param: RangeParam, k: number): number {
  const step = param.step ?? 1;
  const raw = param.low + k * step;
  if (param.kind === 'int') return Math.round(raw);
  const decimals = Math.min(15, Math.max(decimalsOf(param.low), decimalsOf(step)));
  return Number(raw.toFixed(decimals));
}

/**
 * Snaps any real number to the nearest allowed value of a range: the step grid for stepped ranges,
 * 12 significant digits on log scales, and a quantum of 1e-12 of the range on linear scales.
 * Values that already have that precision (what users write) come back unchanged.
 */
export function snapRangeValue(param: RangeParam, x: number): number {
  const { low, high } = param;
  if (param.step !== undefined) {
    const k = clamp(Math.round((x - low) / param.step), 0, stepCount(param) - 1);
    return steppedValue(param, k);
  }
  if (param.kind === 'int') return clamp(Math.round(x), low, high);
  if (param.log) return clamp(Number(x.toPrecision(12)), low, high);
  const range = high - low;
  if (range === 0) return low;
  const maxAbs = Math.max(Math.abs(low), Math.abs(high));
  const digits = Math.min(12 - Math.floor(Math.log10(range)), 15 - Math.ceil(Math.log10(maxAbs || 1)), 22);
  const scale = 10 ** digits;
  const snapped = digits >= 0 ? Math.round(x * scale) / scale : Math.round(x / 10 ** -digits) * 10 ** -digits;
  // + 0 turns a negative zero into 0, so keys and printed flags never show -0.
  return clamp(snapped, low, high) + 0;
}

/** Every value of a parameter in grid order, or undefined when it has infinitely many. */
export function gridValues(param: ParamDef): readonly ParamValue[] | undefined {
  if (param.kind === 'categorical') return param.values;
  if (param.kind === 'bool') return [false, true];
  const count = stepCount(param);
  if (!Number.isFinite(count)) return undefined;
  return Array.from({ length: count }, (_, k) => steppedValue(param, k));
}

/** How many values a parameter can take (Infinity for continuous floats). */
export function valueCount(param: ParamDef): number {
  if (param.kind === 'categorical') return param.values.length;
  if (param.kind === 'bool') return 2;
  return stepCount(param);
}

/** True when `value` is an allowed value of `param` (exactly, for stepped ranges). */
export function isAllowedValue(param: ParamDef, value: unknown): boolean {
  if (param.kind === 'categorical') return param.values.some((v) => v === value);
  if (param.kind === 'bool') return typeof value === 'boolean';
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (param.kind === 'int' && !Number.isInteger(value)) return false;
  // Stepped values are canonical (snapped), which may print as high rounded up by a float ulp.
  if (param.step !== undefined) return snapRangeValue(param, value) === value;
  return value >= param.low && value <= param.high;
}

/** The values of a categorical parameter of finite numbers, ascending; undefined for any other parameter. */
export function sortedNumericValues(param: ParamDef): readonly number[] | undefined {
  if (param.kind !== 'categorical') return undefined;
  // Asked per candidate and per failure rule: sorted once per parameter definition.
  if (sortedCache.has(param)) return sortedCache.get(param);
  const sorted = param.values.every((v) => typeof v === 'number' && Number.isFinite(v))
    ? Object.freeze([...(param.values as number[])].sort((a, b) => a - b))
    : undefined;
  sortedCache.set(param, sorted);
  return sorted;
}
const sortedCache = new WeakMap<ParamDef, readonly number[] | undefined>();

/** True for a size: a numeric range or a list of numbers (not a switch or a list of names). */
export function isSizeParam(param: ParamDef): boolean {
  return param.kind === 'int' || param.kind === 'float' || sortedNumericValues(param) !== undefined;
}
