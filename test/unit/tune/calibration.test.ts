// The calibration of the analytic model against a study's measurements.
import { describe, expect, it } from 'vitest';
import { rankCorrelation, studyCalibration } from '../../../src/tune/calibration.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';
import { runMetrics } from './loop-fixtures.js';

const metrics = (tokS: number, ttftMs: number, tpotMs: number) => runMetrics(tokS, { ttftMs, tpotMs });
const trial = (number: number, extra: Partial<TrialRecord>): TrialRecord => ({
  number,
  params: { n: number },
  state: 'complete',
  phase: 'search',
  feasible: true,
  worldSize: 1,
  gpuIndices: [0],
  startedAt: '',
  finishedAt: '',
  durationMs: 1,
  ...extra,
});

describe('rankCorrelation', () => {
  it('is 1 for the same order, -1 for the reverse, shares ranks on ties, and needs 3 pairs with spread', () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 400])).toBeCloseTo(1);
    expect(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(rankCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8208, 3);
    expect(rankCorrelation([1, 2], [1, 2])).toBeUndefined();
    expect(rankCorrelation([1, 1, 1], [1, 2, 3])).toBeUndefined();
  });
});

describe('studyCalibration', () => {
  it('gives the median error, rank correlation and bias per metric, and the corrected winner', () => {
    // Measured throughput is 80 % of the prediction everywhere but one outlier.
    const trials = [
      trial(0, { predicted: metrics(100, 50, 10), metrics: metrics(80, 60, 12) }),
      trial(1, { predicted: metrics(200, 50, 10), metrics: metrics(160, 60, 12) }),
      trial(2, { predicted: metrics(300, 50, 10), metrics: metrics(240, 60, 12) }),
      trial(3, { predicted: metrics(400, 50, 10), metrics: metrics(400, 60, 12) }),
      trial(4, { state: 'invalid', feasible: false, screened: { kind: 'oom', reason: 'x', margin: 0.1 } }),
      trial(5, {
        state: 'invalid',
        feasible: false,
        screened: { kind: 'context', reason: 'y', margin: 0.1 },
      }),
      trial(6, { state: 'failed', feasible: false, predicted: metrics(1, 1, 1) }),
    ];
    const calibration = studyCalibration(trials, 3);
    const tokS = calibration?.metrics.find((m) => m.key === 'outputTokensPerS');
    expect(tokS).toMatchObject({ pairs: 4, rankCorrelation: 1 });
    expect(tokS?.medianApe).toBeCloseTo(0.25);
    expect(tokS?.ratio).toBeCloseTo(0.8);
    expect(calibration?.metrics.find((m) => m.key === 'ttftP50Ms')?.ratio).toBeCloseTo(1.2);
    expect(calibration).toMatchObject({ compared: 4, screened: 2, screenedByKind: { oom: 1, context: 1 } });
    expect(calibration?.winner?.calibrated.outputTokensPerS).toBeCloseTo(320);
    expect(calibration?.winner?.measured.outputTokensPerS).toBe(400);
  });

  it('is undefined for a study that ran without the model', () => {
    expect(studyCalibration([trial(0, { metrics: metrics(1, 1, 1) })], 0)).toBeUndefined();
  });
});
