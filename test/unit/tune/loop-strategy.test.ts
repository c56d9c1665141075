import { describe, expect, it } from 'vitest';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { Params, Trial } from '../../../src/search/trial.js';
import { loopStrategy } from '../../../src/tune/create-strategy.js';
import type { TrialTelemetry } from '../../../src/tune/trial-telemetry.js';

// Batch width lowers TPOT and relieves the KV cache when narrowed; tensor parallelism lowers TPOT only.
const space = normalizeSpace({
  seqs: { values: [16, 64, 256], default: 256, lowers: { tpot: 16, ttft: 256, kv: 16 } },
  tp: { values: [1, 2, 4], default: 1, lowers: { tpot: 4, ttft: 4 } },
});
const defaults: Params = { seqs: 256, tp: 1 };
const fullCache: TrialTelemetry = {
  engine: {
    samples: 20,
    windowMs: 20_000,
    series: {
      kvCacheUsage: { kind: 'gauge', mean: 0.97, max: 1, saturatedShare: 0.7, saturationAt: 0.95 },
      preemptions: { kind: 'counter', delta: 412, perS: 20.6 },
    },
  },
};
// A search trial record as the study journals it: TPOT 40% over its SLO, with or without telemetry.
const record = (telemetry?: TrialTelemetry): Trial & { phase: string; telemetry?: TrialTelemetry } => ({
  number: 0,
  params: defaults,
  state: 'complete',
  values: [-1],
  constraints: [-0.9, 0.4],
  phase: 'search',
  ...(telemetry ? { telemetry } : {}),
});

describe('loopStrategy', () => {
  it("turns a record's telemetry into signals the SLO repair acts on", async () => {
    const ask = (telemetry?: TrialTelemetry) =>
      loopStrategy(createBayesStrategy(space, { seed: 1, constraintMetrics: ['ttft', 'tpot'] })).ask(
        [record(telemetry)],
        1,
        [],
      );
    const [relieved] = await ask(fullCache);
    expect(relieved?.params).toEqual({ seqs: 64, tp: 1 });
    expect(relieved?.origin?.note).toBe(
      'SLO repair of trial 0 (tpot 40% over the SLO, KV cache >= 95% for 70% of the run, 412 preemptions: ' +
        'relieving the KV cache first): seqs 256 -> 64',
    );
    const [usual] = await ask(undefined);
    expect(usual?.params).toEqual({ seqs: 64, tp: 2 });
    expect(usual?.origin?.note).toBe(
      'SLO repair of trial 0 (tpot 40% over the SLO): seqs 256 -> 64, tp 1 -> 2',
    );
  });
});

describe('loopStrategy with screened configurations', () => {
  // Tensor parallelism lowers the memory a replica needs per GPU; the defaults (tp 1) are screened.
  const memorySpace = normalizeSpace({
    seqs: { values: [16, 64, 256], default: 256, lowers: { tpot: 16 } },
    tp: { values: [1, 2, 4], default: 1, lowers: { tpot: 4, memory: 4, gpus: 1 } },
  });
  const screened = (kind: string) => ({
    number: 0,
    params: { seqs: 256, tp: 1 },
    state: 'invalid' as const,
    failureReason: 'screened',
    phase: 'search',
    screened: { kind, reason: 'predicted to fail even with 10% more memory', margin: 0.1 },
  });

  it('repairs a configuration screened for memory as it repairs one that ran out of memory', async () => {
    const strategy = loopStrategy(createBayesStrategy(memorySpace, { seed: 2, constraintMetrics: ['tpot'] }));
    const [next] = await strategy.ask([screened('oom')], 1, []);
    expect(next?.params).toEqual({ seqs: 256, tp: 2 });
    expect(next?.origin?.note).toBe(
      'memory repair of trial 0 (predicted out of memory, not launched): tp 1 -> 2',
    );
  });

  it('leaves a configuration screened for another reason to the start', async () => {
    const strategy = loopStrategy(createBayesStrategy(memorySpace, { seed: 2, constraintMetrics: ['tpot'] }));
    const [next] = await strategy.ask([screened('context')], 1, []);
    expect(next?.origin?.kind).toBe('design');
  });
});
