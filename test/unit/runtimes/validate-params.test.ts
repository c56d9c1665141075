import { describe, expect, it } from 'vitest';
import { describeRange, inRange, parseRange } from '../../../src/runtimes/check-value.js';
import type { ParamProblemCode } from '../../../src/runtimes/param-problem.js';
import type { RuntimeName } from '../../../src/runtimes/runtime-name.js';
import { canonicalParams, validateParams } from '../../../src/runtimes/validate-params.js';

type Row = [string, RuntimeName, Record<string, unknown>, ParamProblemCode | 'ok', RegExp?];

const rows: Row[] = [
  ['unknown flag', 'vllm', { 'max-seqs-num': 4 }, 'unknown_flag'],
  [
    'did-you-mean by edit distance',
    'vllm',
    { 'max-num-seq': 4 },
    'unknown_flag',
    /did you mean --max-num-seqs/,
  ],
  [
    'cross-engine hint vLLM <- SGLang',
    'vllm',
    { '--max-running-requests': 64 },
    'unknown_flag',
    /SGLang flag; the vLLM equivalent .* is --max-num-seqs/,
  ],
  [
    'cross-engine hint SGLang <- vLLM',
    'sglang',
    { 'gpu-memory-utilization': 0.9 },
    'unknown_flag',
    /vLLM flag; the SGLang equivalent .* is --mem-fraction-static/,
  ],
  ['cross-engine hint llama.cpp <- vLLM', 'llamacpp', { 'max-num-seqs': 4 }, 'unknown_flag', /--parallel/],
  ['simulator flag on a real engine', 'vllm', { 'time-scale': 10 }, 'unknown_flag', /simulated engine/],
  ['bad int', 'vllm', { 'max-num-seqs': 'many' }, 'bad_type', /expects an integer/],
  ['fractional int', 'sglang', { 'max-running-requests': 1.5 }, 'bad_type'],
  ['bad float', 'sglang', { 'mem-fraction-static': 'high' }, 'bad_type', /expects a number/],
  ['bad bool', 'vllm', { 'enable-prefix-caching': 'yes' }, 'bad_type', /true or false/],
  ['bad choice', 'sglang', { 'schedule-policy': 'fifo' }, 'bad_choice', /one of lpm, random, fcfs/],
  ['bad choice llama.cpp', 'llamacpp', { 'cache-type-k': 'fp8' }, 'bad_choice'],
  ['out of range', 'llamacpp', { poll: 200 }, 'out_of_range', />= 0 and <= 100, got 200/],
  ['a fraction above 1', 'vllm', { 'gpu-memory-utilization': 1.5 }, 'out_of_range', /> 0 and <= 1, got 1\.5/],
  ['a fraction of 0 (bound excluded)', 'sglang', { 'mem-fraction-static': 0 }, 'out_of_range'],
  ['a fraction of exactly 1', 'vllm', { 'gpu-memory-utilization': 1 }, 'ok'],
  ['a batch width of 0', 'vllm', { 'max-num-seqs': 0 }, 'out_of_range', />= 1, got 0/],
  ['a tensor-parallel size of 0', 'sglang', { 'tp-size': 0 }, 'out_of_range'],
  ['a human-readable int below its range', 'vllm', { 'max-num-batched-tokens': '0k' }, 'out_of_range'],
  ['llama.cpp auto slots (-1)', 'llamacpp', { parallel: -1 }, 'ok'],
  ['llama.cpp slots below -1', 'llamacpp', { parallel: -2 }, 'out_of_range'],
  [
    'YAML 1.2 yes/no are strings',
    'vllm',
    { 'enable-chunked-prefill': 'no' },
    'bad_type',
    /YAML 1\.2 reads yes\/no\/on\/off as text: write true or false/,
  ],
  ['None string', 'vllm', { 'max-model-len': 'None' }, 'null_value', /omit the parameter/],
  ['null value is simply omitted', 'vllm', { 'max-model-len': null }, 'ok'],
  ['legacy flag names the engine version', 'vllm', { 'swap-space': 4 }, 'legacy_flag', /vLLM 0\.22\.0/],
  ['removed flag', 'llamacpp', { draft: 8 }, 'removed_flag', /removed/],
  ['deprecated flag is a warning', 'llamacpp', { 'defrag-thold': 0.1 }, 'deprecated_flag'],
  ['false for a default-off switch', 'sglang', { 'enable-mixed-chunk': false }, 'ok'],
  ['false for a default-on vLLM feature', 'vllm', { 'enable-prefix-caching': false }, 'ok'],
  ['false for a default-on llama.cpp feature', 'llamacpp', { 'cont-batching': false }, 'ok'],
  ['default-on SGLang feature turned off', 'sglang', { 'radix-cache': false }, 'ok'],
  ['model is set by the adapter', 'sglang', { 'model-path': '/m' }, 'reserved_flag'],
  ['port is set by the controller', 'llamacpp', { port: 8080 }, 'reserved_flag'],
  ['secrets never go to argv', 'vllm', { 'hf-token': 'hf_abcdefghijkl' }, 'secret_flag'],
  ['two spellings disagree', 'vllm', { tp: 2, 'tensor-parallel-size': 4 }, 'conflict'],
  ['two spellings agree (2 and "2")', 'vllm', { tp: 2, 'tensor-parallel-size': '2' }, 'ok'],
  ['unknown preset', 'vllm', { 'quant-preset': 'fp7' }, 'unknown_preset'],
  ['preset an engine cannot honour', 'llamacpp', { 'parallel-preset': 'tp2pp2' }, 'unsupported_preset'],
  ['open choice outside the known values warns', 'vllm', { 'load-format': 'weird' }, 'unknown_value'],
  ['human-readable int', 'vllm', { 'max-num-batched-tokens': '16k' }, 'ok'],
  ['llama.cpp special value', 'llamacpp', { 'n-gpu-layers': 'auto' }, 'ok'],
  ['wrong list arity', 'llamacpp', { 'control-vector-layer-range': [1] }, 'bad_type', /exactly 2/],
];

describe('validateParams', () => {
  it.each(rows)('%s', (_name, runtime, params, expected, message) => {
    const result = validateParams(params, runtime);
    if (expected === 'ok') {
      expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(result.ok).toBe(true);
      return;
    }
    const problem = result.problems.find((p) => p.code === expected);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    if (message) expect(problem?.message).toMatch(message);
    const warningOnly = ['deprecated_flag', 'unknown_value', 'unverified_flag', 'preset_overridden'];
    expect(result.ok).toBe(warningOnly.includes(expected));
  });

  it('gives edit-distance suggestions as data too', () => {
    const [problem] = validateParams({ 'gpu-memory-utilisation': 0.9 }, 'vllm').problems;
    expect(problem?.suggestions?.[0]).toBe('--gpu-memory-utilization');
  });

  it('a preset value overridden by an explicit parameter is a warning, and the explicit value wins', () => {
    const params = { 'quant-preset': 'fp8', 'kv-cache-dtype': 'auto' };
    const result = validateParams(params, 'vllm');
    expect(result.ok).toBe(true);
    expect(result.problems.map((p) => p.code)).toEqual(['preset_overridden']);
    expect(canonicalParams(params, 'vllm').params).toEqual({
      '--kv-cache-dtype': 'auto',
      '--quantization': 'fp8',
    });
  });

  it('canonicalParams folds negations and expands presets for worldSize', () => {
    expect(canonicalParams({ 'parallel-preset': 'tp2dp2', 'no-enforce-eager': true }, 'vllm').params).toEqual(
      {
        '--data-parallel-size': 2,
        '--enforce-eager': false,
        '--tensor-parallel-size': 2,
      },
    );
  });
});

describe('registry ranges', () => {
  it.each([
    ['0..100', 0, true],
    ['0..100', 100, true],
    ['0..100', 100.5, false],
    ['>0..1', 0, false],
    ['>0..1', 1e-9, true],
    ['0..<1', 1, false],
    ['1..', 1e12, true],
    ['1..', 0, false],
    ['..10', -1e12, true],
    ['-1..', -1, true],
    ['-1..', -2, false],
  ] as const)('%s holds %d: %s', (text, n, inside) => {
    const range = parseRange(text);
    expect(range).toBeDefined();
    expect(inRange(range as NonNullable<typeof range>, n)).toBe(inside);
  });

  it('reads no range from text that is not one', () => {
    expect(parseRange('abc')).toBeUndefined();
    expect(parseRange('1..x')).toBeUndefined();
  });

  it('says the range in words', () => {
    expect(describeRange(parseRange('>0..1') as never)).toBe('a value > 0 and <= 1');
    expect(describeRange(parseRange('1..') as never)).toBe('a value >= 1');
  });
});
