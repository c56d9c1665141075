import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { GpuPool } from '../../../src/gpu/gpu-pool.js';
import type { Params, Trial } from '../../../src/search/trial.js';
import type { TrialEvaluator } from '../../../src/tune/evaluator.js';
import { type LoopStrategy, runTrials } from '../../../src/tune/run-trials.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';
import { systemClock } from '../../../src/util/clock.js';
import { idleGpus, runMetrics, throughputScorer } from './loop-fixtures.js';

const gpus = idleGpus(8, 'H100', 81_920);
const metricsFor = (throughput: number) => runMetrics(throughput);
const scorer = throughputScorer;

// Asks tp in 1, 2, 4 cyclically; records what it saw.
function cyclingStrategy(): LoopStrategy & { seen: number[] } {
  let next = 0;
  const seen: number[] = [];
  return {
    seen,
    async ask(history: readonly Trial[], count: number) {
      seen.push(history.length);
      return Array.from({ length: count }, () => ({
        params: { tp: [1, 2, 4][next++ % 3] as number, id: next },
      }));
    },
  };
}

function evaluatorWith(overrides: Partial<TrialEvaluator> & { holdMs?: number } = {}) {
  const active = new Map<string, number>();
  let maxConcurrent = 0;
  let running = 0;
  const evaluator: TrialEvaluator = {
    plan: (params: Params) => ({ worldSize: Number(params['tp']), problems: [] }),
    async evaluate(ctx) {
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      for (const g of ctx.gpus) {
        if (active.has(g.uuid))
          throw new Error(`GPU ${g.uuid} shared by trials ${active.get(g.uuid)} and ${ctx.trial.number}`);
        active.set(g.uuid, ctx.trial.number);
      }
      try {
        await sleep(overrides.holdMs ?? 5, undefined, { signal: ctx.signal });
        return { state: 'complete', metrics: metricsFor(100 + ctx.trial.number) };
      } finally {
        for (const g of ctx.gpus) active.delete(g.uuid);
        running--;
      }
    },
    ...overrides,
  };
  return { evaluator, stats: () => ({ maxConcurrent }) };
}

const deps = (evaluator: TrialEvaluator, pool: GpuPool | undefined, trialTimeoutMs = 10_000) => ({
  evaluator,
  scorer,
  pool,
  clock: systemClock,
  trialTimeoutMs,
  emit: () => undefined,
  pruning: false,
});

describe('runTrials', () => {
  it('runs trials concurrently on an 8-GPU pool without ever sharing a GPU, within budget', async () => {
    const { evaluator, stats: s } = evaluatorWith({ holdMs: 20 });
    const history: TrialRecord[] = [];
    const recorded: number[] = [];
    const result = await runTrials(
      {
        deps: deps(evaluator, new GpuPool(gpus)),
        strategy: cyclingStrategy(),
        history,
        nextNumber: 0,
        maxTrials: 24,
        maxParallel: 4,
        record: async (t) => {
          recorded.push(t.number);
        },
      },
      new AbortController().signal,
    );
    expect(result.reason).toMatch(/budget of 24/);
    expect(history).toHaveLength(24);
    expect(history.every((t) => t.state === 'complete')).toBe(true);
    expect(recorded.sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(s().maxConcurrent).toBeGreaterThan(1);
    expect(s().maxConcurrent).toBeLessThanOrEqual(4);
  });

  it('records invalid, failed and timed-out trials and goes on', async () => {
    const { evaluator } = evaluatorWith();
    const history: TrialRecord[] = [];
    const strategy: LoopStrategy = {
      async ask(h) {
        const all: Params[] = [
          { tp: 3, bad: true },
          { tp: 1, crash: true },
          { tp: 1, hang: true },
          { tp: 1 },
        ];
        return [{ params: all[h.length] ?? { tp: 1 } }];
      },
    };
    await runTrials(
      {
        deps: deps(
          {
            plan: (p) => ({
              worldSize: Number(p['tp']),
              problems: p['bad'] ? ['tp=3 does not divide 32 heads'] : [],
            }),
            async evaluate(ctx) {
              if (ctx.trial.params['crash']) throw new Error('engine exploded');
              if (ctx.trial.params['hang']) await sleep(60_000, undefined, { signal: ctx.signal });
              return evaluator.evaluate(ctx);
            },
          },
          new GpuPool(gpus),
          300,
        ),
        strategy,
        history,
        nextNumber: 0,
        maxTrials: 4,
        maxParallel: 1,
        record: async () => undefined,
      },
      new AbortController().signal,
    );
    expect(history.map((t) => [t.state, t.failureReason])).toEqual([
      ['invalid', 'invalid-parameters'],
      ['failed', 'unknown'],
      ['failed', 'trial-timeout'],
      ['complete', undefined],
    ]);
    expect(history[0]?.failure?.message).toContain('does not divide');
    expect(history[1]?.failure?.message).toContain('engine exploded');
  });

  it('stops on abort, tears down running trials and rethrows the reason unchanged', async () => {
    const { evaluator } = evaluatorWith({ holdMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const history: TrialRecord[] = [];
    const pool = new GpuPool(gpus);
    const run = runTrials(
      {
        deps: deps(evaluator, pool),
        strategy: cyclingStrategy(),
        history,
        nextNumber: 0,
        maxTrials: 10,
        maxParallel: 3,
        record: async () => undefined,
      },
      controller.signal,
    );
    await sleep(50);
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(history).toHaveLength(0);
    expect(pool.available).toBe(8);
  });

  it('stops when the strategy has nothing left to ask', async () => {
    const { evaluator } = evaluatorWith();
    const history: TrialRecord[] = [];
    const result = await runTrials(
      {
        deps: deps(evaluator, undefined),
        strategy: {
          ask: async (h, count) =>
            h.length >= 2
              ? []
              : Array.from({ length: Math.min(count, 2 - h.length) }, () => ({ params: { tp: 1 } })),
        },
        history,
        nextNumber: 5,
        maxTrials: 10,
        maxParallel: 1,
        record: async () => undefined,
      },
      new AbortController().signal,
    );
    expect(result).toEqual({ reason: 'the search space is exhausted', nextNumber: 7 });
    expect(history.map((t) => t.number)).toEqual([5, 6]);
  });
});
