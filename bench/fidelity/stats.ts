// Agreement statistics of predictions with measurements for the fidelity tables, on the shared helpers: NaN
// where there is nothing to tell (the tables print it as such).
import { medianApe as medianApeOf, rankCorrelation } from '../../src/util/agreement.js';

export { ranks } from '../../src/util/agreement.js';

/** Spearman rank correlation (Pearson of the tie-averaged ranks); NaN below 2 points or for a constant side. */
export function spearman(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length) throw new RangeError('spearman: lengths differ');
  return rankCorrelation(predicted, measured, 2) ?? Number.NaN;
}

/** Median of |predicted - measured| / measured, as a fraction; NaN when empty. */
export function medianApe(predicted: readonly number[], measured: readonly number[]): number {
  if (predicted.length !== measured.length) throw new RangeError('medianApe: lengths differ');
  return medianApeOf(predicted, measured) ?? Number.NaN;
}
