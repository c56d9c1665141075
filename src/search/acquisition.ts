// Acquisition numerics: normal distribution helpers, log expected improvement, probability of feasibility.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function (Chebyshev fit, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal density. */
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** Standard normal distribution function. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** log of the standard normal distribution function, accurate far into the lower tail. */
export function logNormCdf(z: number): number {
  if (z > -6) return Math.log(Math.max(normCdf(z), 1e-300));
  // Mills-ratio expansion: Phi(z) ~ phi(z)/|z| (1 - 1/z^2 + 3/z^4 - 15/z^6).
  const z2 = z * z;
  return -0.5 * z2 - LOG_SQRT_2PI - Math.log(-z) + Math.log(1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
}

/** log(phi(z) + z Phi(z)): the log of expected improvement per unit of standard deviation. */
export function logH(z: number): number {
  if (z > -5) return Math.log(Math.max(normPdf(z) + z * normCdf(z), 1e-300));
  // For very negative z: h(z) = phi(z) (1/z^2 - 3/z^4 + 15/z^6 - 105/z^8 ...).
  const z2 = z * z;
  const series = 1 / z2 - 3 / (z2 * z2) + 15 / (z2 * z2 * z2) - 105 / (z2 * z2 * z2 * z2);
  return -0.5 * z2 - LOG_SQRT_2PI + Math.log(series);
}

/** log expected improvement below `best` of a normal posterior (mean, variance), for minimisation. */
export function logExpectedImprovement(mean: number, variance: number, best: number): number {
  const sigma = Math.sqrt(Math.max(variance, 1e-18));
  return logH((best - mean) / sigma) + Math.log(sigma);
}

/** Expected improvement below `best` (minimisation). */
export function expectedImprovement(mean: number, variance: number, best: number): number {
  return Math.exp(logExpectedImprovement(mean, variance, best));
}

/** log probability that a normal posterior lies at or below zero (a constraint `c <= 0` holds). */
export function logProbabilityFeasible(mean: number, variance: number): number {
  const sigma = Math.sqrt(Math.max(variance, 1e-18));
  return logNormCdf(-mean / sigma);
}

/** Inverse of the standard normal distribution function, for p in (0, 1) (bisection on normCdf). */
export function normQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Rank-based normal scores of `values` (ties share the mean rank): a monotone warping that keeps the
 * order, so the minimiser is unchanged, while outliers such as saturated latencies stop dominating.
 */
export function normalScores(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const scores = new Array<number>(n).fill(0);
  for (let start = 0; start < n; ) {
    let end = start;
    while (
      end + 1 < n &&
      (order[end + 1] as readonly [number, number])[0] === (order[start] as readonly [number, number])[0]
    )
      end++;
    const rank = (start + end) / 2;
    const z = normQuantile((rank + 0.5) / n);
    for (let k = start; k <= end; k++) scores[(order[k] as readonly [number, number])[1]] = z;
    start = end + 1;
  }
  return scores;
}
