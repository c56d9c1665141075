// Order statistics of trial counts, where Infinity stands for "not reached within the budget".

/** Quantile by linear interpolation of the sorted values (Infinity propagates). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return lo === hi ? a : Number.isFinite(a) ? b : a;
  return a + (b - a) * (pos - lo);
}

/** `median [q1-q3]`, with `>N` for values past the budget. */
export function formatSummary(values: readonly number[], budget: number): string {
  const f = (v: number): string =>
    Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : `>${budget}`;
  return `${f(quantile(values, 0.5))} [${f(quantile(values, 0.25))}-${f(quantile(values, 0.75))}]`;
}
