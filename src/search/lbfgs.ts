// A small limited-memory BFGS minimiser with backtracking line search (for GP hyper-parameters).

/** Objective value and gradient at a point. */
export type ValueAndGradient = (x: readonly number[]) => { value: number; gradient: number[] };

/** Options of minimizeLbfgs. */
export interface LbfgsOptions {
  /** Most objective evaluations. @default 50 */
  maxEvaluations?: number;
  /** Stop when the gradient's largest component falls below this. @default 1e-5 */
  gradientTolerance?: number;
  /** Correction pairs kept. @default 6 */
  memory?: number;
}

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

/** Minimises f from x0 and returns the best point seen (deterministic). */
export function minimizeLbfgs(
  f: ValueAndGradient,
  x0: readonly number[],
  options: LbfgsOptions = {},
): number[] {
  const maxEvaluations = options.maxEvaluations ?? 50;
  const tolerance = options.gradientTolerance ?? 1e-5;
  const memory = options.memory ?? 6;
  let x = [...x0];
  let current = f(x);
  let evaluations = 1;
  const s: number[][] = [];
  const y: number[][] = [];
  while (evaluations < maxEvaluations) {
    const g = current.gradient;
    if (!g.every(Number.isFinite) || Math.max(...g.map(Math.abs)) < tolerance) break;
    // Two-loop recursion for the search direction.
    const q = [...g];
    const alphas: number[] = [];
    for (let i = s.length - 1; i >= 0; i--) {
      const rho = 1 / dot(y[i] as number[], s[i] as number[]);
      const a = rho * dot(s[i] as number[], q);
      alphas[i] = a;
      for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) - a * ((y[i] as number[])[j] as number);
    }
    const last = s.length - 1;
    const gamma =
      last >= 0
        ? dot(s[last] as number[], y[last] as number[]) / dot(y[last] as number[], y[last] as number[])
        : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) * gamma;
    for (let i = 0; i < s.length; i++) {
      const rho = 1 / dot(y[i] as number[], s[i] as number[]);
      const b = rho * dot(y[i] as number[], q);
      for (let j = 0; j < q.length; j++)
        q[j] = (q[j] as number) + ((s[i] as number[])[j] as number) * ((alphas[i] as number) - b);
    }
    let direction = q.map((v) => -v);
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      direction = g.map((v) => -v);
      slope = -dot(g, g);
      s.length = 0;
      y.length = 0;
    }
    let step = 1;
    let accepted: { x: number[]; value: number; gradient: number[] } | undefined;
    while (evaluations < maxEvaluations) {
      const candidate = x.map((v, j) => v + step * (direction[j] as number));
      const result = f(candidate);
      evaluations++;
      if (Number.isFinite(result.value) && result.value <= current.value + 1e-4 * step * slope) {
        accepted = { x: candidate, ...result };
        break;
      }
      step *= 0.3;
      if (step < 1e-8) break;
    }
    if (accepted === undefined) break;
    const sk = accepted.x.map((v, j) => v - (x[j] as number));
    const yk = accepted.gradient.map((v, j) => v - (g[j] as number));
    if (dot(sk, yk) > 1e-12) {
      s.push(sk);
      y.push(yk);
      if (s.length > memory) {
        s.shift();
        y.shift();
      }
    }
    x = accepted.x;
    current = accepted;
  }
  return x;
}
