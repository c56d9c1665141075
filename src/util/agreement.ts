// Agreement of predictions with measurements: ranks, Spearman's rank correlation, medians and the median
// absolute percentage error. Shared by a study's calibration and the fidelity benchmark.

/** Ranks from 1, ties sharing their mean rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.value === order[i]?.value) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[(order[k] as { index: number }).index] = mean;
    i = j + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation (Pearson's on tie-averaged ranks); undefined for lists of different lengths, under
 * `minPairs` pairs, or when one side has no spread.
 */
export function rankCorrelation(
  a: readonly number[],
  b: readonly number[],
  minPairs = 3,
): number | undefined {
  if (a.length !== b.length || a.length < minPairs) return undefined;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    const x = (ra[i] as number) - mean;
    const y = (rb[i] as number) - mean;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da === 0 || db === 0 ? undefined : num / Math.sqrt(da * db);
}

/** The median, or undefined for no values. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median of |predicted - measured| / measured, as a fraction; undefined when empty. */
export function medianApe(predicted: readonly number[], measured: readonly number[]): number | undefined {
  return median(predicted.map((p, i) => Math.abs(p - (measured[i] as number)) / (measured[i] as number)));
}
