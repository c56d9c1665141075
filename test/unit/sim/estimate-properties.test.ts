// Properties of estimate() over random configurations: never throws for a configuration, finite figures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/sim/estimate.js';
import { gpuCatalogue } from '../../../src/sim/gpu-catalogue.js';
import { modelCatalogue } from '../../../src/sim/model-catalogue.js';

const configArb = fc.record({
  engine: fc.constantFrom('vllm' as const, 'sglang' as const, 'llamacpp' as const),
  model: fc.constantFrom(...modelCatalogue().map((m) => m.name)),
  gpu: fc.constantFrom(...gpuCatalogue().map((g) => g.name)),
  tensorParallel: fc.integer({ min: 0, max: 8 }),
  numGpus: fc.integer({ min: 1, max: 8 }),
  maxNumSeqs: fc.integer({ min: 1, max: 1024 }),
  maxBatchedTokens: fc.integer({ min: 16, max: 32_768 }),
  gpuMemoryUtilization: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
  chunkedPrefill: fc.boolean(),
  maxModelLen: fc.constantFrom(2048, 8192, 32_768),
  weightFormat: fc.constantFrom('bf16' as const, 'fp8' as const, 'int4' as const),
});
const workloadArb = fc.record({
  promptTokens: fc.integer({ min: 1, max: 4000 }),
  outputTokens: fc.integer({ min: 1, max: 1000 }),
  concurrency: fc.integer({ min: 1, max: 512 }),
});

describe('estimate properties', () => {
  it('returns a failure or finite, positive figures, deterministically', () => {
    fc.assert(
      fc.property(configArb, workloadArb, (config, workload) => {
        const result = estimate(config, workload);
        expect(estimate(config, workload)).toEqual(result);
        if (!result.ok) {
          expect(['invalid-parallelism', 'invalid-config', 'oom', 'kv-too-small']).toContain(
            result.failure.kind,
          );
          return;
        }
        const e = result.estimate;
        for (const value of [e.outputTokensPerS, e.requestsPerS, e.ttftMs.p50, e.e2eMs.p50]) {
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThan(0);
        }
        if (workload.outputTokens > 1) expect(e.tpotMs?.p50).toBeGreaterThan(0);
        expect(e.e2eMs.p50).toBeGreaterThanOrEqual(e.ttftMs.p50);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('more concurrency never lowers throughput much (closed loop)', () => {
    fc.assert(
      fc.property(workloadArb, (workload) => {
        const config = { model: 'llama-3.1-8b', gpu: 'h100', maxModelLen: 8192 };
        const a = estimate(config, workload);
        const b = estimate(config, { ...workload, concurrency: workload.concurrency * 2 });
        if (!a.ok || !b.ok) return;
        expect(b.estimate.outputTokensPerS).toBeGreaterThan(0.9 * a.estimate.outputTokensPerS);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
