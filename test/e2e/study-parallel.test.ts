// Parallel trials on a static 8-GPU inventory: real simulated servers through the local controller, four
// trials at a time with mixed tensor-parallel sizes; no GPU is ever held by two running trials.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { createEngineEvaluator } from '../../src/tune/engine-evaluator.js';
import type { TrialEvaluator } from '../../src/tune/evaluator.js';
import type { StudyEvent } from '../../src/tune/events.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { resolveOptions } from '../../src/tune/resolve-options.js';
import { runTrials } from '../../src/tune/run-trials.js';
import type { Scorer } from '../../src/tune/scorer.js';
import { study } from '../../src/tune/study.js';
import { studyIdentity } from '../../src/tune/study-identity.js';
import type { TrialRecord } from '../../src/tune/trial-record.js';
import { systemClock } from '../../src/util/clock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-parallel-'));
});
afterAll(async () => {
  await new LocalController({ stateDir: join(dir, 'state') }).cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** One evaluation as seen from inside the GPU lease. */
interface Hold {
  trial: number;
  gpus: number[];
  startMs: number;
  endMs: number;
}

// Wraps an evaluator to record which GPUs each evaluation held and when, and every GPU found already held.
function recording(inner: TrialEvaluator) {
  const holds: Hold[] = [];
  const held = new Map<number, number>();
  const clashes: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const evaluator: TrialEvaluator = {
    plan: (params) => inner.plan(params),
    async evaluate(ctx) {
      const gpus = ctx.gpus.map((g) => g.index);
      for (const gpu of gpus) {
        const holder = held.get(gpu);
        if (holder !== undefined) clashes.push(`GPU ${gpu}: trial ${ctx.trial.number} while trial ${holder}`);
        held.set(gpu, ctx.trial.number);
      }
      maxRunning = Math.max(maxRunning, ++running);
      const startMs = performance.now();
      try {
        return await inner.evaluate(ctx);
      } finally {
        running--;
        for (const gpu of gpus) if (held.get(gpu) === ctx.trial.number) held.delete(gpu);
        holds.push({ trial: ctx.trial.number, gpus, startMs, endMs: performance.now() });
      }
    },
  };
  return { evaluator, holds, clashes, maxRunning: () => maxRunning };
}

// Flat metrics for evaluators that only schedule (every figure 1, no errors).
const unitStats = { mean: 1, p50: 1, p90: 1, p95: 1, p99: 1 };
const metrics = {
  ttftMs: unitStats,
  tpotMs: unitStats,
  itlMs: unitStats,
  e2eMs: unitStats,
  requestsPerS: 1,
  inputTokensPerS: 1,
  outputTokensPerS: 1,
  totalTokensPerS: 1,
  errorRate: 0,
  requestCount: 1,
};

const gpus = Array.from({ length: 8 }, (_, index) => ({
  index,
  uuid: `GPU-parallel-${index}`,
  name: 'NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
}));

describe('parallel trials on a static 8-GPU inventory', () => {
  it('runs four simulated servers at a time with mixed tensor-parallel sizes and never shares a GPU', async () => {
    const stateDir = join(dir, 'state');
    const options: TuneOptionsInput = {
      name: 'parallel-e2e',
      model: 'llama-3.1-8b',
      sim: { gpu: 'h100', timeScale: 20 },
      gpus,
      maxParallelTrials: 4,
      fixedParams: { 'max-model-len': 4096 },
      space: { 'tensor-parallel-size': [1, 2, 4], 'max-num-seqs': [32, 64, 128, 256] },
      strategy: 'random',
      workload: { kind: 'synthetic', inputTokens: 256, outputTokens: 64 },
      load: { kind: 'concurrency', levels: [16] },
      benchmark: { requests: 32, warmupRequests: 2 },
      objective: 'maximize_throughput',
      budget: { maxTrials: 10 },
      baseline: false,
      confirm: { top: 0, repeats: 0 },
      controller: { kind: 'local', stateDir },
      journal: join(dir, 'parallel.jsonl'),
      seed: 5,
    };
    const resolved = resolveOptions(options);
    const { studyId } = studyIdentity(resolved.options);
    const controller = new LocalController({ stateDir });
    const engine = createEngineEvaluator(resolved, {
      studyId,
      controller,
      gpusAvailable: gpus.length,
      libraryVersion: '0.0.0',
    });
    const probe = recording(engine);

    const running = study(options, { evaluator: probe.evaluator });
    const events: StudyEvent[] = [];
    for await (const event of running) events.push(event);
    const result = await running.result;

    expect(result.trials).toHaveLength(10);
    expect(result.trials.filter((t) => t.state === 'complete').length).toBeGreaterThanOrEqual(8);
    const sizes = new Set(result.trials.map((t) => t.worldSize));
    expect(sizes.size).toBeGreaterThanOrEqual(2);

    // No GPU held by two evaluations at once: neither seen live nor in the recorded intervals.
    expect(probe.clashes).toEqual([]);
    for (const a of probe.holds) {
      for (const b of probe.holds) {
        if (a.trial >= b.trial || a.endMs <= b.startMs || b.endMs <= a.startMs) continue;
        expect(
          a.gpus.filter((g) => b.gpus.includes(g)),
          `trials ${a.trial} and ${b.trial}`,
        ).toEqual([]);
      }
    }
    // Trials did run side by side, within the limit of four.
    expect(probe.maxRunning()).toBeGreaterThanOrEqual(2);
    expect(probe.maxRunning()).toBeLessThanOrEqual(4);

    // What the events and the journal say agrees with what the evaluations held.
    for (const hold of probe.holds) {
      const started = events.find((e) => e.type === 'trial-started' && e.trial === hold.trial);
      expect(started).toMatchObject({ gpus: hold.gpus });
      const record = result.trials.find((t) => t.number === hold.trial);
      expect(record?.gpuIndices).toEqual(hold.gpus);
      expect(hold.gpus).toHaveLength(record?.worldSize ?? -1);
      expect(record?.manifest?.gpus.map((g) => g.index)).toEqual(hold.gpus);
    }
    expect(await controller.running(studyId)).toEqual([]);
  }, 180_000);

  it('with maxOvertakes 0, trials get their GPUs strictly in the order they were asked', async () => {
    const started: number[] = [];
    const evaluator: TrialEvaluator = {
      plan: (params) => ({ worldSize: params['tensor-parallel-size'] as number, problems: [] }),
      async evaluate(ctx) {
        started.push(ctx.trial.number);
        await sleep(5 + ((ctx.trial.number * 7) % 4) * 5);
        return { state: 'complete', metrics };
      },
    };
    const options: TuneOptionsInput = {
      name: 'strict-order',
      model: 'llama-3.1-8b',
      gpus: gpus.slice(0, 4),
      maxOvertakes: 0,
      space: { 'tensor-parallel-size': [1, 2, 4], 'max-num-seqs': [32, 64, 128, 256, 512] },
      strategy: 'random',
      objective: 'maximize_throughput',
      budget: { maxTrials: 14 },
      baseline: false,
      confirm: { top: 0, repeats: 0 },
      journal: join(dir, 'strict.jsonl'),
      seed: 2,
    };
    const result = await study(options, { evaluator }).result;
    expect(result.trials).toHaveLength(14);
    expect(new Set(result.trials.map((t) => t.worldSize)).size).toBeGreaterThanOrEqual(2);
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect(() => study({ ...options, maxOvertakes: -1 })).toThrow(/maxOvertakes/);
  });

  it.each([1, 2, 4])(
    'spends the trial budget exactly with %i in flight while journal lines are slow to write',
    async (maxParallel) => {
      const scorer: Scorer = {
        objectiveNames: ['t'],
        directions: ['maximize'],
        score: () => ({ values: [0], constraints: [], objective: [0], penalty: 1, feasible: true }),
        provenLost: () => false,
      };
      let asked = 0;
      const history: TrialRecord[] = [];
      const { reason, nextNumber } = await runTrials(
        {
          deps: {
            evaluator: {
              plan: () => ({ worldSize: 0, problems: [] }),
              async evaluate(ctx) {
                await sleep(ctx.trial.number % 2 ? 30 : 10);
                return { state: 'complete', metrics };
              },
            },
            scorer,
            pool: undefined,
            clock: systemClock,
            trialTimeoutMs: 10_000,
            emit: () => undefined,
            pruning: false,
          },
          strategy: {
            ask: async (_history, count) =>
              Array.from({ length: count }, () => ({ params: { id: asked++ } })),
          },
          history,
          nextNumber: 0,
          maxTrials: 10,
          maxParallel,
          // A finished trial whose line is still being written must not count twice against the budget.
          record: () => sleep(25),
        },
        new AbortController().signal,
      );
      expect(reason).toBe('reached the budget of 10 trials');
      expect(history).toHaveLength(10);
      expect(nextNumber).toBe(10);
    },
  );
});
