import { describe, expect, it } from 'vitest';
import { planConfirmation, summarizeConfirmation } from '../../../src/tune/confirm.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

function record(
  number: number,
  throughput: number | undefined,
  extra: Partial<TrialRecord> = {},
): TrialRecord {
  const feasible = throughput !== undefined;
  return {
    number,
    params: { seqs: number },
    state: feasible ? 'complete' : 'failed',
    phase: 'search',
    feasible,
    ...(feasible ? { values: [-throughput], objective: [throughput] } : {}),
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '',
    finishedAt: '',
    durationMs: 1,
    ...extra,
  };
}

const confirmRun = (number: number, of: number, throughput: number, feasible = true) =>
  record(number, feasible ? throughput : undefined, {
    phase: 'confirm',
    confirmOf: of,
    params: { seqs: of },
  });

describe('confirmation', () => {
  const search = [record(0, 100), record(1, 300), record(2, undefined), record(3, 290), record(4, 50)];

  it('plans repeats of the top configurations round by round, skipping runs already journaled', () => {
    expect(planConfirmation(search, 2, 2, 10).map((p) => [p.number, p.confirmOf])).toEqual([
      [10, 1],
      [11, 3],
      [12, 1],
      [13, 3],
    ]);
    const withDone = [...search, confirmRun(5, 1, 305)];
    expect(planConfirmation(withDone, 2, 2, 10).map((p) => p.confirmOf)).toEqual([3, 1, 3]);
  });

  it('re-measures the engine defaults as often as each configuration, interleaved with them', () => {
    const baseline = record(9, 100, { phase: 'baseline', params: {} });
    const history = [baseline, ...search];
    const planned = planConfirmation(history, 2, 2, 10);
    expect(planned.map((p) => [p.number, p.confirmOf])).toEqual([
      [10, 9],
      [11, 1],
      [12, 3],
      [13, 9],
      [14, 1],
      [15, 3],
    ]);
    expect(planned[0]).toMatchObject({ phase: 'confirm', params: {} });
    // Resumed after the first round: only the second is left.
    const resumed = [...history, confirmRun(10, 9, 100), confirmRun(11, 1, 300), confirmRun(12, 3, 290)];
    expect(planConfirmation(resumed, 2, 2, 13).map((p) => p.confirmOf)).toEqual([9, 1, 3]);
    // Defaults that failed are not re-measured, and nothing is when no configuration is confirmed.
    const failed = record(9, undefined, { phase: 'baseline', params: {} });
    expect(planConfirmation([failed, ...search], 1, 1, 10).map((p) => p.confirmOf)).toEqual([1]);
    expect(planConfirmation([baseline, record(1, undefined)], 2, 2, 10)).toEqual([]);
  });

  it('chooses the winner on confirmed means and reports ties within noise', () => {
    const history = [
      ...search,
      confirmRun(5, 1, 250),
      confirmRun(6, 1, 260),
      confirmRun(7, 3, 292),
      confirmRun(8, 3, 288),
    ];
    const result = summarizeConfirmation(history, 2);
    expect(result.winner).toBe(3);
    const one = result.configs.find((c) => c.trial === 1);
    expect(one?.runs).toBe(3);
    expect(one?.mean).toBeCloseTo(270, 6);
    expect(result.tiedWith).toEqual([1]);
  });

  it('a configuration that fails its confirmation runs cannot win', () => {
    const history = [
      ...search,
      confirmRun(5, 1, 0, false),
      confirmRun(6, 1, 0, false),
      confirmRun(7, 3, 280),
      confirmRun(8, 3, 285),
    ];
    const result = summarizeConfirmation(history, 2);
    expect(result.winner).toBe(3);
    expect(result.configs.find((c) => c.trial === 1)?.feasibleShare).toBeCloseTo(1 / 3, 6);
    expect(result.tiedWith).toEqual([]);
  });

  it('clearly separated configurations are not ties', () => {
    const history = [
      ...search,
      confirmRun(5, 1, 301),
      confirmRun(6, 1, 299),
      confirmRun(7, 3, 200),
      confirmRun(8, 3, 201),
    ];
    expect(summarizeConfirmation(history, 2)).toMatchObject({ winner: 1, tiedWith: [] });
  });
});
