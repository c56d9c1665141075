// Agreement statistics of predictions with measurements: Spearman rank correlation and median absolute
// percentage error.

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

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation (Pearson of the tie-averaged ranks); NaN below 2 points or for a constant side. */
export function spearman(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length) throw new RangeError('spearman: lengths differ');
  if (predicted.length < 2) return Number.NaN;
  return pearson(ranks(predicted), ranks(measured));
}

/** Median of |predicted - measured| / measured, as a fraction; NaN when empty. */
export function medianApe(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length) throw new RangeError('medianApe: lengths differ');
  const errors = predicted
    .map((p, i) => Math.abs(p - (measured[i] as number)) / (measured[i] as number))
    .sort((a, b) => a - b);
  if (errors.length === 0) return Number.NaN;
  const mid = Math.floor(errors.length / 2);
  return errors.length % 2 === 1
    ? (errors[mid] as number)
    : ((errors[mid - 1] as number) + (errors[mid] as number)) / 2;
}
