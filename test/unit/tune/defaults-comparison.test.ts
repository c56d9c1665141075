import { describe, expect, it } from 'vitest';
import { compareSamples, compareWithDefaults } from '../../../src/tune/defaults-comparison.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

describe('compareSamples: the gain over the defaults with a Welch interval', () => {
  it('a clear gain is better beyond noise, with the interval worked out by hand', () => {
    // Means 110 and 100, sd 2 and 1 over 3 runs each: se = sqrt(4/3 + 1/3) = 1.291; Welch df = 2.94,
    // t(0.975, 2.94) = 3.219; half width 4.155 on a difference of 10, i.e. +5.8 % to +14.2 %.
    const result = compareSamples([110, 112, 108], [100, 101, 99], 'maximize');
    expect(result.verdict).toBe('better');
    expect(result.improvement).toBeCloseTo(0.1, 12);
    expect(result.interval?.low).toBeCloseTo(0.0584, 3);
    expect(result.interval?.high).toBeCloseTo(0.1416, 3);
    expect(result.interval?.confidence).toBe(0.95);
  });

  it('a small lead inside the runs own spread is within noise', () => {
    const result = compareSamples([101, 97, 103], [100, 102, 98], 'maximize');
    expect(result.verdict).toBe('within-noise');
    expect(result.improvement).toBeCloseTo(0.00333, 4);
    expect(result.interval?.low).toBeLessThan(0);
    expect(result.interval?.high).toBeGreaterThan(0);
  });

  it('the same 10 % gain is within noise when the runs scatter widely', () => {
    expect(compareSamples([95, 125, 110], [85, 115, 100], 'maximize').verdict).toBe('within-noise');
  });

  it('a configuration measured steadily below the defaults is worse', () => {
    const result = compareSamples([95, 96, 94], [100, 101, 99], 'maximize');
    expect(result.verdict).toBe('worse');
    expect(result.interval?.high).toBeLessThan(0);
  });

  it('reads a minimised objective in its own direction (lower latency is a gain)', () => {
    const result = compareSamples([50, 52], [60, 61], 'minimize');
    expect(result.improvement).toBeCloseTo(9.5 / 60.5, 12);
    expect(result.verdict).toBe('better');
  });

  it('single runs give a change but no interval and no verdict beyond unconfirmed', () => {
    expect(compareSamples([104.3], [100], 'maximize')).toEqual({
      improvement: expect.closeTo(0.043, 10),
      interval: undefined,
      verdict: 'unconfirmed',
    });
    expect(compareSamples([104, 106], [100], 'maximize').verdict).toBe('unconfirmed');
  });

  it('runs without spread (a deterministic evaluator) leave a point interval', () => {
    expect(compareSamples([105, 105], [100, 100], 'maximize')).toMatchObject({
      verdict: 'better',
      interval: { low: 0.05, high: 0.05 },
    });
    expect(compareSamples([100, 100], [100, 100], 'maximize').verdict).toBe('within-noise');
  });
});

// A trial whose first objective (maximised throughput) is `value`; undefined makes a failed run.
function run(
  number: number,
  phase: TrialRecord['phase'],
  value: number | undefined,
  extra: Partial<TrialRecord> = {},
) {
  const record: TrialRecord = {
    number,
    params: phase === 'baseline' ? {} : { seqs: 64 },
    phase,
    state: value === undefined ? 'failed' : 'complete',
    feasible: value !== undefined,
    ...(value === undefined
      ? { failure: { reason: 'oom', message: 'out of memory' }, failureReason: 'oom' }
      : { values: [-value], objective: [value], constraints: [] }),
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    ...extra,
  };
  return record;
}
const confirm = (number: number, of: number, value: number | undefined) =>
  run(number, 'confirm', value, { confirmOf: of, params: of === 0 ? {} : { seqs: 64 } });

describe('compareWithDefaults', () => {
  it('needs a baseline trial', () => {
    expect(
      compareWithDefaults([run(1, 'search', 100)], run(1, 'search', 100), 'maximize', 'tok/s'),
    ).toBeUndefined();
  });

  it('judges on the interleaved confirmation runs only, not on the lucky search run that chose the winner', () => {
    const tuned = run(1, 'search', 130);
    const history = [
      run(0, 'baseline', 100),
      tuned,
      confirm(2, 0, 101),
      confirm(3, 1, 102),
      confirm(4, 0, 99),
      confirm(5, 1, 98),
    ];
    const result = compareWithDefaults(history, tuned, 'maximize', 'maximize_throughput');
    expect(result).toMatchObject({
      defaultsTrial: 0,
      defaultsFeasible: true,
      verdict: 'within-noise',
      keepDefaults: true,
      tunedTrial: 1,
      tunedRuns: { trials: [3, 5], mean: 100 },
      defaultsRuns: { trials: [2, 4], mean: 100 },
    });
    expect(result?.interval?.low).toBeLessThan(0);
    expect(result?.summary).toMatch(
      /^Keep the engine defaults: the best tuned configuration \(trial 1\) measured 0\.0% maximize_throughput, within noise \(95% interval -13\.8% to \+13\.8%; 100 vs 100 over 2 and 2 interleaved runs\)\.$/,
    );
  });

  it('says the defaults broke the SLO when one of their confirmation runs did and the tuned one held it in each', () => {
    const tuned = run(1, 'search', 115);
    // The defaults sit at the bound: the baseline and one confirmation run meet the SLO, the other breaks it.
    const broke = confirm(4, 0, 96);
    broke.feasible = false;
    const history = [
      run(0, 'baseline', 103),
      tuned,
      confirm(2, 0, 103),
      confirm(3, 1, 114),
      broke,
      confirm(5, 1, 114),
    ];
    const result = compareWithDefaults(history, tuned, 'maximize', 'goodput');
    expect(result).toMatchObject({
      verdict: 'defaults-infeasible',
      keepDefaults: false,
      defaultsFeasible: true,
    });
    expect(result?.summary).toMatch(/^The engine defaults broke the SLO in 1 of 3 runs; trial 1 meets it \(/);
    // Not when the tuned configuration broke it too: then the runs are compared as usual.
    const tunedBroke = confirm(5, 1, 114);
    tunedBroke.feasible = false;
    const both = compareWithDefaults([...history.slice(0, 5), tunedBroke], tuned, 'maximize', 'goodput');
    expect(both?.verdict).toBe('unconfirmed');
  });

  it('recommends the tuned configuration when it beats the defaults beyond noise', () => {
    const tuned = run(1, 'search', 130);
    const history = [
      run(0, 'baseline', 100),
      tuned,
      confirm(2, 0, 100),
      confirm(3, 1, 130),
      confirm(4, 0, 101),
      confirm(5, 1, 131),
    ];
    const result = compareWithDefaults(history, tuned, 'maximize', 'tok/s');
    expect(result).toMatchObject({ verdict: 'better', keepDefaults: false });
    expect(result?.interval?.low).toBeGreaterThan(0.2);
    expect(result?.summary).toMatch(
      /^Trial 1 beats the engine defaults beyond noise: \+29\.9% tok\/s \(95% interval/,
    );
  });

  it('without confirmation runs it rests on single runs: a measured gain is kept, a loss or a tie keeps the defaults', () => {
    const better = run(1, 'search', 104);
    const gain = compareWithDefaults([run(0, 'baseline', 100), better], better, 'maximize', 'tok/s');
    expect(gain).toMatchObject({ verdict: 'unconfirmed', keepDefaults: false, interval: undefined });
    expect(gain?.improvement).toBeCloseTo(0.04, 10);
    expect(gain?.summary).toContain(
      'on single runs: without two confirmation runs of each this cannot be told from noise',
    );
    const worse = run(1, 'search', 99);
    expect(compareWithDefaults([run(0, 'baseline', 100), worse], worse, 'maximize', 'tok/s')).toMatchObject({
      verdict: 'unconfirmed',
      keepDefaults: true,
    });
  });

  it('says when the defaults broke the SLO, failed, or were the only configuration that met it', () => {
    const tuned = run(1, 'search', 120);
    const infeasible = run(0, 'baseline', 100, { feasible: false, constraints: [0.2] });
    expect(compareWithDefaults([infeasible, tuned], tuned, 'maximize', 'x')).toMatchObject({
      verdict: 'defaults-infeasible',
      defaultsFeasible: false,
      keepDefaults: false,
      improvement: expect.closeTo(0.2, 10),
    });
    const failed = compareWithDefaults([run(0, 'baseline', undefined), tuned], tuned, 'maximize', 'x');
    expect(failed).toMatchObject({ verdict: 'defaults-failed', keepDefaults: false, improvement: undefined });
    expect(failed?.summary).toBe('The engine defaults failed (oom); trial 1 meets the SLO.');
    const alone = compareWithDefaults(
      [run(0, 'baseline', 100), run(1, 'search', undefined)],
      undefined,
      'maximize',
      'x',
    );
    expect(alone).toMatchObject({ verdict: 'no-tuned-feasible', keepDefaults: true, tunedRuns: undefined });
  });

  it('judges the defaults feasible when most of their runs met the SLO', () => {
    const tuned = run(1, 'search', 120);
    const history = [
      run(0, 'baseline', 100),
      tuned,
      confirm(2, 0, undefined),
      confirm(3, 1, 121),
      confirm(4, 0, undefined),
    ];
    expect(compareWithDefaults(history, tuned, 'maximize', 'x')).toMatchObject({
      defaultsFeasible: false,
      verdict: 'defaults-infeasible',
    });
  });
});
