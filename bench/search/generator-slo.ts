// SLO thresholds of a generated problem, calibrated on its exhaustive table to a target feasible share.
import type { Rng } from '../../src/util/rng.js';

/** Latency percentiles an SLO term may bound (p99 of each). */
export type SloMetric = 'ttft' | 'tpot' | 'e2e';

/** p99 latencies of one configuration that starts, in ms (Infinity when an open loop saturates). */
export type LatencyRow = Record<SloMetric, number>;

/** Rounds up to 3 significant digits, so a rounded threshold never excludes the calibrating point. */
export function ceil3(x: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 2);
  return Number((Math.ceil(x / unit) * unit).toPrecision(3));
}

/** Configurations of `rows` that meet every threshold. */
export function countFeasible(rows: readonly LatencyRow[], slo: Partial<LatencyRow>): number {
  let count = 0;
  for (const row of rows) {
    let ok = true;
    for (const [metric, threshold] of Object.entries(slo) as [SloMetric, number][])
      if (!(row[metric] <= threshold)) ok = false;
    if (ok) count++;
  }
  return count;
}

/**
 * Thresholds of the `metrics` that leave about `target` rows feasible (at least one). Each term sits at quantile
 * s^w of its metric over the rows (a random w in [0.25, 1] per term, so terms bind unevenly); bisection finds
 * the smallest s that reaches the target (the count grows with s), and the s just below it is taken instead
 * when its count is nearer the target by ratio (configurations with equal latencies move together).
 */
export function calibrateSlo(
  rows: readonly LatencyRow[],
  metrics: readonly SloMetric[],
  target: number,
  rng: Rng,
): Partial<LatencyRow> {
  const sorted = new Map<SloMetric, number[]>();
  for (const m of metrics)
    sorted.set(
      m,
      rows
        .map((r) => r[m])
        .filter(Number.isFinite)
        .sort((a, b) => a - b),
    );
  const weights = metrics.map((_, i) => (i === 0 ? 1 : 0.25 + 0.75 * rng.next()));
  const at = (s: number): Partial<LatencyRow> => {
    const slo: Partial<LatencyRow> = {};
    metrics.forEach((m, i) => {
      const values = sorted.get(m) as number[];
      const q = s ** (weights[i] as number);
      slo[m] = ceil3(values[Math.min(values.length - 1, Math.floor(q * values.length))] as number);
    });
    return slo;
  };
  let lo = 0;
  let hi = 1;
  if (countFeasible(rows, at(hi)) < target) return at(hi);
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (countFeasible(rows, at(mid)) >= target) hi = mid;
    else lo = mid;
  }
  const above = countFeasible(rows, at(hi));
  const below = countFeasible(rows, at(lo));
  return below >= 1 && target / below < above / target ? at(lo) : at(hi);
}
