// estimate(): agreement with simulated runs in steady state, failures as results, determinism.
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/sim/estimate.js';
import type { SimConfigInput } from '../../../src/sim/sim-config.js';
import { runVirtual, type SimWorkload } from '../../../src/sim/virtual-run.js';

const CASES: [string, SimConfigInput, SimWorkload][] = [
  [
    '8B H100 light',
    { model: 'llama-3.1-8b', gpu: 'h100' },
    { promptTokens: 1000, outputTokens: 200, concurrency: 16 },
  ],
  [
    '8B H100 busy',
    { model: 'llama-3.1-8b', gpu: 'h100' },
    { promptTokens: 1000, outputTokens: 200, concurrency: 64 },
  ],
  [
    '8B H100 decode heavy',
    { model: 'llama-3.1-8b', gpu: 'h100' },
    { promptTokens: 200, outputTokens: 500, concurrency: 64 },
  ],
  [
    '8B A100 queueing',
    { model: 'llama-3.1-8b', gpu: 'a100-80gb', maxNumSeqs: 32 },
    { promptTokens: 500, outputTokens: 100, concurrency: 64 },
  ],
  [
    '70B tp4',
    { model: 'llama-3.1-70b', gpu: 'h100', tensorParallel: 4 },
    { promptTokens: 1000, outputTokens: 200, concurrency: 32 },
  ],
  [
    'Qwen 7B L40S',
    { model: 'qwen2.5-7b', gpu: 'l40s' },
    { promptTokens: 500, outputTokens: 200, concurrency: 32 },
  ],
  [
    'Mixtral tp2',
    { model: 'mixtral-8x7b', gpu: 'h100', tensorParallel: 2 },
    { promptTokens: 500, outputTokens: 200, concurrency: 32 },
  ],
  [
    'SGLang flavour',
    { model: 'llama-3.1-8b', gpu: 'h100', engine: 'sglang' },
    { promptTokens: 1000, outputTokens: 200, concurrency: 32 },
  ],
  [
    'open loop',
    { model: 'llama-3.1-8b', gpu: 'h100' },
    { promptTokens: 1000, outputTokens: 200, requestRatePerS: 5 },
  ],
  [
    'shared prefix',
    { model: 'llama-3.1-8b', gpu: 'h100' },
    { promptTokens: 2000, outputTokens: 100, concurrency: 32, sharedPrefixTokens: 1500 },
  ],
  [
    'data parallel',
    { model: 'llama-3.1-8b', gpu: 'h100', dataParallel: 2 },
    { promptTokens: 500, outputTokens: 200, concurrency: 64 },
  ],
];

const within = (actual: number, expected: number, tolerance: number): boolean =>
  Math.abs(actual / expected - 1) <= tolerance;

describe('estimate', () => {
  it.each(CASES)('agrees with a simulated run within 15%%: %s', (_name, config, workload) => {
    const simulated = runVirtual(config, workload, { requests: 500 });
    const predicted = estimate(config, workload);
    if (!simulated.ok || !predicted.ok) throw new Error('configuration should start');
    const sim = simulated.performance;
    const est = predicted.estimate;
    expect(within(est.outputTokensPerS, sim.outputTokensPerS, 0.15)).toBe(true);
    expect(within(est.ttftMs.p50, sim.ttftMs.p50, 0.15)).toBe(true);
    expect(within(est.tpotMs?.p50 ?? 0, sim.tpotMs?.p50 ?? 1, 0.15)).toBe(true);
    expect(within(est.e2eMs.p50, sim.e2eMs.p50, 0.15)).toBe(true);
  });

  it.each([
    ['oom', { model: 'llama-3.1-70b', gpu: 'h100' }],
    ['invalid-parallelism', { model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 3, numGpus: 4 }],
    ['invalid-parallelism', { model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 4, numGpus: 2 }],
    ['kv-too-small', { model: 'llama-3.1-70b', gpu: 'h100', tensorParallel: 2 }],
    ['invalid-config', { model: 'qwen2.5-7b', gpu: 'h100', maxModelLen: 100_000 }],
    ['invalid-config', { model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 0 }],
    ['invalid-config', { model: 'llama-3.1-8b', gpu: 'h100', gpuMemoryUtilization: 1.5 }],
    ['invalid-config', { model: 'no-such-model', gpu: 'h100' }],
    ['invalid-config', { model: 'llama-3.1-8b', gpu: 'h100', maxModelLen: 150 }],
  ] as [string, SimConfigInput][])('reports %s as a failure result instead of throwing', (kind, config) => {
    const result = estimate(config, { promptTokens: 100, outputTokens: 100, concurrency: 4 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.kind).toBe(kind);
  });

  it.each([
    [{ promptTokens: 0, outputTokens: 10, concurrency: 1 }, 'workload.promptTokens'],
    [{ promptTokens: 10, outputTokens: 10 }, 'workload.requestRatePerS'],
    [{ promptTokens: 10, outputTokens: 10, concurrency: 0 }, 'workload.concurrency'],
  ])('throws for an unusable workload %j', (workload, option) => {
    expect(() => estimate({ model: 'llama-3.1-8b', gpu: 'h100' }, workload)).toThrow(option);
    expect(() => runVirtual({ model: 'llama-3.1-8b', gpu: 'h100' }, workload)).toThrow(option);
  });

  it('is deterministic and reports capacity figures', () => {
    const config = { model: 'llama-3.1-8b', gpu: 'h100', gpuMemoryUtilization: 0.5 };
    const workload = { promptTokens: 2000, outputTokens: 500, concurrency: 8 };
    const a = estimate(config, workload);
    expect(estimate(config, workload)).toEqual(a);
    if (!a.ok) throw new Error('should start');
    expect(a.estimate.maxConcurrencyBeforeKvPressure).toBeGreaterThan(8);
    expect(a.estimate.kvCapacityTokens).toBeGreaterThan(100_000);
    expect(a.estimate.startupMs).toBeGreaterThan(0);
  });

  it('more memory utilisation buys concurrency until weights no longer fit', () => {
    const capacity = (gpuMemoryUtilization: number) => {
      const result = estimate(
        { model: 'llama-3.1-8b', gpu: 'h100', gpuMemoryUtilization, maxModelLen: 8192 },
        { promptTokens: 2000, outputTokens: 500, concurrency: 8 },
      );
      return result.ok ? result.estimate.maxConcurrencyBeforeKvPressure : result.failure.kind;
    };
    const [low, mid, high] = [0.4, 0.6, 0.9].map(capacity) as number[];
    expect(mid).toBeGreaterThan(low as number);
    expect(high).toBeGreaterThan(mid as number);
    expect(capacity(0.15)).toBe('oom');
  });

  it('open loop past capacity is saturated with unbounded latency', () => {
    const result = estimate(
      { model: 'llama-3.1-8b', gpu: 'h100' },
      { promptTokens: 1000, outputTokens: 200, requestRatePerS: 1000 },
    );
    if (!result.ok) throw new Error('should start');
    expect(result.estimate.saturated).toBe(true);
    expect(result.estimate.ttftMs.p50).toBe(Number.POSITIVE_INFINITY);
    expect(result.estimate.requestsPerS).toBeLessThan(1000);
  });
});
