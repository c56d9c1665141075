import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/util/rng.js';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    const seqC = Array.from({ length: 20 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('forks independent but reproducible streams', () => {
    expect(createRng(1).fork('a').next()).toBe(createRng(1).fork('a').next());
    expect(createRng(1).fork('a').next()).not.toBe(createRng(1).fork('b').next());
  });

  it.each([
    ['normal', (r: ReturnType<typeof createRng>) => r.normal(), 0, 1],
    ['exponential(4)', (r: ReturnType<typeof createRng>) => r.exponential(4), 0.25, 0.0625],
    ['gamma(2, 3)', (r: ReturnType<typeof createRng>) => r.gamma(2, 3), 6, 18],
    ['gamma(0.5, 2)', (r: ReturnType<typeof createRng>) => r.gamma(0.5, 2), 1, 2],
  ])('%s has the expected mean and variance', (_name, draw, mean, variance) => {
    const rng = createRng(7);
    const n = 40_000;
    const xs = Array.from({ length: n }, () => draw(rng));
    const m = xs.reduce((s, x) => s + x, 0) / n;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
    expect(Math.abs(m - mean)).toBeLessThan(0.05 * Math.max(1, mean));
    expect(Math.abs(v - variance) / variance).toBeLessThan(0.08);
  });

  it('int covers the inclusive range', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(2, 5));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});
