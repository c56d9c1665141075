import { describe, expect, it } from 'vitest';
import { summarizeConfirmation } from '../../../src/tune/confirm.js';
import { recommend } from '../../../src/tune/recommend.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

function run(
  number: number,
  phase: TrialRecord['phase'],
  value: number,
  extra: Partial<TrialRecord> = {},
): TrialRecord {
  return {
    number,
    params: phase === 'baseline' ? {} : { seqs: 64 },
    phase,
    state: 'complete',
    feasible: true,
    values: [-value],
    objective: [value],
    constraints: [],
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    ...extra,
  };
}
const confirm = (number: number, of: number, value: number, extra: Partial<TrialRecord> = {}) =>
  run(number, 'confirm', value, { confirmOf: of, params: of === 0 ? {} : { seqs: 64 }, ...extra });

const recommendFrom = (history: TrialRecord[]) =>
  recommend(history, summarizeConfirmation(history, 1), 'maximize', 'tok/s');

describe('recommend', () => {
  it('recommends the engine defaults, plainly, when the winner is within noise of them', () => {
    // The search run of trial 1 was lucky (+4 %); side by side, the two measure the same.
    const history = [
      run(0, 'baseline', 100),
      run(1, 'search', 104),
      confirm(2, 0, 100.5),
      confirm(3, 1, 99.5),
      confirm(4, 0, 99),
      confirm(5, 1, 101),
    ];
    const chosen = recommendFrom(history);
    expect(chosen.record?.number).toBe(0);
    expect(chosen.tuned?.number).toBe(1);
    expect(chosen.comparison).toMatchObject({ verdict: 'within-noise', keepDefaults: true });
    expect(chosen.comparison?.summary).toMatch(/^Keep the engine defaults/);
    expect(chosen.confirmedMean).toBeCloseTo(99.833, 2);
    expect(chosen.caveats).toEqual([]);
  });

  it('recommends the winner that beats the defaults beyond noise', () => {
    const history = [
      run(0, 'baseline', 100),
      run(1, 'search', 125),
      confirm(2, 0, 100),
      confirm(3, 1, 124),
      confirm(4, 0, 101),
      confirm(5, 1, 126),
    ];
    const chosen = recommendFrom(history);
    expect(chosen.record?.number).toBe(1);
    expect(chosen.comparison).toMatchObject({ verdict: 'better', keepDefaults: false });
    expect(chosen.confirmedMean).toBeCloseTo(125, 10);
  });

  it('a winner whose runs the benchmark client paced carries a caveat, and so does its comparison', () => {
    const limited = { clientLimited: ['p99 event-loop delay 31.0 ms over 10 ms'] };
    const history = [
      run(0, 'baseline', 100),
      run(1, 'search', 125, limited),
      confirm(2, 0, 100, limited),
      confirm(3, 1, 124),
      confirm(4, 0, 101),
      confirm(5, 1, 126),
    ];
    const chosen = recommendFrom(history);
    expect(chosen.record?.number).toBe(1);
    expect(chosen.caveats).toEqual([
      '1 of 3 runs of trial 1 (#1) were paced by the benchmark client, not the server (p99 event-loop delay 31.0 ms over 10 ms): its figures may understate the server.',
      '1 of 3 runs of the engine defaults (#2) were paced by the benchmark client, not the server (p99 event-loop delay 31.0 ms over 10 ms): the comparison with them may be distorted.',
    ]);
  });

  it('a gain on single runs is recommended with a caveat; without a baseline there is no comparison', () => {
    const single = recommend(
      [run(0, 'baseline', 100), run(1, 'search', 110)],
      undefined,
      'maximize',
      'tok/s',
    );
    expect(single.record?.number).toBe(1);
    expect(single.comparison?.verdict).toBe('unconfirmed');
    expect(single.caveats[0]).toMatch(/^Unconfirmed: the gain over the engine defaults rests on single runs/);
    expect(single.confirmedMean).toBeUndefined();
    const noBaseline = recommend([run(1, 'search', 110), run(2, 'search', 90)], undefined, 'maximize', 'x');
    expect(noBaseline.record?.number).toBe(1);
    expect(noBaseline.comparison).toBeUndefined();
  });

  it('recommends nothing when neither the defaults nor a tuned configuration met the SLO', () => {
    const broken = { feasible: false, constraints: [0.5] };
    const chosen = recommend(
      [run(0, 'baseline', 100, broken), run(1, 'search', 90, broken)],
      undefined,
      'maximize',
      'x',
    );
    expect(chosen.record).toBeUndefined();
    expect(chosen.comparison).toMatchObject({ verdict: 'defaults-infeasible', keepDefaults: false });
  });
});
