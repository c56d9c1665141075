// The engine evaluator's plan of a configuration: a layout wider than the study's GPUs, and nothing else wrong,
// is a capacity refusal; any other problem keeps the configuration invalid.
import { describe, expect, it } from 'vitest';
import { createEngineEvaluator } from '../../../src/tune/engine-evaluator.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { ManualClock } from '../../../src/util/clock.js';
import { InProcessController } from '../../support/in-process-controller.js';

describe('engine evaluator plan', () => {
  const clock = new ManualClock();
  const resolved = resolveOptions({
    runtime: 'vllm',
    model: 'llama-3.1-8b',
    fixedParams: { 'max-model-len': 4096 },
    space: { 'tensor-parallel-size': [1, 2, 4], 'max-num-seqs': [32, 64] },
    workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 16 },
    load: { kind: 'concurrency', levels: [4] },
    benchmark: { requests: 12, warmupRequests: 0 },
  });
  const evaluator = createEngineEvaluator(resolved, {
    studyId: 'plan',
    controller: new InProcessController(
      { target: 'process', gpuPlacement: 'pool', export: 'argv' },
      { clock },
    ),
    gpusAvailable: 2,
    libraryVersion: '0.0.0',
    clock,
  });

  it('says no-capacity for a layout needing more GPUs than the study has', () => {
    const plan = evaluator.plan({ 'tensor-parallel-size': 4, 'max-num-seqs': 32 });
    expect(plan).toMatchObject({ worldSize: 4, noCapacity: true });
    expect(plan.problems.join()).toMatch(/needs more GPUs than are available.*gpusAvailable=2/);
  });

  it('says nothing of capacity for a layout that fits, or one that is wrong in another way too', () => {
    expect(evaluator.plan({ 'tensor-parallel-size': 2, 'max-num-seqs': 32 })).toEqual({
      worldSize: 2,
      problems: [],
    });
    const wrong = evaluator.plan({ 'tensor-parallel-size': 4, 'max-num-seqs': -1 });
    expect(wrong.problems.length).toBeGreaterThan(1);
    expect(wrong.noCapacity).toBeUndefined();
  });
});
