// The study loop with an analytic model: screened configurations launch nothing, use none of the budget (up to
// an allowance), reach the strategy as invalid, and launched ones carry the model's prediction.
import { describe, expect, it } from 'vitest';
import { GpuPool } from '../../../src/gpu/gpu-pool.js';
import type { Params, Trial } from '../../../src/search/trial.js';
import type { TrialEvaluator } from '../../../src/tune/evaluator.js';
import { type LoopStrategy, runTrials } from '../../../src/tune/run-trials.js';
import type { StudyModel } from '../../../src/tune/study-model.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';
import { systemClock } from '../../../src/util/clock.js';
import { idleGpus, runMetrics, throughputScorer } from './loop-fixtures.js';

const gpus = idleGpus(2, 'NVIDIA L4', 23_034);
const metrics = (throughput: number) => runMetrics(throughput);
const scorer = throughputScorer;

// Screens odd `id`s; predicts 10 x id.
const model: Pick<StudyModel, 'screen' | 'predict' | 'margin'> = {
  margin: 0.1,
  screen: (params) =>
    Number(params['id']) % 2 === 1
      ? { params, kind: 'oom', reason: `id ${params['id']} does not fit` }
      : undefined,
  predict: (params) => metrics(10 * Number(params['id'])),
};

// The loop's dependencies on the 2 GPUs, with `evaluator`.
const loopDeps = (evaluator: TrialEvaluator) => ({
  evaluator,
  scorer,
  pool: new GpuPool(gpus),
  clock: systemClock,
  trialTimeoutMs: 10_000,
  emit: () => undefined,
  pruning: false,
});

function setup(maxTrials: number, proposals: (history: readonly Trial[]) => Params) {
  const launched: number[] = [];
  const seenByStrategy: Trial[][] = [];
  const evaluator: TrialEvaluator = {
    plan: () => ({ worldSize: 1, problems: [] }),
    async evaluate(ctx) {
      launched.push(Number(ctx.trial.params['id']));
      return { state: 'complete', metrics: metrics(9 * Number(ctx.trial.params['id'])) };
    },
  };
  const strategy: LoopStrategy = {
    async ask(history) {
      seenByStrategy.push([...history]);
      return [{ params: proposals(history) }];
    },
  };
  const history: TrialRecord[] = [];
  const run = (queue?: TrialRecord['phase']) =>
    runTrials(
      {
        deps: { ...loopDeps(evaluator), model },
        ...(queue ? { queue: [{ number: 100, params: { id: 3 }, phase: queue }] } : { strategy }),
        history,
        nextNumber: 0,
        maxTrials,
        maxParallel: 1,
        record: async () => undefined,
      },
      new AbortController().signal,
    );
  return { run, history, launched, seenByStrategy };
}

describe('runTrials with an analytic model', () => {
  it('records screened configurations without launching them, outside the budget, and tells the strategy', async () => {
    const { run, history, launched, seenByStrategy } = setup(3, (h) => ({ id: h.length }));
    const result = await run();
    expect(result.reason).toMatch(/budget of 3/);
    // ids 0..4: 1 and 3 screened, 0, 2 and 4 launched (the budget counts launches).
    expect(launched).toEqual([0, 2, 4]);
    const screened = history.filter((t) => t.screened);
    expect(screened.map((t) => t.params['id'])).toEqual([1, 3]);
    for (const t of screened) {
      expect(t).toMatchObject({
        state: 'invalid',
        feasible: false,
        failureReason: 'screened',
        gpuIndices: [],
      });
      expect(t.failure?.message).toMatch(/not launched: id \d does not fit/);
      expect(t.screened).toMatchObject({ kind: 'oom', margin: 0.1 });
      expect(t.metrics).toBeUndefined();
    }
    // The strategy saw the screened trials as invalid before its next ask.
    expect(seenByStrategy[2]?.[1]).toMatchObject({ state: 'invalid', failureReason: 'screened' });
    // Launched ones carry the prediction beside the measurement.
    const measured = history.find((t) => t.params['id'] === 2);
    expect(measured?.predicted?.outputTokensPerS).toBe(20);
    expect(measured?.metrics?.outputTokensPerS).toBe(18);
  });

  it('ends a strategy that proposes only screened configurations after its allowance', async () => {
    // Odd ids only: every one is screened.
    const { run, history, launched } = setup(2, (h) => ({ id: 2 * h.length + 1 }));
    const result = await run();
    expect(result.reason).toMatch(/budget of 2/);
    expect(launched).toEqual([]);
    // 4 x the budget screened for free, then two more count against it.
    expect(history).toHaveLength(4 * 2 + 2);
  });

  it('never screens a confirmation run: it re-measures a configuration that was measured', async () => {
    const { run, history, launched } = setup(1, () => ({ id: 0 }));
    await run('confirm');
    expect(launched).toEqual([3]);
    expect(history[0]?.screened).toBeUndefined();
  });
});

describe('runTrials with layouts wider than the GPUs', () => {
  it('records a layout the GPUs cannot hold as no-capacity without launching it, outside the budget', async () => {
    const launched: number[] = [];
    const evaluator: TrialEvaluator = {
      // Even ids need 4 GPUs of the 2 (and only that is wrong); id 5 is also a bad flag.
      plan: (params) => {
        const id = Number(params['id']);
        const wide = id % 2 === 0;
        const problems = [
          ...(wide
            ? ['the configuration needs more GPUs than are available (worldSize=4, gpusAvailable=2)']
            : []),
          ...(id === 5 ? ['--bad is not a flag'] : []),
        ];
        return { worldSize: wide ? 4 : 1, problems, ...(wide ? { noCapacity: true } : {}) };
      },
      async evaluate(ctx) {
        launched.push(Number(ctx.trial.params['id']));
        return { state: 'complete', metrics: metrics(Number(ctx.trial.params['id'])) };
      },
    };
    const history: TrialRecord[] = [];
    const result = await runTrials(
      {
        deps: loopDeps(evaluator),
        strategy: { ask: async (h) => [{ params: { id: h.length } }] },
        history,
        nextNumber: 0,
        maxTrials: 3,
        maxParallel: 1,
        record: async () => undefined,
      },
      new AbortController().signal,
    );
    expect(result.reason).toMatch(/budget of 3/);
    // ids 0..5: the even ones refused for capacity (free), 1 and 3 launched, 5 invalid (charged).
    expect(launched).toEqual([1, 3]);
    expect(history.filter((t) => t.failureReason === 'no-capacity').map((t) => t.params['id'])).toEqual([
      0, 2, 4,
    ]);
    expect(history.find((t) => t.params['id'] === 0)).toMatchObject({ state: 'invalid', gpuIndices: [] });
    expect(history.find((t) => t.params['id'] === 5)?.failureReason).toBe('invalid-parameters');
  });
});
