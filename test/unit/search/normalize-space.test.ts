import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { SpaceInput } from '../../../src/search/param-spec.js';

describe('normalizeSpace', () => {
  it.each([
    ['plain list', [64, 128], { kind: 'categorical', values: [64, 128] }],
    ['scalar', 'auto', { kind: 'categorical', values: ['auto'] }],
    ['categorical spec', { values: ['a', 'b'] }, { kind: 'categorical', values: ['a', 'b'] }],
    ['int range', { low: 1, high: 8 }, { kind: 'int', low: 1, high: 8, step: 1, log: false }],
    ['int range with step', { low: 16, high: 64, step: 16 }, { kind: 'int', low: 16, high: 64, step: 16 }],
    ['float range', { low: 0.5, high: 0.95 }, { kind: 'float', low: 0.5, high: 0.95, log: false }],
    ['explicit float', { type: 'float', low: 1, high: 2 }, { kind: 'float', low: 1, high: 2 }],
    ['log int', { low: 1, high: 1024, log: true }, { kind: 'int', step: 1, log: true }],
    ['bool', { type: 'bool' }, { kind: 'bool' }],
    ['bool with default', { type: 'bool', default: true }, { kind: 'bool', default: true }],
  ])('accepts a %s', (_name, input, expected) => {
    const space = normalizeSpace({ x: input } as SpaceInput);
    expect(space.params).toHaveLength(1);
    expect(space.params[0]).toMatchObject({ name: 'x', ...expected });
  });

  it.each([
    ['empty space', {}, 'space'],
    ['empty values', { x: [] }, 'space.x'],
    ['empty values spec', { x: { values: [] } }, 'space.x.values'],
    ['duplicate values', { x: [1, 1] }, 'space.x'],
    ['object value', { x: [{}] }, 'space.x[0]'],
    ['low > high', { x: { low: 5, high: 1 } }, 'space.x.low'],
    ['non-number low', { x: { low: 'a', high: 1 } }, 'space.x.low'],
    ['infinite high', { x: { low: 0, high: Infinity } }, 'space.x.high'],
    ['log with low <= 0', { x: { low: 0, high: 1, log: true } }, 'space.x.low'],
    ['step <= 0', { x: { low: 0, high: 1, step: 0 } }, 'space.x.step'],
    ['negative step', { x: { low: 0, high: 1, step: -1 } }, 'space.x.step'],
    ['log with step', { x: { low: 1, high: 100, step: 2, log: true } }, 'space.x.step'],
    ['int with fractional bounds', { x: { type: 'int', low: 0.5, high: 3 } }, 'space.x'],
    ['unknown type', { x: { type: 'weird' } }, 'space.x.type'],
    ['spec without values or bounds', { x: { foo: 1 } }, 'space.x'],
    ['default outside domain', { x: { low: 1, high: 4, default: 9 } }, 'space.x.default'],
    ['condition on unknown param', { x: { values: [1], when: { y: [1] } } }, 'space.x.when'],
    ['condition with foreign value', { a: [1, 2], x: { values: [1], when: { a: [3] } } }, 'space.x.when.a'],
    [
      'condition cycle',
      { a: { values: [1], when: { b: [1] } }, b: { values: [1], when: { a: [1] } } },
      'space.when',
    ],
    ['NaN scalar', { x: Number.NaN }, 'space.x'],
  ])('rejects %s naming the path', (_name, input, path) => {
    const error = (() => {
      try {
        normalizeSpace(input as SpaceInput);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(path);
    expect((error as InvalidOptionError).message).toContain(path);
  });

  it('accepts parameters plus constraints and orders parents before conditional children', () => {
    const space = normalizeSpace({
      parameters: {
        'long-prefill-token-threshold': { values: [0, 512], when: { 'enable-chunked-prefill': [true] } },
        'enable-chunked-prefill': { type: 'bool' },
        'max-num-seqs': [64, 256],
      },
      constraints: [{ left: 'max-num-seqs', op: '<=', right: 128 }],
    });
    expect(space.params.map((p) => p.name)).toEqual([
      'enable-chunked-prefill',
      'long-prefill-token-threshold',
      'max-num-seqs',
    ]);
    expect(space.constraints.map((c) => c.description)).toEqual(['max-num-seqs <= 128']);
    expect(normalizeSpace(space)).toBe(space);
  });

  it.each([
    ['unknown left', { left: 'nope', op: '>=', right: 1 }, 'space.constraints[0].left'],
    ['bad op', { left: 'a', op: '=>', right: 1 }, 'space.constraints[0].op'],
    ['object right', { left: 'a', op: '>=', right: {} }, 'space.constraints[0].right'],
    ['non-function predicate', { name: 'p', predicate: 3 }, 'space.constraints[0].predicate'],
  ])('rejects a constraint with %s', (_name, constraint, path) => {
    expect(() => normalizeSpace({ parameters: { a: [1, 2] }, constraints: [constraint as never] })).toThrow(
      expect.objectContaining({ option: path }),
    );
  });

  it('keeps latency hints and rejects unknown metrics or values outside the domain', () => {
    const space = normalizeSpace({ seqs: { values: [16, 64, 256], lowers: { tpot: 16, ttft: 256 } } });
    expect(space.params[0]?.lowers).toEqual({ tpot: 16, ttft: 256 });
    expect(() => normalizeSpace({ seqs: { values: [16, 64], lowers: { tbt: 16 } } })).toThrow(
      expect.objectContaining({ option: 'space.seqs.lowers.tbt', value: 'tbt' }),
    );
    expect(() => normalizeSpace({ seqs: { values: [16, 64], lowers: { tpot: 8 } } })).toThrow(
      expect.objectContaining({ option: 'space.seqs.lowers.tpot', value: 8 }),
    );
    expect(() => normalizeSpace({ seqs: { values: [16, 64], lowers: 'tpot' } as never })).toThrow(
      expect.objectContaining({ option: 'space.seqs.lowers' }),
    );
  });
});
