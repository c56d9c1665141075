import { describe, expect, it } from 'vitest';
import { normalizeParamName } from '../../../src/runtimes/param-name.js';
import { loadRegistry } from '../../../src/runtimes/registry.js';
import { suggestFlags } from '../../../src/runtimes/suggest.js';
import { editDistance } from '../../../src/util/edit-distance.js';

describe('normalizeParamName', () => {
  it.each([
    ['max-num-seqs', '--max-num-seqs'],
    ['--max-num-seqs', '--max-num-seqs'],
    ['max_num_seqs', '--max-num-seqs'],
    ['--max_num_seqs', '--max-num-seqs'],
    ['  max-num-seqs ', '--max-num-seqs'],
    ['-tp', '-tp'],
    ['-ngl', '-ngl'],
  ])('%j -> %s', (input, expected) => {
    expect(normalizeParamName(input)).toBe(expected);
  });
});

describe('suggestions', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['abc', 'acb', 1],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%s, %s) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each([
    ['vllm', 'max-num-seq', '--max-num-seqs'],
    ['vllm', '--gpu-mem-utilization', '--gpu-memory-utilization'],
    ['sglang', 'mem-fraction-statik', '--mem-fraction-static'],
    ['llamacpp', 'ctx-sise', '--ctx-size'],
    ['vllm', 'max-seqs', '--max-num-seqs'],
  ] as const)('%s: %s -> %s', (engine, name, expected) => {
    expect(suggestFlags(loadRegistry(engine), name)).toContain(expected);
  });

  it('offers nothing for a name far from every flag', () => {
    expect(suggestFlags(loadRegistry('vllm'), 'completely-unrelated-knob-name')).toEqual([]);
  });
});
