// checkMemoryBalance: the one rule deciding whether a set of GPUs has even enough free memory.

import { InvalidOptionError } from '../errors.js';

/** Outcome of a memory-balance check. */
export interface MemoryBalance {
  /** True when min/max free memory is at least the minimum ratio. */
  ok: boolean;
  /** min/max of the free memory; undefined when it cannot be computed ([] or all zero). */
  ratio: number | undefined;
  /** Why the set is (un)balanced, in words, with the figures. */
  reason: string;
}

const formatRatio = (ratio: number): string => String(Math.round(ratio * 1000) / 1000);

/**
 * Checks that GPUs meant to run one engine together have similar free memory: engines size their
 * caches from one fraction for every rank, so the GPU with the least free memory runs out first.
 * Balanced when min/max >= minRatio. An empty list and an all-zero list are unbalanced.
 * Throws InvalidOptionError for a negative or non-finite amount, or a ratio outside (0, 1].
 * @param freeMiB free memory per GPU in MiB
 * @param minRatio smallest acceptable min/max ratio; default 0.8
 */
export function checkMemoryBalance(freeMiB: readonly number[], minRatio = 0.8): MemoryBalance {
  if (!Array.isArray(freeMiB)) throw new InvalidOptionError('freeMiB', freeMiB, 'an array of MiB amounts');
  if (typeof minRatio !== 'number' || !(minRatio > 0 && minRatio <= 1)) {
    throw new InvalidOptionError('minRatio', minRatio, 'a number in (0, 1]');
  }
  freeMiB.forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(`freeMiB[${i}]`, value, 'a finite amount of MiB >= 0');
    }
  });
  if (freeMiB.length === 0) return { ok: false, ratio: undefined, reason: 'no GPUs to compare' };
  const min = Math.min(...freeMiB);
  const max = Math.max(...freeMiB);
  if (max === 0) return { ok: false, ratio: undefined, reason: 'every GPU has 0 MiB free' };
  const ratio = min / max;
  const figures = `min ${min} MiB / max ${max} MiB free = ${formatRatio(ratio)}`;
  return ratio >= minRatio
    ? { ok: true, ratio, reason: `balanced: ${figures} >= ${minRatio}` }
    : { ok: false, ratio, reason: `unbalanced: ${figures} < ${minRatio}` };
}
