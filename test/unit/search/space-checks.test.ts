import { describe, expect, it } from 'vitest';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { defaultParams, paramsKey, spaceViolations } from '../../../src/search/space-checks.js';
import type { Params } from '../../../src/search/trial.js';
import { bestFeasibleTrial, isFeasibleTrial, type Trial } from '../../../src/search/trial.js';

const space = normalizeSpace({
  parameters: {
    chunked: { type: 'bool', default: false },
    threshold: { values: [256, 1024], when: { chunked: [true] }, default: 256 },
    seqs: { low: 64, high: 512, step: 64, default: 256 },
  },
  constraints: [{ left: 'threshold', op: '>=', right: 'seqs' }],
});

describe('space checks', () => {
  it.each<[string, Params, string[]]>([
    ['a valid point', { chunked: false, seqs: 128 }, []],
    ['a valid conditional point', { chunked: true, threshold: 1024, seqs: 128 }, []],
    ['an unknown parameter', { chunked: false, seqs: 128, other: 1 }, ['unknown parameter other']],
    ['a missing parameter', { chunked: false }, ['seqs is missing']],
    ['an off-step value', { chunked: false, seqs: 100 }, ['seqs=100 is outside its domain']],
    [
      'an inactive parameter set',
      { chunked: false, threshold: 256, seqs: 64 },
      ['threshold is set but its condition does not hold'],
    ],
    ['a missing active child', { chunked: true, seqs: 64 }, ['threshold is missing']],
    [
      'a broken constraint',
      { chunked: true, threshold: 256, seqs: 512 },
      ['constraint threshold >= seqs does not hold'],
    ],
  ])('reports %s', (_name, params, problems) => {
    expect(spaceViolations(space, params)).toEqual(problems);
  });

  it('keys configurations canonically whatever the property order', () => {
    expect(paramsKey(space, { seqs: 64, chunked: true, threshold: 256 })).toBe(
      paramsKey(space, { chunked: true, threshold: 256, seqs: 64 }),
    );
    expect(paramsKey(space, { chunked: false, seqs: 64 })).not.toBe(
      paramsKey(space, { chunked: false, seqs: 128 }),
    );
  });

  it('builds the default configuration only for active parameters', () => {
    expect(defaultParams(space)).toEqual({ chunked: false, seqs: 256 });
    expect(defaultParams(normalizeSpace({ a: [1, 2] }))).toBeUndefined();
  });

  it.each<[string, Trial, boolean]>([
    ['complete without constraints', { number: 0, params: {}, state: 'complete', values: [1] }, true],
    [
      'complete with satisfied constraints',
      { number: 0, params: {}, state: 'complete', values: [1], constraints: [0, -1] },
      true,
    ],
    [
      'complete with a broken constraint',
      { number: 0, params: {}, state: 'complete', values: [1], constraints: [0.1] },
      false,
    ],
    ['failed', { number: 0, params: {}, state: 'failed', failureReason: 'oom' }, false],
    ['complete with a NaN value', { number: 0, params: {}, state: 'complete', values: [Number.NaN] }, false],
  ])('judges a trial %s', (_name, trial, feasible) => {
    expect(isFeasibleTrial(trial)).toBe(feasible);
  });

  it('picks the best feasible trial, never a failed one', () => {
    const history: Trial[] = [
      { number: 0, params: {}, state: 'failed', values: [-1e9] },
      { number: 1, params: {}, state: 'complete', values: [5] },
      { number: 2, params: {}, state: 'complete', values: [1], constraints: [1] },
      { number: 3, params: {}, state: 'complete', values: [3] },
    ];
    expect(bestFeasibleTrial(history)?.number).toBe(3);
  });
});
