// Start-up of the simulated engine: failure kinds, messages in the engines' words, and timing.
import { describe, expect, it } from 'vitest';
import { planMemory } from '../../../src/sim/memory-plan.js';
import { resolveSimConfig, type SimConfigInput } from '../../../src/sim/sim-config.js';
import { checkStartup } from '../../../src/sim/startup.js';
import { createRng } from '../../../src/util/rng.js';

describe('checkStartup', () => {
  it.each<[string, SimConfigInput, string, RegExp]>([
    ['70B bf16 on one H100', { model: 'llama-3.1-70b', gpu: 'h100' }, 'oom', /CUDA out of memory/],
    [
      '8B on a 4090 at low utilisation',
      { model: 'llama-3.1-8b', gpu: 'rtx-4090', gpuMemoryUtilization: 0.5 },
      'oom',
      /out of memory/,
    ],
    [
      'weights fit but nothing is left',
      { model: 'llama-3.1-8b', gpu: 'rtx-4090', gpuMemoryUtilization: 0.66, maxModelLen: 4096 },
      'oom',
      /No available memory for the cache blocks/,
    ],
    [
      'heads not divisible by tp',
      { model: 'qwen2.5-7b', gpu: 'h100', tensorParallel: 8 },
      'invalid-parallelism',
      /attention heads \(28\) must be divisible by tensor parallel size \(8\)/,
    ],
    [
      'more GPUs than visible',
      { model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 2, numGpus: 1 },
      'invalid-parallelism',
      /needs 2 GPUs/,
    ],
    [
      'KV too small for max_model_len',
      { model: 'llama-3.1-70b', gpu: 'h100', tensorParallel: 2 },
      'kv-too-small',
      /max seq len \(131072\)/,
    ],
    [
      'context beyond the model',
      { model: 'qwen2.5-7b', gpu: 'h100', maxModelLen: 65_536 },
      'invalid-config',
      /max_model_len \(65536\)/,
    ],
    [
      'unchunked budget below max_model_len',
      { model: 'llama-3.1-8b', gpu: 'h100', chunkedPrefill: false, maxBatchedTokens: 2048 },
      'invalid-config',
      /max_num_batched_tokens \(2048\)/,
    ],
    [
      'llama.cpp context that does not fit',
      {
        engine: 'llamacpp',
        model: 'llama-3.1-8b',
        gpu: 'rtx-4090',
        kvCapacityTokensOverride: 131_072,
        maxModelLen: 32_768,
      },
      'oom',
      /failed to allocate the KV cache/,
    ],
  ])('%s', (_name, input, kind, message) => {
    const result = checkStartup(resolveSimConfig(input));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.kind).toBe(kind);
    expect(result.failure.message).toMatch(message);
    expect(result.failure.atMs).toBeGreaterThan(0);
  });

  it('an OOM while loading happens after the invalid-layout check would have', () => {
    const oom = checkStartup(resolveSimConfig({ model: 'llama-3.1-70b', gpu: 'h100' }));
    const layout = checkStartup(resolveSimConfig({ model: 'qwen2.5-7b', gpu: 'h100', tensorParallel: 8 }));
    if (oom.ok || layout.ok) throw new Error('both should fail');
    expect(oom.failure.atMs).toBeGreaterThan(layout.failure.atMs);
  });

  it('bigger models load longer; CUDA graphs and load-time scale change start-up time', () => {
    const ms = (input: SimConfigInput) => {
      const result = checkStartup(resolveSimConfig(input));
      return result.ok ? result.startupMs : Number.NaN;
    };
    expect(ms({ model: 'qwen2.5-32b', gpu: 'h100' })).toBeGreaterThan(
      ms({ model: 'llama-3.1-8b', gpu: 'h100' }),
    );
    expect(ms({ model: 'llama-3.1-8b', gpu: 'h100', cudaGraphs: false })).toBeLessThan(
      ms({ model: 'llama-3.1-8b', gpu: 'h100' }),
    );
    expect(ms({ model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0 })).toBe(0);
  });

  it('a start-up crash rate of 1 always crashes, 0 never', () => {
    const config = resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100', startupCrashRate: 1 });
    const result = checkStartup(config, createRng(1));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.kind).toBe('random-crash');
    expect(checkStartup(resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100' }), createRng(1)).ok).toBe(
      true,
    );
  });

  it.each([
    [{ model: 'llama-3.1-8b', gpu: 'h100' }, { gpuMemoryUtilization: 0.5 }],
    [
      { model: 'llama-3.1-8b', gpu: 'h100' },
      { kvBytesPerElement: 2, maxBatchedTokens: 16_384 },
    ],
  ] as [SimConfigInput, Partial<SimConfigInput>][])('KV capacity shrinks with %j -> %j', (base, change) => {
    const before = planMemory(resolveSimConfig(base)).kvCapacityTokens;
    const after = planMemory(resolveSimConfig({ ...base, ...change })).kvCapacityTokens;
    expect(after).toBeLessThan(before);
  });

  it('fp8 KV doubles the cache and tp shards the weights', () => {
    const bf16 = planMemory(resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100' }));
    const fp8 = planMemory(resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100', kvBytesPerElement: 1 }));
    expect(fp8.kvCapacityTokens / bf16.kvCapacityTokens).toBeCloseTo(2, 1);
    const tp2 = planMemory(resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 2 }));
    expect(tp2.weightBytesPerGpu).toBeCloseTo(bf16.weightBytesPerGpu / 2, -3);
  });
});
