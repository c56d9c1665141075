import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/errors.js';
import { createVllmRuntime } from '../../../src/runtimes/adapters/vllm.js';
import { buildCliArgs } from '../../../src/runtimes/cli-args.js';
import { indexRegistry } from '../../../src/runtimes/registry.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';

describe('buildCliArgs golden argv', () => {
  it('vLLM: BooleanOptionalAction both ways, nargs lists, append, JSON, any name spelling, sorted', () => {
    const args = buildCliArgs(
      {
        max_num_seqs: 128,
        '--max-num-batched-tokens': 8192,
        'gpu-memory-utilization': 0.9,
        'enable-chunked-prefill': true,
        enable_prefix_caching: false,
        'cudagraph-capture-sizes': [1, 2, 4, 8],
        'compilation-config': { mode: 3, cudagraph_mode: 'FULL' },
        middleware: ['a.b', 'c.d'],
        'disable-log-stats': false,
        tp: 2,
        'max-model-len': '32k',
      },
      'vllm',
    );
    expect(args).toEqual([
      '--compilation-config',
      '{"cudagraph_mode":"FULL","mode":3}',
      '--cudagraph-capture-sizes',
      '1',
      '2',
      '4',
      '8',
      '--enable-chunked-prefill',
      '--no-enable-prefix-caching',
      '--gpu-memory-utilization',
      '0.9',
      '--max-model-len',
      '32k',
      '--max-num-batched-tokens',
      '8192',
      '--max-num-seqs',
      '128',
      '--middleware',
      'a.b',
      '--middleware',
      'c.d',
      '--tensor-parallel-size',
      '2',
    ]);
  });

  it('SGLang: store_true on, default-off false emits nothing, feature name folded onto --disable-x', () => {
    const args = buildCliArgs(
      {
        'max-running-requests': 256,
        'chunked-prefill-size': 4096,
        'mem-fraction-static': 0.85,
        'schedule-policy': 'lpm',
        'enable-mixed-chunk': true,
        'disable-overlap-schedule': false,
        'radix-cache': false,
        'cuda-graph-bs-decode': [1, 8, 32],
        tp_size: 2,
        'json-model-override-args': { rope_scaling: null },
      },
      'sglang',
    );
    expect(args).toEqual([
      '--chunked-prefill-size',
      '4096',
      '--cuda-graph-bs-decode',
      '1',
      '8',
      '32',
      '--disable-radix-cache',
      '--enable-mixed-chunk',
      '--json-model-override-args',
      '{"rope_scaling":null}',
      '--max-running-requests',
      '256',
      '--mem-fraction-static',
      '0.85',
      '--schedule-policy',
      'lpm',
      '--tp-size',
      '2',
    ]);
  });

  it('llama.cpp: paired switches, tri-state on/off, comma lists, short aliases', () => {
    const args = buildCliArgs(
      {
        np: 4,
        threads: 8,
        'batch-size': 1024,
        'ubatch-size': 256,
        '-c': 8192,
        'cont-batching': false,
        'cache-prompt': true,
        'flash-attn': false,
        'tensor-split': [3, 1],
        metrics: false,
        '-ngl': 'all',
      },
      'llamacpp',
    );
    expect(args).toEqual([
      '--batch-size',
      '1024',
      '--cache-prompt',
      '--no-cont-batching',
      '--ctx-size',
      '8192',
      '--flash-attn',
      'off',
      '--n-gpu-layers',
      'all',
      '--parallel',
      '4',
      '--tensor-split',
      '3,1',
      '--threads',
      '8',
      '--ubatch-size',
      '256',
    ]);
  });

  it('sim: the imitated engine spelling plus the simulator flags', () => {
    const sim = getRuntime('sim', { engine: 'sglang', simExecutable: { command: 'node', args: ['sim.js'] } });
    expect(buildCliArgs({ 'max-running-requests': 64, 'time-scale': 20, seed: 7 }, sim)).toEqual([
      '--max-running-requests',
      '64',
      '--seed',
      '7',
      '--time-scale',
      '20',
    ]);
  });

  it('is deterministic whatever the key order', () => {
    const a = buildCliArgs({ 'max-num-seqs': 8, 'enforce-eager': true, seed: 3 }, 'vllm');
    const b = buildCliArgs({ seed: 3, 'enforce-eager': true, 'max-num-seqs': 8 }, 'vllm');
    expect(a).toEqual(b);
    const c = buildCliArgs({ 'speculative-config': { num_speculative_tokens: 3, method: 'ngram' } }, 'vllm');
    const d = buildCliArgs({ 'speculative-config': { method: 'ngram', num_speculative_tokens: 3 } }, 'vllm');
    expect(c).toEqual(d);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('omits %s values (engine default) and never prints None', (_label, value) => {
    const args = buildCliArgs({ 'max-num-seqs': value, 'enable-prefix-caching': value }, 'vllm');
    expect(args).toEqual([]);
  });

  it('throws InvalidParameterError listing every error', () => {
    expect(() => buildCliArgs({ 'max-running-requests': 4, 'max-num-seqs': 'x' }, 'vllm')).toThrow(
      InvalidParameterError,
    );
    expect(() => buildCliArgs({ 'max-running-requests': 4 }, 'vllm')).toThrow(/SGLang flag/);
  });

  it('a switch that is on by default with no negative spelling is refused, not dropped', () => {
    const base = createVllmRuntime().registry;
    const registry = indexRegistry({
      ...base,
      flags: [{ name: '--fast-path', aliases: [], type: 'bool', action: 'store_true', default: true }],
    });
    const adapter = createVllmRuntime(registry);
    expect(() => buildCliArgs({ 'fast-path': false }, adapter)).toThrow(/on by default/);
    expect(buildCliArgs({ 'fast-path': true }, adapter)).toEqual(['--fast-path']);
  });
});

describe('number rendering', () => {
  it.each([
    [0.8500000000000001, '0.85'],
    [0.9, '0.9'],
    [1e-7, '1e-7'],
  ])('%d -> %s', (value, text) => {
    expect(buildCliArgs({ 'gpu-memory-utilization': value }, 'vllm')).toEqual([
      '--gpu-memory-utilization',
      text,
    ]);
  });
});

describe('vLLM JSON sub-keys', () => {
  it.each([
    [{ 'compilation-config.mode': 3 }, ['--compilation-config', '{"mode":3}']],
    [
      { 'compilation-config.cudagraph_mode': 'FULL', 'compilation_config.mode': 3 },
      ['--compilation-config', '{"cudagraph_mode":"FULL","mode":3}'],
    ],
    [
      { '-cc': { mode: 3 }, 'compilation-config.pass_config.fuse_norm': true },
      ['--compilation-config', '{"mode":3,"pass_config":{"fuse_norm":true}}'],
    ],
    [
      { 'compilation-config': '{"mode": 2}', 'compilation-config.level': 1 },
      ['--compilation-config', '{"level":1,"mode":2}'],
    ],
  ])('%j', (params, expected) => {
    expect(buildCliArgs(params, 'vllm')).toEqual(expected);
  });

  it.each([
    [{ 'compilation-config': { mode: 2 }, 'compilation-config.mode': 3 }, /disagree on mode/],
    [{ 'max-num-seqs.x': 3 }, /Unknown vllm flag/],
  ])('refuses %j', (params, message) => {
    expect(() => buildCliArgs(params, 'vllm')).toThrow(message);
  });
});
