import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/errors.js';
import {
  canonicalKey,
  normalizeParallelism,
  type ParallelConfig,
  parallelKnobOf,
  parallelSpelling,
} from '../../../src/parallelism/parallel-config.js';

describe('normalizeParallelism', () => {
  it.each<[string, number]>([
    ['tp', 2],
    ['tp-size', 2],
    ['tp_size', 2],
    ['--tp', 2],
    ['-tp', 2],
    ['--tp-size', 2],
    ['tensor-parallel-size', 2],
    ['tensor_parallel_size', 2],
    ['--tensor-parallel-size', 2],
    ['TENSOR_PARALLEL_SIZE', 2],
  ])('reads tp from %s', (key, value) => {
    expect(normalizeParallelism({ [key]: value }).tp).toBe(value);
  });

  it.each<[string, keyof ParallelConfig]>([
    ['pp', 'pp'],
    ['--pipeline-parallel-size', 'pp'],
    ['pp_size', 'pp'],
    ['dp', 'dp'],
    ['-dp', 'dp'],
    ['data_parallel_size', 'dp'],
    ['dp-size', 'dp'],
    ['cp', 'cp'],
    ['pcp', 'cp'],
    ['-pcp', 'cp'],
    ['prefill-context-parallel-size', 'cp'],
    ['context_parallel_size', 'cp'],
    ['attn-cp-size', 'cp'],
    ['dcp', 'dcp'],
    ['-dcp', 'dcp'],
    ['decode-context-parallel-size', 'dcp'],
    ['dcp_size', 'dcp'],
    ['ep', 'ep'],
    ['ep-size', 'ep'],
    ['--expert-parallel-size', 'ep'],
    ['nnodes', 'nnodes'],
    ['--nnodes', 'nnodes'],
  ])('reads %s as %s', (key, knob) => {
    const config = normalizeParallelism({ [key]: '4' });
    expect(config[knob]).toBe(4);
    expect(config.spellings).toEqual({ [knob]: key });
  });

  it('defaults to a single GPU layout', () => {
    expect(normalizeParallelism({ 'max-num-seqs': 256 })).toEqual({
      tp: 1,
      pp: 1,
      dp: 1,
      cp: 1,
      dcp: 1,
      ep: undefined,
      expertParallel: false,
      dpAttention: false,
      nnodes: 1,
      gpuLayers: undefined,
      devices: undefined,
      splitMode: undefined,
      tensorSplit: undefined,
      spellings: {},
    });
  });

  it.each<[Record<string, unknown>, boolean, number | undefined]>([
    [{ '--enable-expert-parallel': true }, true, undefined],
    [{ enable_expert_parallel: 'true' }, true, undefined],
    [{ '-ep': true }, true, undefined],
    [{ '--no-enable-expert-parallel': true }, false, undefined],
    [{ '--ep-size': 8 }, true, 8],
    [{ ep: 1 }, false, 1],
    [{ ep: 4, 'enable-expert-parallel': true }, true, 4],
  ])('expert parallel from %j', (params, on, size) => {
    const config = normalizeParallelism(params);
    expect(config.expertParallel).toBe(on);
    expect(config.ep).toBe(size);
  });

  it.each<[Record<string, unknown>, boolean]>([
    [{ '--enable-dp-attention': true }, true],
    [{ enable_dp_attention: '' }, true],
    [{ 'enable-dp-attention': false }, false],
    [{}, false],
  ])('dp-attention from %j', (params, on) => {
    expect(normalizeParallelism(params).dpAttention).toBe(on);
  });

  it('reads llama.cpp placement flags', () => {
    expect(
      normalizeParallelism({
        '-ngl': '99',
        '--device': 'CUDA0, CUDA1',
        '-sm': 'row',
        '--tensor-split': '3,1',
      }),
    ).toMatchObject({ gpuLayers: 99, devices: ['CUDA0', 'CUDA1'], splitMode: 'row', tensorSplit: [3, 1] });
    expect(normalizeParallelism({ n_gpu_layers: 'all', device: ['cpu'] })).toMatchObject({
      gpuLayers: 'all',
      devices: ['cpu'],
    });
  });

  it('accepts the same value under two spellings and skips null / undefined', () => {
    expect(
      normalizeParallelism({ tp: 2, 'tensor-parallel-size': '2', pp: null, dp: undefined }),
    ).toMatchObject({
      tp: 2,
      pp: 1,
      dp: 1,
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'two tp values',
      { tp: 2, '--tensor-parallel-size': 4 },
      /Conflicting values for tp: tp=2 and --tensor-parallel-size=4/,
    ],
    ['two dcp values', { dcp: 2, decode_context_parallel_size: 1 }, /dcp/],
    [
      'flag and its negation',
      { 'enable-expert-parallel': true, 'no-enable-expert-parallel': true },
      /expertParallel/,
    ],
    ['a non-numeric size', { pp: 'two' }, /pp must be a number/],
    ['a non-boolean switch', { 'enable-dp-attention': 'maybe' }, /enable-dp-attention must be a boolean/],
    ['a bad tensor split', { 'tensor-split': '3,x' }, /tensor-split must be a number/],
  ])('rejects %s', (_name, params, message) => {
    expect(() => normalizeParallelism(params)).toThrow(InvalidParameterError);
    expect(() => normalizeParallelism(params)).toThrow(message);
  });

  it('names both spellings and values in a conflict', () => {
    try {
      normalizeParallelism({ tp: 2, tp_size: 4 });
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidParameterError).parameters).toEqual({ tp: 2, tp_size: 4 });
    }
  });
});

describe('key helpers', () => {
  it.each([
    ['--Tensor_Parallel_Size', 'tensor-parallel-size'],
    ['-tp', 'tp'],
    ['max_num_seqs', 'max-num-seqs'],
  ])('canonicalKey(%s) = %s', (key, expected) => {
    expect(canonicalKey(key)).toBe(expected);
  });

  it.each([
    ['--tp', 'tp'],
    ['--no-enable-expert-parallel', 'expertParallel'],
    ['--no-tp', undefined],
    ['--max-num-seqs', undefined],
    ['-n', undefined],
  ])('parallelKnobOf(%s) = %s', (key, expected) => {
    expect(parallelKnobOf(key)).toBe(expected);
  });
});

describe('parallelSpelling', () => {
  it.each([
    ['--enable-expert-parallel', { knob: 'expertParallel', negated: false }],
    ['--no-enable-expert-parallel', { knob: 'expertParallel', negated: true }],
    ['no_enable_dp_attention', { knob: 'dpAttention', negated: true }],
    ['--tp-size', { knob: 'tp', negated: false }],
    ['--no-tp-size', undefined],
  ])('%s', (key, expected) => {
    expect(parallelSpelling(key)).toEqual(expected);
  });
});
