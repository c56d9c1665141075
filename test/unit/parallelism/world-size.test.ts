import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/errors.js';
import { gpusPerNode, worldSize } from '../../../src/parallelism/world-size.js';
import type { RuntimeName } from '../../../src/runtimes/runtime-name.js';

type Case = [string, Record<string, unknown>, RuntimeName, number];

describe('worldSize', () => {
  it.each<Case>([
    ['vllm default', {}, 'vllm', 1],
    ['vllm tp', { 'tensor-parallel-size': 4 }, 'vllm', 4],
    ['vllm tp*pp', { tp: 2, pp: 2 }, 'vllm', 4],
    ['vllm tp*pp*dp', { '--tp': 2, '--pp': 2, '--dp': 2 }, 'vllm', 8],
    ['vllm pcp multiplies', { tp: 2, 'prefill-context-parallel-size': 2 }, 'vllm', 4],
    ['vllm dcp adds no GPUs', { tp: 4, dcp: 2 }, 'vllm', 4],
    ['vllm EP reuses tp*dp', { tp: 2, dp: 2, 'enable-expert-parallel': true }, 'vllm', 4],
    ['vllm -ep switch', { '-tp': 4, '-ep': true }, 'vllm', 4],
    ['vllm device hint cpu', { tp: 2, device: 'cpu' }, 'vllm', 0],
    ['sglang tp', { 'tp-size': 4 }, 'sglang', 4],
    ['sglang dp multiplies', { tp_size: 2, dp_size: 4 }, 'sglang', 8],
    ['sglang dp-attention inside TP', { tp: 8, dp: 4, 'enable-dp-attention': true }, 'sglang', 8],
    ['sglang ep inside TP', { tp: 8, 'ep-size': 8 }, 'sglang', 8],
    ['sglang pp multiplies', { tp: 2, 'pp-size': 2 }, 'sglang', 4],
    ['sglang dcp inside TP', { tp: 4, 'dcp-size': 2 }, 'sglang', 4],
    ['sglang attention cp inside TP', { tp: 4, 'attn-cp-size': 2 }, 'sglang', 4],
    ['llamacpp ngl 0', { '-ngl': 0 }, 'llamacpp', 0],
    ['llamacpp n_gpu_layers 0 (string)', { n_gpu_layers: '0' }, 'llamacpp', 0],
    ['llamacpp device none', { device: 'none' }, 'llamacpp', 0],
    ['llamacpp device cpu', { device: 'cpu', ngl: 99 }, 'llamacpp', 0],
    ['llamacpp default: visible GPUs (1)', { ngl: 'all' }, 'llamacpp', 1],
    ['llamacpp device list', { '--device': 'CUDA0,CUDA1' }, 'llamacpp', 2],
    ['llamacpp split-mode none', { 'split-mode': 'none' }, 'llamacpp', 1],
    ['llamacpp tensor split', { 'tensor-split': '3,1,1' }, 'llamacpp', 3],
    ['llamacpp ignores tp', { tp: 4 }, 'llamacpp', 1],
    ['sim default imitates vllm', { tp: 2, dcp: 2 }, 'sim', 2],
    ['sim imitating sglang', { engine: 'sglang', tp: 4, dp: 2, 'enable-dp-attention': true }, 'sim', 4],
    ['sim imitating llamacpp', { engine: 'llamacpp', ngl: 0 }, 'sim', 0],
  ])('%s', (_name, params, runtime, expected) => {
    expect(worldSize(params, runtime)).toBe(expected);
  });

  it('llama.cpp uses the visible GPUs when no device is named', () => {
    expect(worldSize({}, 'llamacpp', { visibleGpus: 4 })).toBe(4);
    expect(worldSize({ device: 'CUDA1' }, 'llamacpp', { visibleGpus: 4 })).toBe(1);
  });

  it('sim follows the engine option when the params name none', () => {
    expect(worldSize({ tp: 2, dp: 2, 'enable-dp-attention': true }, 'sim', { engine: 'sglang' })).toBe(2);
    expect(worldSize({ tp: 2, dp: 2, 'enable-dp-attention': true }, 'sim')).toBe(4);
  });

  it.each<[string, Record<string, unknown>, RuntimeName]>([
    ['zero tp', { tp: 0 }, 'vllm'],
    ['fractional pp', { pp: 1.5 }, 'sglang'],
    ['negative dp', { 'data-parallel-size': -2 }, 'vllm'],
    ['conflicting spellings', { tp: 2, 'tensor-parallel-size': 4 }, 'vllm'],
    ['unknown sim engine', { engine: 'trtllm' }, 'sim'],
    ['not a number', { tp: 'two' }, 'vllm'],
  ])('rejects %s', (_name, params, runtime) => {
    expect(() => worldSize(params, runtime)).toThrow(InvalidParameterError);
  });

  it('names the spelling the user gave', () => {
    expect(() => worldSize({ tensor_parallel_size: 0 }, 'vllm')).toThrow(/tensor_parallel_size.*0/);
  });

  it.each<[Record<string, unknown>, RuntimeName, number]>([
    [{ tp: 16, nnodes: 2 }, 'sglang', 8],
    [{ tp: 8, pp: 2, '--nnodes': 2 }, 'vllm', 8],
    [{ tp: 4 }, 'vllm', 4],
  ])('gpusPerNode(%j, %s) = %i', (params, runtime, expected) => {
    expect(gpusPerNode(params, runtime)).toBe(expected);
  });
});
