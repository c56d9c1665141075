import { describe, expect, it } from 'vitest';
import { satisfiesConstraints, violatedConstraints } from '../../../src/search/constraints.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { ConstraintInput } from '../../../src/search/param-spec.js';
import type { Params } from '../../../src/search/trial.js';

const parameters = {
  'max-num-batched-tokens': [512, 2048, 8192],
  'max-num-seqs': [256, 1024],
  mode: ['a', 'b'],
  extra: { values: [1, 2], when: { mode: ['b'] } },
};

describe('constraints', () => {
  it.each<[string, ConstraintInput, Params, boolean]>([
    [
      '>= between params holds',
      { left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs' },
      { 'max-num-batched-tokens': 2048, 'max-num-seqs': 1024, mode: 'a' },
      true,
    ],
    [
      '>= between params breaks',
      { left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs' },
      { 'max-num-batched-tokens': 512, 'max-num-seqs': 1024, mode: 'a' },
      false,
    ],
    [
      'factor scales the right side',
      { left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs', factor: 4 },
      { 'max-num-batched-tokens': 2048, 'max-num-seqs': 1024, mode: 'a' },
      false,
    ],
    [
      'literal right side',
      { left: 'max-num-seqs', op: '<', right: 1000 },
      { 'max-num-seqs': 256, mode: 'a' },
      true,
    ],
    ['== on strings', { left: 'mode', op: '==', right: 'b' }, { mode: 'a' }, false],
    ['!= on strings', { left: 'mode', op: '!=', right: 'b' }, { mode: 'a' }, true],
    ['inactive param holds vacuously', { left: 'extra', op: '>', right: 5 }, { mode: 'a' }, true],
    [
      'active conditional param is checked',
      { left: 'extra', op: '>', right: 5 },
      { mode: 'b', extra: 1 },
      false,
    ],
    [
      'predicate object',
      { name: 'small', predicate: (p) => (p['max-num-seqs'] as number) < 512 },
      { 'max-num-seqs': 1024 },
      false,
    ],
    ['bare predicate', (p: Params) => p.mode === 'a', { mode: 'a' }, true],
  ])('%s', (_name, constraint, params, expected) => {
    const space = normalizeSpace({ parameters, constraints: [constraint] });
    expect(satisfiesConstraints(space, params)).toBe(expected);
    expect(violatedConstraints(space, params).length === 0).toBe(expected);
  });

  it('describes a broken constraint by its readable form', () => {
    const space = normalizeSpace({
      parameters,
      constraints: [{ left: 'max-num-batched-tokens', op: '>=', right: 'max-num-seqs' }],
    });
    expect(violatedConstraints(space, { 'max-num-batched-tokens': 512, 'max-num-seqs': 1024 })).toEqual([
      'max-num-batched-tokens >= max-num-seqs',
    ]);
  });
});
