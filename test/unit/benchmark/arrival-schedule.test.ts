import { describe, expect, it } from 'vitest';
import { arrivalGapS, createArrivalSchedule, rampTimeS } from '../../../src/benchmark/arrival-schedule.js';
import type { RateLoad } from '../../../src/benchmark/load-spec.js';
import { createRng } from '../../../src/util/rng.js';

const N = 20_000;

function gapStats(load: RateLoad): { mean: number; variance: number } {
  const rng = createRng(7);
  const gaps = Array.from({ length: N }, (_, i) => arrivalGapS(load, rng, i + 1));
  const mean = gaps.reduce((a, b) => a + b, 0) / N;
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (N - 1);
  return { mean, variance };
}

describe('arrival schedules', () => {
  it.each([
    // [load, expected squared coefficient of variation of the gaps]
    [{ kind: 'rate', ratePerS: 10, arrival: 'poisson' } as RateLoad, 1],
    [{ kind: 'rate', ratePerS: 4, arrival: 'gamma', burstiness: 0.25 } as RateLoad, 4],
    [{ kind: 'rate', ratePerS: 4, arrival: 'gamma', burstiness: 4 } as RateLoad, 0.25],
    [{ kind: 'rate', ratePerS: 50, arrival: 'constant' } as RateLoad, 0],
  ])('%o has mean gap 1/rate and CV^2 %s', (load, cv2) => {
    const { mean, variance } = gapStats(load);
    expect(mean).toBeCloseTo(1 / load.ratePerS, 2);
    expect(Math.abs(mean * load.ratePerS - 1)).toBeLessThan(0.05);
    expect(Math.abs(variance / mean ** 2 - cv2)).toBeLessThan(0.1 * Math.max(cv2, 1));
  });

  it('Poisson counts per window have variance equal to their mean', () => {
    const schedule = createArrivalSchedule({ kind: 'rate', ratePerS: 20 }, createRng(1));
    const windows = new Array<number>(500).fill(0);
    for (let i = 0; ; i++) {
      const w = Math.floor(schedule(i) / 1000);
      if (w >= windows.length) break;
      windows[w] = (windows[w] ?? 0) + 1;
    }
    const mean = windows.reduce((a, b) => a + b, 0) / windows.length;
    const variance = windows.reduce((a, c) => a + (c - mean) ** 2, 0) / (windows.length - 1);
    expect(mean).toBeGreaterThan(19);
    expect(mean).toBeLessThan(21);
    expect(variance / mean).toBeGreaterThan(0.8);
    expect(variance / mean).toBeLessThan(1.2);
  });

  it('is a pure function of the index and the seed', () => {
    const load: RateLoad = { kind: 'rate', ratePerS: 5, arrival: 'gamma', burstiness: 0.5 };
    const a = createArrivalSchedule(load, createRng(9));
    const b = createArrivalSchedule(load, createRng(9));
    expect(a(0)).toBe(0);
    expect(b(40)).toBe(a(40));
    expect(a(10)).toBe(b(10));
    expect(createArrivalSchedule(load, createRng(10))(40)).not.toBe(a(40));
  });

  it.each([
    [0, 10, 0],
    [2.5, 10, Math.sqrt(50)],
    [5, 10, 10],
    [8, 10, 13],
    [3, 0, 3],
  ])('rampTimeS(%s, %s) = %s', (s, ramp, t) => {
    expect(rampTimeS(s, ramp)).toBeCloseTo(t, 9);
  });

  it('a linear ramp halves the arrivals of its first seconds', () => {
    const schedule = createArrivalSchedule(
      { kind: 'rate', ratePerS: 10, arrival: 'constant', rampUpMs: 10_000 },
      createRng(1),
    );
    let inRamp = 0;
    for (let i = 0; schedule(i) < 10_000; i++) inRamp++;
    // Expected arrivals during the ramp: rate * T / 2 = 50.
    expect(inRamp).toBeGreaterThanOrEqual(50);
    expect(inRamp).toBeLessThanOrEqual(51);
  });
});
