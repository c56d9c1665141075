import { describe, expect, it } from 'vitest';
import { defaultsBeatWinner } from '../../../src/tune/assemble-result.js';
import type { ConfirmedConfig } from '../../../src/tune/confirm.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

const trial = (number: number, value: number): TrialRecord => ({
  number,
  params: {},
  phase: number === 0 ? 'baseline' : 'search',
  state: 'complete',
  values: [value],
  feasible: true,
  worldSize: 1,
  gpuIndices: [0],
  startedAt: '',
  finishedAt: '',
  durationMs: 1,
});
const confirmed = (meanValue: number, sd: number, runs: number): ConfirmedConfig => ({
  trial: 1,
  params: {},
  runs,
  feasibleShare: 1,
  mean: -meanValue,
  sd,
  meanValue,
  standardError: sd / Math.sqrt(runs),
});

describe('recommending the engine defaults instead of the winner', () => {
  it('takes any lead when the winner was measured once', () => {
    expect(defaultsBeatWinner(trial(0, -101), trial(1, -100), undefined)).toBe(true);
    expect(defaultsBeatWinner(trial(0, -99), trial(1, -100), undefined)).toBe(false);
  });

  it('needs a lead beyond the confirmed runs noise, so the same configuration does not win on a coin flip', () => {
    // Winner: mean 100 over 3 runs, sd 2 -> noise 2 x sqrt(2^2 / 3 + 2^2) = 4.6.
    const winner = confirmed(-100, 2, 3);
    expect(defaultsBeatWinner(trial(0, -103), trial(1, -99), winner)).toBe(false);
    expect(defaultsBeatWinner(trial(0, -105), trial(1, -99), winner)).toBe(true);
    // A single confirmed run has no spread to judge by: any lead counts.
    expect(defaultsBeatWinner(trial(0, -100.5), trial(1, -100), confirmed(-100, 0, 1))).toBe(true);
  });
});
