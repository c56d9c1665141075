// Shape of the performance model, asserted as inequalities over simulated runs (no wall-clock timing).
import { describe, expect, it } from 'vitest';
import type { SimConfigInput } from '../../../src/sim/sim-config.js';
import { runVirtual, type SimPerformance, type SimWorkload } from '../../../src/sim/virtual-run.js';

function run(config: SimConfigInput, workload: SimWorkload, requests = 200): SimPerformance {
  const result = runVirtual(config, workload, { requests });
  if (!result.ok) throw new Error(`unexpected start-up failure: ${result.failure.message}`);
  return result.performance;
}

describe('performance model shape', () => {
  it('throughput rises with concurrency, then saturates', () => {
    const config = { model: 'llama-3.1-8b', gpu: 'h100' };
    const tput = [1, 16, 64, 256, 512].map(
      (concurrency) => run(config, { promptTokens: 500, outputTokens: 200, concurrency }).outputTokensPerS,
    );
    const [c1, c16, c64, c256, c512] = tput as [number, number, number, number, number];
    expect(c16).toBeGreaterThan(5 * c1);
    expect(c64).toBeGreaterThan(c16);
    expect(c256).toBeGreaterThan(c64);
    // Doubling past the knee buys little (or nothing).
    expect(c512).toBeLessThan(1.2 * c256);
    expect(c512 / c256).toBeLessThan(c16 / c1);
  });

  it('TTFT explodes once concurrency exceeds the KV capacity, with preemptions', () => {
    const config = { model: 'llama-3.1-8b', gpu: 'h100', gpuMemoryUtilization: 0.3, maxModelLen: 8192 };
    const workload = { promptTokens: 2000, outputTokens: 500 };
    const below = run(config, { ...workload, concurrency: 16 });
    const above = run(config, { ...workload, concurrency: 64 });
    expect(below.preemptions).toBe(0);
    expect(above.preemptions).toBeGreaterThan(0);
    expect(above.ttftMs.p50).toBeGreaterThan(10 * below.ttftMs.p50);
  });

  it('tp=2 lowers decode latency for a 70B model on H100', () => {
    const workload = { promptTokens: 500, outputTokens: 100, concurrency: 1 };
    const tpot = (tensorParallel: number, weightFormat: 'int4' | 'bf16') =>
      run(
        { model: 'llama-3.1-70b', gpu: 'h100', tensorParallel, weightFormat, maxModelLen: 8192 },
        workload,
        20,
      ).tpotMs?.p50 ?? Number.NaN;
    expect(tpot(2, 'int4')).toBeLessThan(0.8 * tpot(1, 'int4'));
    expect(tpot(4, 'bf16')).toBeLessThan(0.8 * tpot(2, 'bf16'));
  });

  it('tp=2 does not raise per-GPU throughput for an 8B model', () => {
    const workload = { promptTokens: 500, outputTokens: 200, concurrency: 128 };
    const tp1 = run({ model: 'llama-3.1-8b', gpu: 'h100' }, workload).outputTokensPerS;
    const tp2 = run({ model: 'llama-3.1-8b', gpu: 'h100', tensorParallel: 2 }, workload).outputTokensPerS;
    expect(tp2).toBeGreaterThan(tp1);
    expect(tp2 / 2).toBeLessThan(tp1);
  });

  it('chunked prefill trades TTFT for TPOT', () => {
    const workload = { promptTokens: 4000, outputTokens: 200, concurrency: 16 };
    const base = { model: 'llama-3.1-8b', gpu: 'h100', maxModelLen: 16_384 };
    const chunked = run({ ...base, chunkedPrefill: true, maxBatchedTokens: 256 }, workload);
    const whole = run({ ...base, chunkedPrefill: false }, workload);
    expect(chunked.ttftMs.p50).toBeGreaterThan(whole.ttftMs.p50);
    expect(chunked.tpotMs?.p50 ?? 0).toBeLessThan(whole.tpotMs?.p50 ?? 0);
  });

  it('prefix caching lowers TTFT of prompts that share a prefix', () => {
    const workload = { promptTokens: 3000, outputTokens: 100, concurrency: 8, sharedPrefixTokens: 2800 };
    const cached = run({ model: 'llama-3.1-8b', gpu: 'h100', prefixCaching: true }, workload);
    const uncached = run({ model: 'llama-3.1-8b', gpu: 'h100', prefixCaching: false }, workload);
    expect(cached.ttftMs.p50).toBeLessThan(0.5 * uncached.ttftMs.p50);
  });

  it('a faster GPU serves more and fp8 weights decode faster than bf16', () => {
    const workload = { promptTokens: 500, outputTokens: 200, concurrency: 32 };
    const a100 = run({ model: 'llama-3.1-8b', gpu: 'a100-80gb' }, workload).outputTokensPerS;
    const h100 = run({ model: 'llama-3.1-8b', gpu: 'h100' }, workload).outputTokensPerS;
    expect(h100).toBeGreaterThan(a100);
    const bf16 = run({ model: 'llama-3.1-8b', gpu: 'h100' }, { ...workload, concurrency: 1 }, 20);
    const fp8 = run(
      { model: 'llama-3.1-8b', gpu: 'h100', weightFormat: 'fp8' },
      { ...workload, concurrency: 1 },
      20,
    );
    expect(fp8.tpotMs?.p50 ?? 0).toBeLessThan(bf16.tpotMs?.p50 ?? 0);
  });

  it('the same seed gives the same run and noise changes it', () => {
    const workload = { promptTokens: 300, outputTokens: 50, concurrency: 8 };
    const a = run({ model: 'qwen2.5-7b', gpu: 'l40s', seed: 7, noiseCv: 0.2 }, workload, 50);
    const b = run({ model: 'qwen2.5-7b', gpu: 'l40s', seed: 7, noiseCv: 0.2 }, workload, 50);
    const c = run({ model: 'qwen2.5-7b', gpu: 'l40s', seed: 8, noiseCv: 0.2 }, workload, 50);
    expect(b).toEqual(a);
    expect(c.e2eMs.p50).not.toBe(a.e2eMs.p50);
  });
});
