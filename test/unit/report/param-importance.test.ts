import { describe, expect, it } from 'vitest';
import { paramImportance } from '../../../src/report/param-importance.js';
import { createRng } from '../../../src/util/rng.js';
import { failedTrial, trial } from './report-fixtures.js';

// Objective driven by `strong` (numeric), a little by `flag`, not at all by `noise`.
function trials(count: number) {
  const rng = createRng(5);
  return Array.from({ length: count }, (_, i) => {
    const strong = Math.floor(rng.next() * 64) + 1;
    const flag = rng.next() < 0.5;
    const noise = ['a', 'b', 'c'][Math.floor(rng.next() * 3)] as string;
    return trial(i, { strong, flag, noise }, 1000 + strong * 50 + (flag ? 100 : 0) + rng.next() * 20);
  });
}

describe('paramImportance', () => {
  it('ranks the parameter that drives the objective first and a noise parameter near zero', () => {
    const result = paramImportance(trials(80));
    expect(result.map((r) => r.name)).toEqual(['strong', 'flag', 'noise']);
    expect(result[0]?.importance).toBeGreaterThan(0.8);
    expect(result[0]?.groups).toBe(5);
    expect(result[2]?.importance).toBeLessThan(0.05);
  });

  it.each([0, 1, 3])('needs at least 4 measured trials (%i given)', (count) => {
    expect(paramImportance(trials(count))).toEqual([]);
  });

  it('ignores failed trials and confirmation runs', () => {
    const base = trials(10);
    const extra = [
      failedTrial(10, { strong: 1, flag: true, noise: 'a' }, 'oom'),
      { ...trial(11, { strong: 1 }, 1e9), phase: 'confirm' as const },
    ];
    expect(paramImportance([...base, ...extra])).toEqual(paramImportance(base));
  });

  it('keeps every estimate in [0, 1]', () => {
    for (const r of paramImportance(trials(12))) {
      expect(r.importance).toBeGreaterThanOrEqual(0);
      expect(r.importance).toBeLessThanOrEqual(1);
    }
  });
});
