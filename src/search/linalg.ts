// Dense linear algebra for small symmetric positive-definite systems (row-major Float64Array).
import { InvalidArgumentError } from '../errors.js';

/** Lower-triangular Cholesky factor of an n x n SPD matrix, or undefined when it is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[rowI + k] as number) * (l[rowJ + k] as number);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[rowI + i] = Math.sqrt(sum);
      } else l[rowI + j] = sum / (l[rowJ + j] as number);
    }
  }
  return l;
}

/** Cholesky with growing diagonal jitter until it succeeds (GP kernels can be near-singular). */
export function choleskyWithJitter(a: Float64Array, n: number): { l: Float64Array; jitter: number } {
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const m = jitter === 0 ? a : a.slice();
    if (jitter > 0) for (let i = 0; i < n; i++) m[i * n + i] = (m[i * n + i] as number) + jitter;
    const l = cholesky(m, n);
    if (l !== undefined) return { l, jitter };
    jitter = jitter === 0 ? 1e-10 : jitter * 10;
  }
  throw new InvalidArgumentError(
    'a',
    `${n} x ${n} matrix`,
    'a symmetric positive-definite matrix (even with jitter)',
  );
}

/** Solves L x = b for lower-triangular L (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    const row = i * n;
    for (let k = 0; k < i; k++) sum -= (l[row + k] as number) * (x[k] as number);
    x[i] = sum / (l[row + i] as number);
  }
  return x;
}

/** Solves L^T x = b for lower-triangular L (back substitution). */
export function solveUpperT(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * n + i] as number);
  }
  return x;
}

/** Solves (L L^T) x = b. */
export function cholSolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(l, n, solveLower(l, n, b));
}

/** Inverse of L L^T from its Cholesky factor (symmetric, row-major). */
export function cholInverse(l: Float64Array, n: number): Float64Array {
  // Invert L (lower-triangular), then A^-1 = L^-T L^-1.
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / (l[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= (l[i * n + k] as number) * (li[k * n + j] as number);
      li[i * n + j] = sum / (l[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += (li[k * n + i] as number) * (li[k * n + j] as number);
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  return inv;
}
