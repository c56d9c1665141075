import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { checkMemoryBalance } from '../../../src/gpu/memory-balance.js';

describe('checkMemoryBalance', () => {
  it.each<[string, number[], number | undefined, boolean, number | undefined, RegExp]>([
    ['one GPU', [1000], undefined, true, 1, /^balanced/],
    ['equal GPUs', [80_000, 80_000, 80_000], undefined, true, 1, /^balanced/],
    ['exactly at the threshold', [800, 1000], undefined, true, 0.8, /0\.8 >= 0\.8/],
    [
      'just under the threshold',
      [799, 1000],
      undefined,
      false,
      0.799,
      /^unbalanced: min 799 MiB \/ max 1000 MiB free = 0\.799 < 0\.8/,
    ],
    ['a custom ratio', [500, 1000], 0.5, true, 0.5, /^balanced/],
    ['a strict custom ratio', [950, 1000], 1, false, 0.95, /< 1$/],
    ['one empty GPU among others', [0, 1000], undefined, false, 0, /^unbalanced/],
    ['no GPUs', [], undefined, false, undefined, /no GPUs/],
    ['all GPUs at zero', [0, 0, 0], undefined, false, undefined, /0 MiB free/],
    ['a single GPU at zero', [0], undefined, false, undefined, /0 MiB free/],
  ])('%s', (_name, free, minRatio, ok, ratio, reason) => {
    const result = checkMemoryBalance(free, minRatio);
    expect(result.ok).toBe(ok);
    if (ratio === undefined) expect(result.ratio).toBeUndefined();
    else expect(result.ratio).toBeCloseTo(ratio, 12);
    expect(result.reason).toMatch(reason);
  });

  it.each<[string, unknown, unknown, string]>([
    ['a negative amount', [100, -1], 0.8, 'freeMiB[1]'],
    ['NaN', [Number.NaN], 0.8, 'freeMiB[0]'],
    ['Infinity', [Number.POSITIVE_INFINITY, 5], 0.8, 'freeMiB[0]'],
    ['a string amount', ['100'], 0.8, 'freeMiB[0]'],
    ['not an array', 100, 0.8, 'freeMiB'],
    ['a zero ratio', [1], 0, 'minRatio'],
    ['a ratio above 1', [1], 1.5, 'minRatio'],
    ['a NaN ratio', [1], Number.NaN, 'minRatio'],
  ])('rejects %s', (_name, free, minRatio, option) => {
    expect(() => checkMemoryBalance(free as number[], minRatio as number)).toThrow(
      expect.objectContaining({ option, code: 'ERR_INVALID_OPTION_VALUE' }),
    );
    expect(() => checkMemoryBalance(free as number[], minRatio as number)).toThrow(InvalidOptionError);
  });
});
