// Pure GPU selection: filter by free memory / utilisation / busy ids, rank, pick a balanced set.

import { InvalidOptionError } from '../errors.js';
import type { GpuInfo } from './gpu-info.js';
import { checkMemoryBalance, type MemoryBalance } from './memory-balance.js';

/** Which GPUs may be used at all. */
export interface GpuFilter {
  /** Skip GPUs with less free memory (MiB). @default 0 */
  minFreeMemoryMiB?: number;
  /** Skip GPUs busier than this (percent); GPUs that report no utilisation pass. @default 100 */
  maxUtilizationPct?: number;
  /**
   * GPUs to skip, by index (number) or uuid (string). An index or a parent uuid also skips the
   * MIG instances of that GPU; an index matches that index on every host of a static inventory.
   * @default []
   */
  exclude?: readonly (number | string)[];
  /** Allow whole GPUs in MIG mode (only their MIG instances can run CUDA work). @default false */
  includeMigParents?: boolean;
}

/** A GPU the filter rejected and why. */
export interface RejectedGpu {
  gpu: GpuInfo;
  reason: string;
}

function validateFilter(filter: GpuFilter): void {
  const { minFreeMemoryMiB = 0, maxUtilizationPct = 100, exclude = [] } = filter;
  if (typeof minFreeMemoryMiB !== 'number' || !Number.isFinite(minFreeMemoryMiB) || minFreeMemoryMiB < 0) {
    throw new InvalidOptionError('minFreeMemoryMiB', minFreeMemoryMiB, 'a finite amount of MiB >= 0');
  }
  if (typeof maxUtilizationPct !== 'number' || !(maxUtilizationPct >= 0 && maxUtilizationPct <= 100)) {
    throw new InvalidOptionError('maxUtilizationPct', maxUtilizationPct, 'a percentage in [0, 100]');
  }
  if (!Array.isArray(exclude))
    throw new InvalidOptionError('exclude', exclude, 'an array of indexes or uuids');
  exclude.forEach((id, i) => {
    const okIndex = typeof id === 'number' && Number.isInteger(id) && id >= 0;
    const okUuid = typeof id === 'string' && id !== '';
    if (!okIndex && !okUuid) throw new InvalidOptionError(`exclude[${i}]`, id, 'a GPU index or uuid');
  });
}

/** Splits GPUs into those the filter keeps and those it rejects (with a reason each). */
export function filterGpus(
  gpus: readonly GpuInfo[],
  filter: GpuFilter = {},
): { kept: GpuInfo[]; rejected: RejectedGpu[] } {
  validateFilter(filter);
  const { minFreeMemoryMiB = 0, maxUtilizationPct = 100, exclude = [], includeMigParents = false } = filter;
  const excluded = new Set<number | string>(exclude);
  const kept: GpuInfo[] = [];
  const rejected: RejectedGpu[] = [];
  for (const gpu of gpus) {
    let reason: string | undefined;
    const parent = gpu.mig?.parentUuid;
    if (excluded.has(gpu.uuid) || excluded.has(gpu.index) || (parent !== undefined && excluded.has(parent))) {
      reason = 'excluded (busy)';
    } else if (gpu.migEnabled === true && !includeMigParents) reason = 'in MIG mode (use its MIG instances)';
    else if (gpu.memoryFreeMiB < minFreeMemoryMiB) {
      reason = `${gpu.memoryFreeMiB} MiB free < ${minFreeMemoryMiB} MiB`;
    } else if (gpu.utilizationPct !== undefined && gpu.utilizationPct > maxUtilizationPct) {
      reason = `${gpu.utilizationPct}% utilised > ${maxUtilizationPct}%`;
    }
    if (reason === undefined) kept.push(gpu);
    else rejected.push({ gpu, reason });
  }
  return { kept, rejected };
}

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

/** Options of selectGpus. */
export interface SelectGpusOptions extends GpuFilter {
  /** How many GPUs one engine needs (its world size). */
  count: number;
  /** Smallest min/max free-memory ratio of the chosen set (see checkMemoryBalance). @default 0.8 */
  minBalanceRatio?: number;
  /** Fail rather than return an unbalanced set. @default true */
  requireBalanced?: boolean;
}

/** Result of selectGpus: the chosen GPUs, or `ok: false` with the reason and what was chosen. */
export interface GpuSelection {
  ok: boolean;
  /** Chosen GPUs, best first; fewer than `count` when not enough passed the filter. */
  gpus: GpuInfo[];
  reason: string | undefined;
  /** Balance of the chosen set; undefined when no set of `count` could be formed. */
  balance: MemoryBalance | undefined;
  /** GPUs the filter rejected, each with a reason. */
  rejected: RejectedGpu[];
}

/** Filters, ranks and picks `count` GPUs for one engine (pure; no I/O). */
export function selectGpus(gpus: readonly GpuInfo[], options: SelectGpusOptions): GpuSelection {
  const { count, minBalanceRatio = 0.8, requireBalanced = true } = options;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new InvalidOptionError('count', count, 'a positive integer');
  }
  const { kept, rejected } = filterGpus(gpus, options);
  const ranked = rankGpus(kept);
  if (ranked.length < count) {
    const why = rejected.map((r) => `GPU ${r.gpu.index} (${r.gpu.uuid}): ${r.reason}`).join('; ');
    return {
      ok: false,
      gpus: ranked,
      reason: `need ${count} GPUs, only ${ranked.length} of ${gpus.length} qualify${why ? `; ${why}` : ''}`,
      balance: undefined,
      rejected,
    };
  }
  const { gpus: chosen, balance } = pickGpuSet(ranked, count, minBalanceRatio);
  if (!balance.ok && requireBalanced) {
    return {
      ok: false,
      gpus: chosen,
      reason: `no balanced set of ${count}: ${balance.reason}`,
      balance,
      rejected,
    };
  }
  return { ok: true, gpus: chosen, reason: undefined, balance, rejected };
}
