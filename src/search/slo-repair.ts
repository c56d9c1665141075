// SLO repair: while no trial meets the SLO with a margin, move the least violating configuration along the
// parameters whose `lowers` hints say they bring the broken latency metrics down, as an engineer would.
import type { ParamDef, SearchSpace } from './param-spec.js';
import { completeParams, distinctMoves, position, stepToward } from './repair-moves.js';
import { isFeasibleTrial, type Params, type ParamValue, type Trial } from './trial.js';

/** Relative headroom below each SLO bound a trial needs before repair stops (measurements are noisy). */
export const REPAIR_MARGIN = 0.15;

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
  /** What the move changes, in words (`max-num-seqs 32 -> 16, tensor-parallel-size 1 -> 2`). */
  changes: string;
}

/** A share as a whole percent in notes (`0.153` -> `15%`). */
export const percent = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Repair configurations, most promising first, while no complete trial meets the SLO with `margin` to spare.
 * The anchor is the complete trial closest to meeting every constraint (see `repairFrom` for the moves).
 * Empty when nothing needs repair, no constraint names a metric, or no hint helps.
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
  return repairFrom(space, anchor, constraintMetrics, taken, margin);
}

/**
 * Repair configurations of one complete trial, most promising first. Each metric's pressure is the anchor's
 * worst constraint value on it plus the margin. Every hinted parameter whose move helps the pressured metrics on
 * balance moves: first all of them one step, then each alone, then all of them two steps. Configurations already
 * in `taken` (keys of the history and of this ask's picks) or outside the space are left out. When the anchor's
 * signals say its KV cache ran full (saturated, or requests preempted), moves along the `kv` hints come first:
 * each alone, then together.
 */
export function repairFrom(
  space: SearchSpace,
  anchor: Trial,
  constraintMetrics: readonly (string | undefined)[],
  taken: ReadonlySet<string>,
  margin: number,
): RepairProposal[] {
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
    return { params, anchor: from, note: `SLO repair of trial ${from} (${reason}): ${changes}`, changes };
  });
}
