// Which GPUs may form one engine's set, and which such set is best: shared by selectGpus and GpuPool.

import type { GpuInfo } from './gpu-info.js';
import { checkMemoryBalance, type MemoryBalance } from './memory-balance.js';

/**
 * Orders GPUs best first: most free memory, then least utilised (unknown utilisation after known),
 * then lowest index, then uuid. Returns a new array.
 */
export function rankGpus(gpus: readonly GpuInfo[]): GpuInfo[] {
  return [...gpus].sort(
    (a, b) =>
      b.memoryFreeMiB - a.memoryFreeMiB ||
      (a.utilizationPct ?? Number.POSITIVE_INFINITY) - (b.utilizationPct ?? Number.POSITIVE_INFINITY) ||
      a.index - b.index ||
      (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0),
  );
}

/**
 * From GPUs already ranked best first, takes the best-ranked `count` consecutive GPUs whose free
 * memory is balanced; when no such window exists, the top `count` with their (failed) balance.
 */
export function pickGpuSet(
  ranked: readonly GpuInfo[],
  count: number,
  minBalanceRatio = 0.8,
): { gpus: GpuInfo[]; balance: MemoryBalance } {
  // Sorted by free memory, the most balanced sets of `count` are consecutive runs.
  for (let start = 0; start + count <= ranked.length; start++) {
    const window = ranked.slice(start, start + count);
    const balance = checkMemoryBalance(
      window.map((gpu) => gpu.memoryFreeMiB),
      minBalanceRatio,
    );
    if (balance.ok) return { gpus: window, balance };
  }
  const top = ranked.slice(0, count);
  return {
    gpus: top,
    balance: checkMemoryBalance(
      top.map((gpu) => gpu.memoryFreeMiB),
      minBalanceRatio,
    ),
  };
}

/** Options of the placement rules. */
export interface PlacementOptions {
  /** Smallest min/max free-memory ratio of a set (see checkMemoryBalance). @default 0.8 */
  minBalanceRatio?: number;
  /** Keep a set on one host (GpuInfo.host); false lets it span hosts (multi-node engines). @default true */
  sameHost?: boolean;
}

/**
 * Splits GPUs into groups a set of `count` may be drawn from without crossing: one group per host
 * (unless sameHost is false), and whole GPUs only when count > 1, because a CUDA process uses at
 * most one MIG instance.
 */
export function placementGroups(gpus: Iterable<GpuInfo>, count: number, sameHost = true): GpuInfo[][] {
  const groups = new Map<string, GpuInfo[]>();
  for (const gpu of gpus) {
    if (count > 1 && gpu.mig !== undefined) continue;
    const key = sameHost ? (gpu.host ?? '') : '';
    groups.set(key, [...(groups.get(key) ?? []), gpu]);
  }
  return [...groups.values()];
}

/** The largest set one engine could get from these GPUs (0 when none). */
export function placementCapacity(gpus: Iterable<GpuInfo>, count: number, sameHost = true): number {
  return Math.max(0, ...placementGroups(gpus, count, sameHost).map((group) => group.length));
}

/**
 * Chooses the best set of `count` GPUs: a balanced set first; then the group with the fewest GPUs
 * (best fit keeps large sets available elsewhere); then the most free memory on the emptiest GPU.
 * Undefined when no group holds `count` GPUs.
 */
export function chooseGpuSet(
  gpus: Iterable<GpuInfo>,
  count: number,
  options: PlacementOptions = {},
): { gpus: GpuInfo[]; balance: MemoryBalance } | undefined {
  const { minBalanceRatio = 0.8, sameHost = true } = options;
  let best: { gpus: GpuInfo[]; balance: MemoryBalance; groupSize: number; minFree: number } | undefined;
  for (const group of placementGroups(gpus, count, sameHost)) {
    if (group.length < count) continue;
    const pick = pickGpuSet(rankGpus(group), count, minBalanceRatio);
    const candidate = {
      ...pick,
      groupSize: group.length,
      minFree: Math.min(...pick.gpus.map((gpu) => gpu.memoryFreeMiB)),
    };
    const better =
      !best ||
      (candidate.balance.ok !== best.balance.ok
        ? candidate.balance.ok
        : candidate.groupSize !== best.groupSize
          ? candidate.groupSize < best.groupSize
          : candidate.minFree > best.minFree);
    if (better) best = candidate;
  }
  return best && { gpus: best.gpus, balance: best.balance };
}
