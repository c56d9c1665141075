import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Controller } from '../../src/controllers/types.js';
import type { TrialEvaluator } from '../../src/tune/evaluator.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { tune } from '../../src/tune/study.js';
import { scratchDir } from '../support/scratch-dir.js';
import { slowEstimateEvaluator } from './support/kill-study-evaluator.js';

const dir = scratchDir('study-thrown-');

const base: TuneOptionsInput = {
  model: 'llama-3.1-8b',
  sim: { gpu: 'h100' },
  space: { 'max-num-seqs': [16, 32, 64, 128, 256], 'max-num-batched-tokens': [2048, 4096, 8192] },
  workload: { kind: 'synthetic', inputTokens: 512, outputTokens: 64 },
  load: { kind: 'concurrency', levels: [16] },
  objective: 'maximize_throughput',
  budget: { maxTrials: 6 },
  confirm: { top: 0, repeats: 0 },
  seed: 5,
};

// Thrown by trials 1 to 4 in turn; the others are measured.
const THROWN: Record<number, unknown> = {
  1: 'engine on fire',
  2: { status: 'weird', detail: 42 },
  3: new TypeError('x is not a function'),
  4: undefined,
};

describe('a study whose evaluator or controller throws values that are not AutotunerErrors', () => {
  it('records a failed trial for each thrown value and measures the rest', async () => {
    const inner = slowEstimateEvaluator(base, 0);
    const evaluator: TrialEvaluator = {
      plan: inner.plan,
      async evaluate(ctx) {
        if (ctx.trial.number in THROWN) throw THROWN[ctx.trial.number];
        return inner.evaluate(ctx);
      },
    };
    const result = await tune({ ...base, journal: join(dir(), 'evaluator.jsonl') }, { evaluator });

    expect(result.trials).toHaveLength(7);
    const failed = result.trials.filter((t) => t.state === 'failed');
    expect(failed.map((t) => t.number)).toEqual([1, 2, 3, 4]);
    for (const trial of failed) {
      expect(trial.failure).toMatchObject({
        reason: 'unknown',
        errorName: 'UnexpectedError',
        errorCode: 'ERR_UNEXPECTED',
      });
    }
    expect(failed.map((t) => t.failure?.message)).toEqual([
      'non-error value thrown: "engine on fire"',
      'non-error value thrown: {"status":"weird","detail":42}',
      'x is not a function',
      'non-error value thrown: undefined',
    ]);
    expect(result.trials.filter((t) => t.state === 'complete')).toHaveLength(3);
    expect(result.best).toBeDefined();
  });

  it('records a failed launch for a controller that throws a plain object, for every trial', async () => {
    let launches = 0;
    const controller: Controller = {
      kind: 'local',
      traits: { target: 'process', gpuPlacement: 'pool', export: 'argv' },
      async launch() {
        launches++;
        throw { reason: 'no capacity left', launches };
      },
      async cleanup() {
        return [];
      },
      async reap() {
        return [];
      },
    };
    const result = await tune(
      { ...base, budget: { maxTrials: 3 }, journal: join(dir(), 'controller.jsonl') },
      { controller },
    );
    expect(result.trials.map((t) => t.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(launches).toBe(4);
    expect(result.trials[0]?.failure).toMatchObject({
      reason: 'unknown',
      errorName: 'UnexpectedError',
      errorCode: 'ERR_UNEXPECTED',
      message: 'non-error value thrown: {"reason":"no capacity left","launches":1}',
    });
    expect(result.best).toBeUndefined();
  });
});
