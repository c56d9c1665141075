// Three classic test functions with categorical dimensions, shifted so their optima are positive.
import { type Problem, problem } from './problem.js';

function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const H3_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.03815, 0.5743, 0.8828],
];
const H3_C = [1, 1.2, 3, 3.2];

function hartmann3(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 3; j++)
      inner += (H3_A[i]?.[j] as number) * ((x[j] as number) - (H3_P[i]?.[j] as number)) ** 2;
    sum += (H3_C[i] as number) * Math.exp(-inner);
  }
  return -sum;
}

function rosenbrock(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length - 1; i++)
    sum += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return sum;
}

/** Branin, Hartmann-3 and Rosenbrock-3, each with a categorical that rescales or shifts the surface. */
export function syntheticProblems(): Problem[] {
  const variants: Record<string, [number, number]> = { a: [1, 1], b: [1.3, 0.5], c: [0.8, 2] };
  return [
    problem(
      'branin+categorical',
      {
        x1: { low: -5, high: 10, step: 0.25 },
        x2: { low: 0, high: 15, step: 0.25 },
        variant: ['a', 'b', 'c'],
      },
      false,
      0,
      (p) => {
        const [scale, offset] = variants[p.variant as string] as [number, number];
        return {
          ok: true,
          objective: scale * branin(p.x1 as number, p.x2 as number) + offset,
          constraints: [],
        };
      },
    ),
    problem(
      'hartmann3+categorical',
      {
        x1: { low: 0, high: 1, step: 0.05 },
        x2: { low: 0, high: 1, step: 0.05 },
        x3: { low: 0, high: 1, step: 0.05 },
        mode: ['plain', 'damped'],
      },
      false,
      0,
      (p) => {
        const h = hartmann3([p.x1 as number, p.x2 as number, p.x3 as number]);
        return { ok: true, objective: 5 + (p.mode === 'plain' ? h : 0.9 * h), constraints: [] };
      },
    ),
    problem(
      'rosenbrock3+categorical',
      {
        x1: { low: -2, high: 2, step: 0.25 },
        x2: { low: -2, high: 2, step: 0.25 },
        x3: { low: -2, high: 2, step: 0.25 },
        weight: ['light', 'heavy'],
      },
      false,
      0,
      (p) => {
        const r = rosenbrock([p.x1 as number, p.x2 as number, p.x3 as number]);
        return { ok: true, objective: 1 + (p.weight === 'light' ? r / 100 : r / 50), constraints: [] };
      },
    ),
  ];
}
