// Moves of a configuration along its parameters' order: the steps SLO repair and out-of-memory repair take, the
// configuration completed for the parameters a move activates, and the new moves among proposals, in words.
import type { ParamDef, RangeParam, SearchSpace } from './param-spec.js';
import { snapRangeValue, sortedNumericValues } from './param-values.js';
import { isParamActive, paramsKey, spaceViolations } from './space-checks.js';
import type { Params, ParamValue } from './trial.js';

/** Share of a range's (log) width one repair step moves a range parameter. */
const RANGE_STEP = 0.25;

// The values of a parameter in their natural order (numbers ascending, false before true); undefined for
// unordered categories and continuous ranges.
function orderedValues(param: ParamDef): readonly ParamValue[] | undefined {
  return param.kind === 'bool' ? [false, true] : sortedNumericValues(param);
}

const toScale = (p: RangeParam, x: number): number => (p.log ? Math.log(x) : x);
const fromScale = (p: RangeParam, u: number): number => (p.log ? Math.exp(u) : u);

/** Position of a value along the parameter's order (unordered categories: undefined). */
export function position(param: ParamDef, value: ParamValue): number | undefined {
  if (param.kind === 'int' || param.kind === 'float') return toScale(param, value as number);
  const ordered = orderedValues(param);
  return ordered ? ordered.indexOf(value) : undefined;
}

/** `steps` repair steps from `value` toward `target` (the target itself for unordered categories). */
export function stepToward(
  param: ParamDef,
  value: ParamValue,
  target: ParamValue,
  steps: number,
): ParamValue {
  if (param.kind === 'int' || param.kind === 'float') {
    const from = toScale(param, value as number);
    const to = toScale(param, target as number);
    const width = toScale(param, param.high) - toScale(param, param.low);
    const move = Math.min(Math.abs(to - from), RANGE_STEP * steps * width);
    let next = snapRangeValue(param, fromScale(param, from + Math.sign(to - from) * move));
    // At least one allowed value of movement on a stepped or integer range.
    if (next === value && from !== to) {
      const unit = param.step ?? (param.kind === 'int' ? 1 : 0);
      next = snapRangeValue(param, (value as number) + Math.sign(to - from) * unit);
    }
    return next;
  }
  const ordered = orderedValues(param);
  if (!ordered) return target;
  const from = ordered.indexOf(value);
  const to = ordered.indexOf(target);
  const next = from + Math.sign(to - from) * Math.min(Math.abs(to - from), steps);
  return ordered[next] as ParamValue;
}

// Drops parameters whose condition no longer holds and gives newly active ones their default (else the
// first value of the domain).
export function completeParams(space: SearchSpace, params: Params): Params {
  const out: Params = {};
  for (const param of space.params) {
    if (!isParamActive(param, out)) continue;
    const value = params[param.name] ?? param.default;
    if (value !== undefined) out[param.name] = value;
    else if (param.kind === 'bool') out[param.name] = false;
    else if (param.kind === 'categorical') out[param.name] = param.values[0] as ParamValue;
    else out[param.name] = param.low;
  }
  return out;
}

/**
 * The proposals that are new (not in `taken`, not proposed before) and inside the space, each with its changes
 * from `base` in words (`tensor-parallel-size 1 -> 2`) and its index among the proposals.
 */
export function distinctMoves(
  space: SearchSpace,
  base: Params,
  proposals: readonly Params[],
  taken: ReadonlySet<string>,
): { params: Params; changes: string; index: number }[] {
  const out: { params: Params; changes: string; index: number }[] = [];
  const seen = new Set(taken);
  proposals.forEach((params, index) => {
    const key = paramsKey(space, params);
    if (seen.has(key) || spaceViolations(space, params).length > 0) return;
    seen.add(key);
    const changes = space.params
      .filter((p) => params[p.name] !== base[p.name])
      .map((p) => `${p.name} ${String(base[p.name] ?? '-')} -> ${String(params[p.name] ?? '-')}`);
    out.push({ params, changes: changes.join(', '), index });
  });
  return out;
}
