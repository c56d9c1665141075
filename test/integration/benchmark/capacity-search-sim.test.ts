import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capacitySearch, metricsMeetSlo } from '../../../src/benchmark/capacity-search.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { estimate } from '../../../src/sim/estimate.js';
import { type SimServer, startSimServer } from '../../../src/sim/sim-server.js';
import type { SloSpec } from '../../../src/slo/types.js';
import { virtualProbeRunner } from '../../support/virtual-probe-runner.js';

// The simulated engine runs at most 4 sequences at once; beyond that, clients queue for a share of a request
// lifetime (~235 ms here), so p90 TTFT jumps from ~8 ms of simulated time to 70 ms or more.
const config = {
  model: 'llama-3.1-8b',
  gpu: 'h100',
  maxNumSeqs: 4,
  timeScale: 1,
  loadTimeScale: 0,
  seed: 1,
};
const PROMPT_TOKENS = 64;
const OUTPUT_TOKENS = 32;
const shape = { promptTokens: PROMPT_TOKENS, outputTokens: OUTPUT_TOKENS };
const slo: SloSpec = { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 50 }] };
const maxMs = 50;

/** The simulator's own capacity: the highest concurrency whose predicted p90 TTFT meets the SLO. */
function predictedCapacity(): number {
  let best = 0;
  for (let c = 1; c <= 32; c++) {
    const r = estimate(config, { ...shape, concurrency: c });
    if (r.ok && r.estimate.ttftMs.p90 <= maxMs) best = c;
  }
  return best;
}

const workload = () =>
  // The simulator counts one token per word, no BOS.
  syntheticWorkload({
    inputTokens: PROMPT_TOKENS,
    outputTokens: OUTPUT_TOKENS,
    calibration: { overheadTokens: 0, tokensPerWord: 1 },
  });

// The search logic (bracketing, bisection, warm start, early stops) on the simulator's virtual run: the same
// levels give the same measurements however busy the machine is.
describe('capacitySearch over the simulated engine (virtual runs)', () => {
  const benchmark = () => ({
    endpoint: 'http://127.0.0.1:9',
    model: 'virtual',
    workload: workload(),
    stop: { maxRequests: 40 },
  });

  it('converges to the simulator capacity (cold start), each probe taking fresh requests', async () => {
    const expected = predictedCapacity();
    expect(expected).toBe(4);
    const runProbe = virtualProbeRunner(config, shape);
    const result = await capacitySearch(benchmark(), {
      dimension: 'concurrency',
      slo,
      tolerance: 0.05,
      runProbe,
    });
    expect(result.capacity).toBe(expected);
    expect(result.firstFailing).toBe(expected + 1);
    expect(result.converged).toBe(true);
    // Doubling brackets [4, 8], bisection closes it at [4, 5].
    expect(result.probes.map((p) => [p.level, p.meets])).toEqual([
      [1, true],
      [2, true],
      [4, true],
      [8, false],
      [6, false],
      [5, false],
    ]);
    expect(result.probeCount).toBe(result.probes.length);
    expect(runProbe.calls.map((c) => c.workloadOffset)).toEqual([0, 40, 80, 120, 160, 200]);
    expect(result.best).toBe(result.probes[2]?.detail);
    expect(result.best?.metrics.ttftMs.p90).toBeLessThanOrEqual(maxMs);
    for (const probe of result.probes) expect(probe.stoppedEarly).toBe(false);
  });

  it('needs fewer probes when warm-started near the answer', async () => {
    const result = await capacitySearch(benchmark(), {
      dimension: 'concurrency',
      slo,
      previous: 3,
      tolerance: 0.05,
      runProbe: virtualProbeRunner(config, shape),
    });
    expect(result.capacity).toBe(4);
    expect(result.probes.map((p) => p.level)).toEqual([3, 4, 5]);
    expect(result.converged).toBe(true);
  });

  it('stops a probe once its requests prove the SLO lost, and finds the same capacity', async () => {
    const planned = 40;
    // p90 of 40 values exceeds the bound once 40 - floor(0.9 x 39) = 5 of them do.
    const result = await capacitySearch(
      { ...benchmark(), stop: { maxRequests: planned } },
      {
        dimension: 'concurrency',
        slo,
        previous: 3,
        tolerance: 0.05,
        runProbe: virtualProbeRunner(config, shape),
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
    expect(failing.map((p) => p.level)).toEqual([5]);
    for (const probe of failing) {
      expect(probe.stoppedEarly).toBe(true);
      expect(probe.detail?.metrics.requestCount).toBeLessThan(planned);
    }
    for (const probe of result.probes.filter((p) => p.meets)) {
      expect(probe.stoppedEarly).toBe(false);
      expect(probe.detail?.metrics.requestCount).toBe(planned);
    }
  });
});

// One search against a real simulated server over HTTP: it runs end to end and reports a consistent answer.
// The SLO leaves ~140 ms of room at the capacity the simulator predicts, so no exact level is asserted.
describe('capacitySearch against a live simulated engine', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimServer({ config });
    expect(await sim.ready).toBe(true);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('finds a capacity whose probes met the SLO and reports them', async () => {
    const liveSlo: SloSpec = { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 150 }] };
    const result = await capacitySearch(
      {
        endpoint: sim.url,
        model: sim.config.servedModelName,
        workload: workload(),
        stop: { maxDurationMs: 1_000 },
        warmupRequests: 2,
      },
      { dimension: 'concurrency', slo: liveSlo, tolerance: 0.05, maxLevel: 8 },
    );
    expect(result.capacity).toBeGreaterThanOrEqual(1);
    expect(result.probeCount).toBe(result.probes.length);
    for (const probe of result.probes) {
      expect(probe.detail?.metrics.requestCount).toBeGreaterThan(0);
      expect(probe.meets).toBe(metricsMeetSlo(probe.detail?.metrics ?? ({} as never), liveSlo));
    }
    const capacity = result.capacity ?? 0;
    expect(result.probes.some((p) => p.meets && p.level === capacity)).toBe(true);
    for (const probe of result.probes) if (probe.level > capacity) expect(probe.meets).toBe(false);
    if (result.firstFailing !== undefined) expect(result.firstFailing).toBeGreaterThan(capacity);
    expect(result.best?.metrics.ttftMs.p90).toBeLessThanOrEqual(150);
    expect(result.best?.promptTokenCheck.mismatched).toBe(0);
  }, 60_000);
});
