import { describe, expect, it } from 'vitest';
import { worldSize } from '../../../src/parallelism/world-size.js';
import { createVllmRuntime } from '../../../src/runtimes/adapters/vllm.js';
import { buildCliArgs } from '../../../src/runtimes/cli-args.js';
import { parseParallelPreset, presetParams } from '../../../src/runtimes/presets.js';
import { indexRegistry, loadRegistry } from '../../../src/runtimes/registry.js';
import type { RuntimeName } from '../../../src/runtimes/runtime-name.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';
import { canonicalParams, validateParams } from '../../../src/runtimes/validate-params.js';

// The flags must appear in the argv as consecutive words, in the engine's own spelling.
function containsRun(args: string[], run: string[]): boolean {
  return args.some((_, i) => run.every((word, j) => args[i + j] === word));
}

const quantRows: [RuntimeName, string, string[][]][] = [
  [
    'vllm',
    'fp8',
    [
      ['--quantization', 'fp8'],
      ['--kv-cache-dtype', 'fp8'],
    ],
  ],
  [
    'sglang',
    'fp8',
    [
      ['--quantization', 'fp8'],
      ['--kv-cache-dtype', 'fp8_e4m3'],
    ],
  ],
  [
    'llamacpp',
    'fp8',
    [
      ['--cache-type-k', 'q8_0'],
      ['--cache-type-v', 'q8_0'],
    ],
  ],
  ['vllm', 'fp8-kv', [['--kv-cache-dtype', 'fp8']]],
  ['sglang', 'fp8-kv-e5m2', [['--kv-cache-dtype', 'fp8_e5m2']]],
  [
    'llamacpp',
    'q4-kv',
    [
      ['--cache-type-k', 'q4_0'],
      ['--cache-type-v', 'q4_0'],
    ],
  ],
  ['vllm', 'fp8-weights', [['--quantization', 'fp8']]],
];

const parallelRows: [RuntimeName, string, string[][]][] = [
  ['vllm', 'tp2', [['--tensor-parallel-size', '2']]],
  [
    'vllm',
    'tp2pp2',
    [
      ['--tensor-parallel-size', '2'],
      ['--pipeline-parallel-size', '2'],
    ],
  ],
  ['vllm', 'tp2dp2ep', [['--data-parallel-size', '2'], ['--enable-expert-parallel']]],
  ['sglang', 'tp2', [['--tp-size', '2']]],
  [
    'sglang',
    'tp2pp2',
    [
      ['--tp-size', '2'],
      ['--pp-size', '2'],
    ],
  ],
  [
    'sglang',
    'tp4ep4',
    [
      ['--tp-size', '4'],
      ['--ep-size', '4'],
    ],
  ],
  [
    'llamacpp',
    'tp2',
    [
      ['--split-mode', 'row'],
      ['--tensor-split', '1,1'],
    ],
  ],
  [
    'llamacpp',
    'pp4',
    [
      ['--split-mode', 'layer'],
      ['--tensor-split', '1,1,1,1'],
    ],
  ],
];

describe('quantisation presets expand into each engine flags', () => {
  it.each(quantRows)('%s quant-preset=%s', (runtime, preset, runs) => {
    const args = buildCliArgs({ quant_preset: preset }, runtime);
    for (const run of runs)
      expect(containsRun(args, run), `${run.join(' ')} in ${args.join(' ')}`).toBe(true);
  });

  it('the sim expands presets in its imitated engine spelling', () => {
    const sim = getRuntime('sim', { engine: 'sglang', simExecutable: { command: 'node', args: [] } });
    expect(buildCliArgs({ 'quant-preset': 'fp8' }, sim)).toEqual([
      '--kv-cache-dtype',
      'fp8_e4m3',
      '--quantization',
      'fp8',
    ]);
  });

  it.each([
    ['llamacpp', 'fp8-weights'],
    ['vllm', 'q4-kv'],
    ['llamacpp', 'fp8-kv-e5m2'],
  ] as const)('%s refuses %s with a reason', (runtime, preset) => {
    expect(() => buildCliArgs({ 'quant-preset': preset }, runtime)).toThrow(/cannot apply/);
  });
});

describe('parallel presets expand into each engine flags', () => {
  it.each(parallelRows)('%s parallel-preset=%s', (runtime, preset, runs) => {
    const args = buildCliArgs({ 'parallel-preset': preset }, runtime);
    for (const run of runs)
      expect(containsRun(args, run), `${run.join(' ')} in ${args.join(' ')}`).toBe(true);
  });

  it.each([
    ['tp2', { tp: 2, pp: 1, dp: 1, ep: undefined }],
    ['tp2pp2', { tp: 2, pp: 2, dp: 1, ep: undefined }],
    ['dp4', { tp: 1, pp: 1, dp: 4, ep: undefined }],
    ['tp2dp2ep', { tp: 2, pp: 1, dp: 2, ep: 4 }],
    ['tp4ep2', { tp: 4, pp: 1, dp: 1, ep: 2 }],
  ])('parses %s', (name, degrees) => {
    expect(parseParallelPreset(name)).toEqual(degrees);
  });

  it.each(['', 'tp', 'tp0', 'pp2tp2', 'x2'])('rejects %j', (name) => {
    expect(parseParallelPreset(name)).toBeUndefined();
  });

  it.each([
    ['vllm', 'tp2pp2', 4],
    ['sglang', 'tp2dp2', 4],
    ['llamacpp', 'tp2', 2],
  ] as const)('%s %s needs %d GPUs once expanded', (runtime, preset, gpus) => {
    const { params } = canonicalParams({ 'parallel-preset': preset }, runtime);
    expect(worldSize(params, runtime)).toBe(gpus);
  });

  it('vLLM refuses an expert-parallel size other than tp x dp', () => {
    expect(() => buildCliArgs({ 'parallel-preset': 'tp2ep4' }, 'vllm')).toThrow(/tp x dp/);
  });
});

describe('presets against a registry of another engine version', () => {
  it('reports a flag the preset needs but that version lacks', () => {
    const base = loadRegistry('vllm');
    const registry = indexRegistry({
      ...base,
      engine_version: '0.4.0',
      flags: base.flags.filter((f) => f.name !== '--kv-cache-dtype'),
    });
    const result = validateParams({ 'quant-preset': 'fp8' }, createVllmRuntime(registry));
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.message).toMatch(/--kv-cache-dtype, which vLLM 0\.4\.0 does not have/);
  });
});

describe('presetParams', () => {
  it('sorts named presets into their kind', () => {
    expect(presetParams(['FP8', 'tp2pp2'])).toEqual({ 'quant-preset': 'fp8', 'parallel-preset': 'tp2pp2' });
    expect(buildCliArgs(presetParams(['fp8-kv', 'tp2']), 'sglang')).toEqual([
      '--kv-cache-dtype',
      'fp8_e4m3',
      '--tp-size',
      '2',
    ]);
  });

  it.each([
    [['fp9'], /presets\[0\]/],
    [['tp2', 'pp2'], /at most one parallel-preset/],
    [['fp8', 'fp8-kv'], /at most one quant-preset/],
  ])('refuses %j', (names, message) => {
    expect(() => presetParams(names)).toThrow(message);
  });
});

describe('preset keys', () => {
  it.each(['quant-preset', 'quant_preset', '--quantization-preset', 'quantization_preset'])(
    '%s selects a quantisation preset',
    (key) => {
      expect(buildCliArgs({ [key]: 'fp8-kv' }, 'vllm')).toEqual(['--kv-cache-dtype', 'fp8']);
    },
  );

  it.each(['parallel-preset', '--parallel_preset', 'parallelism-preset'])(
    '%s selects a parallel preset',
    (key) => {
      expect(buildCliArgs({ [key]: 'tp4' }, 'sglang')).toEqual(['--tp-size', '4']);
    },
  );
});
