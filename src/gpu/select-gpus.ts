// Pure GPU selection: filter by free memory / utilisation / busy ids, rank, pick a balanced set.

import { InvalidOptionError } from '../errors.js';
import type { GpuInfo } from './gpu-info.js';
import { chooseGpuSet, type PlacementOptions, placementCapacity } from './gpu-placement.js';
import type { MemoryBalance } from './memory-balance.js';

// Ranking and set picking live with the placement rules; re-exported beside the selection that uses them.
export { pickGpuSet, rankGpus } from './gpu-placement.js';

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

/** Options of selectGpus. */
export interface SelectGpusOptions extends GpuFilter, PlacementOptions {
  /** How many GPUs one engine needs (its world size). */
  count: number;
  /** Fail rather than return an unbalanced set. @default true */
  requireBalanced?: boolean;
}

/** Result of selectGpus: the chosen GPUs, or `ok: false` with the reason and what was chosen. */
export interface GpuSelection {
  ok: boolean;
  /** Chosen GPUs, best first; empty when no set of `count` could be formed. */
  gpus: GpuInfo[];
  reason: string | undefined;
  /** Balance of the chosen set; undefined when no set of `count` could be formed. */
  balance: MemoryBalance | undefined;
  /** GPUs the filter rejected, each with a reason. */
  rejected: RejectedGpu[];
}

/**
 * Filters, ranks and picks `count` GPUs for one engine (pure; no I/O): one host unless sameHost is
 * false, whole GPUs only when count > 1, a balanced set unless requireBalanced is false.
 */
export function selectGpus(gpus: readonly GpuInfo[], options: SelectGpusOptions): GpuSelection {
  const { count, minBalanceRatio = 0.8, sameHost = true, requireBalanced = true } = options;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new InvalidOptionError('count', count, 'a positive integer');
  }
  const { kept, rejected } = filterGpus(gpus, options);
  const choice = chooseGpuSet(kept, count, { minBalanceRatio, sameHost });
  if (!choice) {
    const fit = placementCapacity(kept, count, sameHost);
    const why = rejected.map((r) => `GPU ${r.gpu.index} (${r.gpu.uuid}): ${r.reason}`).join('; ');
    const placement = fit < kept.length ? ` (at most ${fit} on one host as whole GPUs)` : '';
    return {
      ok: false,
      gpus: [],
      reason: `need ${count} GPUs, only ${kept.length} of ${gpus.length} qualify${placement}${why ? `; ${why}` : ''}`,
      balance: undefined,
      rejected,
    };
  }
  if (!choice.balance.ok && requireBalanced) {
    const reason = `no balanced set of ${count}: ${choice.balance.reason}`;
    return { ok: false, gpus: choice.gpus, reason, balance: choice.balance, rejected };
  }
  return { ok: true, gpus: choice.gpus, reason: undefined, balance: choice.balance, rejected };
}
