import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibratePrompt } from '../../../src/benchmark/calibrate-prompt.js';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { type SimServer, startSimServer } from '../../../src/sim/sim-server.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimServer({
    config: { model: 'llama-3.2-1b', gpu: 'h100', timeScale: 4, loadTimeScale: 0 },
  });
  expect(await sim.ready).toBe(true);
});
afterAll(async () => {
  await sim.close();
});

describe('the load generator against the simulated engine', () => {
  it.each(['completions', 'chat'] as const)(
    '%s: calibrated prompts and forced outputs match the usage',
    async (api) => {
      const target = { endpoint: sim.url, model: sim.config.servedModelName, api };
      const calibration = await calibratePrompt(target);
      expect(calibration.tokensPerWord).toBe(1);
      expect(calibration.maxResidualTokens).toBe(0);
      const result = await runBenchmark({
        ...target,
        workload: syntheticWorkload({
          inputTokens: { kind: 'uniform', min: 20, max: 200 },
          outputTokens: 9,
          calibration,
        }),
        load: { kind: 'rate', ratePerS: 40, maxConcurrency: 8 },
        stop: { maxRequests: 16 },
      });
      expect(result.counts).toMatchObject({ ok: 16, error: 0 });
      expect(result.promptTokenCheck).toMatchObject({ compared: 16, mismatched: 0 });
      for (const r of result.records) {
        expect(r.outputTokens).toBe(9);
        expect(r.usageReported).toBe(true);
        expect(r.tokenChunkMs.length).toBeGreaterThan(0);
      }
      expect(result.metrics.ttftMs.p50).toBeGreaterThan(0);
      expect(result.metrics.tpotMs.p50).toBeGreaterThan(0);
    },
  );
});
