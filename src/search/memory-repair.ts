// Out-of-memory repair: a configuration that ran out of GPU memory at start-up (or was screened for it) moves
// along the parameters whose `memory` hints say they lower the memory a replica needs per GPU.
import type { ParamDef, SearchSpace } from './param-spec.js';
import { isSizeParam } from './param-values.js';
import { completeParams, distinctMoves, stepToward } from './repair-moves.js';
import type { RepairProposal } from './slo-repair.js';
import type { Params, ParamValue, Trial } from './trial.js';

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
    changes: m.changes,
  }));
}
