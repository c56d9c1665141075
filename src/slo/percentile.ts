// Percentiles of a sample by linear interpolation between closest ranks (NumPy's default method).

/**
 * The `q`-th percentile (0..100) of `values` by linear interpolation between the closest ranks, the
 * method NumPy uses by default (and vLLM's benchmark with it); `undefined` for an empty sample.
 */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (Math.min(Math.max(q, 0), 100) / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/** Arithmetic mean; `undefined` for an empty sample. */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Value of a statistic name (`mean`, `p50`, `p99.9`, ...) over a sample; `undefined` when empty or unknown. */
export function statistic(values: readonly number[], stat: string): number | undefined {
  if (stat === 'mean') return mean(values);
  const match = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (!match) return undefined;
  return percentile(values, Number(match[1]));
}
