// SLO repair: while no trial meets the SLO with a margin, move the least violating configuration along the
// parameters whose `lowers` hints say they bring the broken latency metrics down, as an engineer would.
import type { ParamDef, RangeParam, SearchSpace } from './param-spec.js';
import { isSizeParam, snapRangeValue, sortedNumericValues } from './param-values.js';
import { isParamActive, paramsKey, spaceViolations } from './space-checks.js';
import { isFeasibleTrial, type Params, type ParamValue, type Trial } from './trial.js';

/** Relative headroom below each SLO bound a trial needs before repair stops (measurements are noisy). */
export const REPAIR_MARGIN = 0.15;

/** Share of a range's (log) width one repair step moves a range parameter. */
const RANGE_STEP = 0.25;

/** Hurting a metric costs nothing while its headroom exceeds this share of the bound. */
const SAFE_HEADROOM = 0.25;

/** Pressure of a complete trial: how far its constraints are from holding with the margin (0 = clear). */
function pressure(trial: Trial, margin: number): number {
  let total = 0;
  for (const c of trial.constraints ?? []) {
    if (!Number.isFinite(c)) return Number.POSITIVE_INFINITY;
    total += Math.max(0, c + margin);
  }
  return total;
}

/** True when some complete trial meets every constraint with the margin to spare. */
export function clearlyFeasible(history: readonly Trial[], margin = REPAIR_MARGIN): boolean {
  return history.some(
    (t) =>
      t.state === 'complete' &&
      (t.values ?? []).every(Number.isFinite) &&
      (t.constraints ?? []).every((c) => c <= -margin),
  );
}

// The values of a parameter in their natural order (numbers ascending, false before true); undefined for
// unordered categories and continuous ranges.
function orderedValues(param: ParamDef): readonly ParamValue[] | undefined {
  return param.kind === 'bool' ? [false, true] : sortedNumericValues(param);
}

const toScale = (p: RangeParam, x: number): number => (p.log ? Math.log(x) : x);
const fromScale = (p: RangeParam, u: number): number => (p.log ? Math.exp(u) : u);

/** Position of a value along the parameter's order (unordered categories: undefined). */
function position(param: ParamDef, value: ParamValue): number | undefined {
  if (param.kind === 'int' || param.kind === 'float') return toScale(param, value as number);
  const ordered = orderedValues(param);
  return ordered ? ordered.indexOf(value) : undefined;
}

/** `steps` repair steps from `value` toward `target` (the target itself for unordered categories). */
function stepToward(param: ParamDef, value: ParamValue, target: ParamValue, steps: number): ParamValue {
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

/** A move of one parameter toward a hinted value, with its net benefit for the pressured metrics. */
interface Move {
  param: ParamDef;
  target: ParamValue;
  score: number;
}

// Effect of moving a parameter from `value` toward `target` on a metric whose hinted value is `goal`:
// 1 helps, -1 hurts, 0 neither (unordered categories between two values that are not the goal).
function effect(param: ParamDef, value: ParamValue, target: ParamValue, goal: ParamValue): number {
  const here = position(param, value);
  const there = position(param, target);
  const aim = position(param, goal);
  if (here === undefined || there === undefined || aim === undefined)
    return goal === target ? 1 : goal === value ? -1 : 0;
  if (aim === here) return -1;
  return Math.sign(there - here) === Math.sign(aim - here) ? 1 : -1;
}

// Net benefit of moving a parameter from `value` toward `target` for the pressured metrics: each pressured
// metric counts its pressure for or against; a metric with headroom only costs when hurt while its headroom is
// thin. `helps` says whether the move helps some pressured metric.
function moveScore(
  param: ParamDef,
  value: ParamValue,
  target: ParamValue,
  need: ReadonlyMap<string, number>,
): { score: number; helps: boolean } {
  const lowers = param.lowers ?? {};
  let score = 0;
  let helps = false;
  for (const [metric, w] of need) {
    const goal = lowers[metric];
    if (goal === undefined) continue;
    const e = effect(param, value, target, goal);
    if (w > 0) {
      score += e * w;
      if (e > 0) helps = true;
    } else if (e < 0) score -= Math.max(0, SAFE_HEADROOM + w);
  }
  return { score, helps };
}

// For one parameter at `value`, the best move toward one of its hinted values, when it helps on balance.
function bestMove(param: ParamDef, value: ParamValue, need: ReadonlyMap<string, number>): Move | undefined {
  let best: Move | undefined;
  for (const target of new Set(Object.values(param.lowers ?? {}))) {
    if (target === value) continue;
    const { score, helps } = moveScore(param, value, target, need);
    if (helps && score > 0 && (best === undefined || score > best.score)) best = { param, target, score };
  }
  return best;
}

/** True when the trial's telemetry says its KV cache ran full: saturated for long, or requests preempted. */
function kvPressured(trial: Trial): boolean {
  const s = trial.signals;
  return s !== undefined && (s.kvSaturated === true || (s.preemptions ?? 0) > 0);
}

// Moves along the `kv` hints (parameters that relieve KV-cache pressure), the least harmful to the pressured
// latency metrics first.
function kvMoves(space: SearchSpace, base: Params, need: ReadonlyMap<string, number>): Move[] {
  const moves: Move[] = [];
  for (const param of space.params) {
    const value = base[param.name];
    const target = param.lowers?.['kv'];
    if (value === undefined || target === undefined || target === value) continue;
    moves.push({ param, target, score: moveScore(param, value, target, need).score });
  }
  return moves.sort((a, b) => b.score - a.score);
}

// Drops parameters whose condition no longer holds and gives newly active ones their default (else the
// first value of the domain).
function completeParams(space: SearchSpace, params: Params): Params {
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

/** One repair configuration: the trial it starts from and what it changes, in words. */
export interface RepairProposal {
  params: Params;
  /** Number of the trial the repair moves from. */
  anchor: number;
  /**
   * e.g. `SLO repair of trial 0 (tpot 55% over the SLO): tensor-parallel-size 1 -> 2, ...`; a move chosen for
   * the anchor's telemetry says so (`..., KV cache >= 95% for 70% of the run: relieving the KV cache first)`).
   */
  note: string;
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Repair configurations, most promising first, while no complete trial meets the SLO with `margin` to spare.
 * The anchor is the complete trial closest to meeting every constraint; each metric's pressure is its worst
 * constraint value plus the margin. Every hinted parameter whose move helps the pressured metrics on balance
 * moves: first all of them one step, then each alone, then all of them two steps. Configurations already in
 * `taken` (keys of the history and of this ask's picks) or outside the space are left out. When the anchor's
 * signals say its KV cache ran full (saturated, or requests preempted), moves along the `kv` hints come first:
 * each alone, then together. Empty when nothing needs repair, no constraint names a metric, or no hint helps.
 */
export function repairCandidates(
  space: SearchSpace,
  history: readonly Trial[],
  constraintMetrics: readonly (string | undefined)[],
  taken: ReadonlySet<string>,
  margin = REPAIR_MARGIN,
): RepairProposal[] {
  if (constraintMetrics.every((m) => m === undefined) || clearlyFeasible(history, margin)) return [];
  // Configurations that meet the SLO by less than the margin earn one repair step, not a search.
  if (history.filter(isFeasibleTrial).length >= 2) return [];
  let anchor: Trial | undefined;
  let anchorPressure = Number.POSITIVE_INFINITY;
  for (const t of history) {
    if (t.state !== 'complete' || (t.constraints ?? []).length === 0) continue;
    const p = pressure(t, margin);
    if (p < anchorPressure || (p === anchorPressure && anchor !== undefined && t.number < anchor.number)) {
      anchor = t;
      anchorPressure = p;
    }
  }
  if (anchor === undefined || !Number.isFinite(anchorPressure)) return [];
  const need = new Map<string, number>();
  (anchor.constraints ?? []).forEach((c, i) => {
    const metric = constraintMetrics[i];
    if (metric === undefined) return;
    need.set(metric, Math.max(need.get(metric) ?? Number.NEGATIVE_INFINITY, c + margin));
  });
  const moves: Move[] = [];
  for (const param of space.params) {
    const value = anchor.params[param.name];
    if (value === undefined || param.lowers === undefined) continue;
    const move = bestMove(param, value, need);
    if (move) moves.push(move);
  }
  moves.sort((a, b) => b.score - a.score);
  const base = anchor.params;
  const relief = kvPressured(anchor) ? kvMoves(space, base, need) : [];
  if (moves.length === 0 && relief.length === 0) return [];
  const moved = (subset: readonly Move[], steps: number): Params => {
    const next: Params = { ...base };
    for (const m of subset)
      next[m.param.name] = stepToward(m.param, base[m.param.name] as ParamValue, m.target, steps);
    return completeParams(space, next);
  };
  const reliefProposals = [
    ...relief.map((m) => moved([m], 1)),
    ...(relief.length > 1 ? [moved(relief, 1)] : []),
  ];
  const proposals = [
    ...reliefProposals,
    ...(moves.length > 0
      ? [moved(moves, 1), ...(moves.length > 1 ? moves.map((m) => moved([m], 1)) : []), moved(moves, 2)]
      : []),
  ];
  // What the anchor breaks (or meets too narrowly), for the notes.
  const why = [...need]
    .filter(([, w]) => w > 0)
    .map(([metric, w]) => {
      const over = w - margin;
      return over > 0 ? `${metric} ${percent(over)} over` : `${metric} only ${percent(-over)} under`;
    })
    .join(', ');
  const from = anchor.number;
  const evidence = anchor.signals?.evidence ?? 'KV cache ran full';
  return distinctMoves(space, base, proposals, taken).map(({ params, changes, index }) => {
    const reason =
      index < reliefProposals.length
        ? `${why} the SLO, ${evidence}: relieving the KV cache first`
        : `${why} the SLO`;
    return { params, anchor: from, note: `SLO repair of trial ${from} (${reason}): ${changes}` };
  });
}

/**
 * The proposals that are new (not in `taken`, not proposed before) and inside the space, each with its changes
 * from `base` in words (`tensor-parallel-size 1 -> 2`) and its index among the proposals.
 */
function distinctMoves(
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

/** Failure reasons of a configuration that ran out of GPU memory at start-up. */
const MEMORY_FAILURES = new Set(['oom', 'kv-too-small']);

/** A configuration moved along memory hints, and its changes in words (`tensor-parallel-size 1 -> 2`). */
export interface MemoryMove {
  params: Params;
  changes: string;
  /** The move changes a size (GPUs per replica, memory share), not only a switch. */
  size: boolean;
}

/**
 * `base` moved one step along each parameter whose `memory` hint says it lowers the memory needed per GPU
 * (more GPUs per replica, a larger memory share) alone, then along all of them together, then each switch that
 * frees memory (CUDA graphs off, a compact KV type) alone. Configurations in `taken` or outside the space are
 * left out.
 */
export function memoryMoves(space: SearchSpace, base: Params, taken: ReadonlySet<string>): MemoryMove[] {
  const moves: { param: ParamDef; target: ParamValue }[] = [];
  for (const param of space.params) {
    const value = base[param.name];
    const target = param.lowers?.['memory'];
    if (value === undefined || target === undefined || target === value) continue;
    moves.push({ param, target });
  }
  const moved = (subset: typeof moves): Params => {
    const next: Params = { ...base };
    for (const m of subset)
      next[m.param.name] = stepToward(m.param, base[m.param.name] as ParamValue, m.target, 1);
    return completeParams(space, next);
  };
  // Sizes (GPUs per replica, memory share) free memory in large steps; switches (CUDA graphs off, a compact KV
  // type) free a little: they come after the sizes, alone and together, have been tried.
  const sizes = moves.filter((m) => isSizeParam(m.param));
  const switches = moves.filter((m) => !sizes.includes(m));
  const sized = [...sizes.map((m) => moved([m])), ...(sizes.length > 1 ? [moved(sizes)] : [])];
  const proposals = [...sized, ...switches.map((m) => moved([m]))];
  return distinctMoves(space, base, proposals, taken).map(({ params, changes, index }) => ({
    params,
    changes,
    size: index < sized.length,
  }));
}

/**
 * Out-of-memory repair, while no trial has started: the latest configuration that ran out of memory (`failed`),
 * or that a model of the engine predicted would and so was never launched (`invalid`, screened), moves along its
 * memory hints (see memoryMoves), as an engineer would after an OOM at start-up. Empty when a trial started,
 * none ran out of memory or no hint applies.
 */
export function memoryRepairCandidates(
  space: SearchSpace,
  history: readonly Trial[],
  taken: ReadonlySet<string>,
): RepairProposal[] {
  if (history.some((t) => t.state === 'complete')) return [];
  const anchor = [...history]
    .reverse()
    .find(
      (t) => (t.state === 'failed' || t.state === 'invalid') && MEMORY_FAILURES.has(t.failureReason ?? ''),
    );
  if (anchor === undefined) return [];
  const why =
    anchor.state === 'failed' ? 'out of memory at start-up' : 'predicted out of memory, not launched';
  return memoryMoves(space, anchor.params, taken).map((m) => ({
    params: m.params,
    anchor: anchor.number,
    note: `memory repair of trial ${anchor.number} (${why}): ${m.changes}`,
  }));
}
