import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capacitySearch } from '../../../src/benchmark/capacity-search.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { estimate } from '../../../src/sim/estimate.js';
import { type SimServer, startSimServer } from '../../../src/sim/sim-server.js';
import type { SloSpec } from '../../../src/slo/types.js';

// The simulated engine runs at most 4 sequences at once; beyond that, clients queue for a share of a request
// lifetime (~235 ms here), so p90 TTFT jumps from ~7 ms of simulated time to 60 ms or more.
const TIME_SCALE = 1;
const config = {
  model: 'llama-3.1-8b',
  gpu: 'h100',
  maxNumSeqs: 4,
  timeScale: TIME_SCALE,
  loadTimeScale: 0,
  seed: 1,
};
const PROMPT_TOKENS = 64;
const OUTPUT_TOKENS = 32;
// 50 ms of simulated time, in real time: timer and client overheads on a loaded machine stay well under it.
const slo: SloSpec = { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 50 / TIME_SCALE }] };

/** The simulator's own capacity: the highest concurrency whose predicted p90 TTFT meets the SLO. */
function predictedCapacity(): number {
  let best = 0;
  for (let c = 1; c <= 32; c++) {
    const r = estimate(config, { promptTokens: PROMPT_TOKENS, outputTokens: OUTPUT_TOKENS, concurrency: c });
    if (r.ok && r.estimate.ttftMs.p90 / TIME_SCALE <= (slo.terms[0]?.maxMs ?? 0)) best = c;
  }
  return best;
}

let sim: SimServer;
let coldProbes = Number.POSITIVE_INFINITY;
beforeAll(async () => {
  sim = await startSimServer({ config });
  expect(await sim.ready).toBe(true);
});
afterAll(async () => {
  await sim.close();
});

const benchmark = () => ({
  endpoint: sim.url,
  model: sim.config.servedModelName,
  // The simulator counts one token per word, no BOS.
  workload: syntheticWorkload({
    inputTokens: PROMPT_TOKENS,
    outputTokens: OUTPUT_TOKENS,
    calibration: { overheadTokens: 0, tokensPerWord: 1 },
  }),
  stop: { maxDurationMs: 1_000 },
  warmupRequests: 2,
});

describe('capacitySearch against the simulated engine', () => {
  it('converges to the simulator capacity (cold start), reporting its probes', async () => {
    const expected = predictedCapacity();
    expect(expected).toBe(4);
    const result = await capacitySearch(benchmark(), { dimension: 'concurrency', slo, tolerance: 0.05 });
    expect(result.capacity).toBe(expected);
    expect(result.firstFailing).toBe(expected + 1);
    expect(result.converged).toBe(true);
    expect(result.probeCount).toBe(result.probes.length);
    expect(result.probeCount).toBeLessThanOrEqual(8);
    coldProbes = result.probeCount;
    expect(result.best?.promptTokenCheck.mismatched).toBe(0);
  });

  it('needs fewer probes when warm-started near the answer', async () => {
    const result = await capacitySearch(benchmark(), {
      dimension: 'concurrency',
      slo,
      previous: 3,
      tolerance: 0.05,
    });
    expect(result.capacity).toBe(4);
    expect(result.probes.map((p) => p.level)).toEqual([3, 4, 5]);
    expect(result.probeCount).toBeLessThan(coldProbes);
  });

  it('stops a probe once its requests prove the SLO lost, and finds the same capacity', async () => {
    const planned = 40;
    const maxMs = slo.terms[0]?.maxMs ?? 0;
    // p90 of 40 values exceeds the bound once 40 - floor(0.9 x 39) = 5 of them do.
    const result = await capacitySearch(
      { ...benchmark(), stop: { maxRequests: planned } },
      {
        dimension: 'concurrency',
        slo,
        previous: 3,
        tolerance: 0.05,
        probeStopWhen: () => {
          let over = 0;
          return (record) => {
            if ((record.firstTokenMs ?? Number.POSITIVE_INFINITY) - record.sentMs > maxMs) over++;
            return over >= 5;
          };
        },
      },
    );
    expect(result.capacity).toBe(4);
    const failing = result.probes.filter((p) => !p.meets);
    expect(failing.length).toBeGreaterThan(0);
    for (const probe of failing) {
      expect(probe.stoppedEarly).toBe(true);
      expect(probe.detail?.metrics.requestCount).toBeLessThan(planned);
    }
    for (const probe of result.probes.filter((p) => p.meets)) expect(probe.stoppedEarly).toBe(false);
  });
});
