// The engine evaluator times its phases on the clock it is given: start-up as the controller reports it,
// the benchmark from the study clock.
import { describe, expect, it } from 'vitest';
import { createEngineEvaluator } from '../../../src/tune/engine-evaluator.js';
import type { StudyEvent } from '../../../src/tune/events.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { ManualClock } from '../../../src/util/clock.js';
import { InProcessController } from '../../support/in-process-controller.js';

describe('engine evaluator phase timings', () => {
  it('reports start-up and benchmark time from a manual clock', async () => {
    const clock = new ManualClock();
    const controller = new InProcessController(
      { target: 'process', gpuPlacement: 'pool', export: 'argv' },
      { clock, startupMs: 4_000 },
    );
    const resolved = resolveOptions({
      runtime: 'vllm',
      model: 'llama-3.1-8b',
      fixedParams: { 'max-model-len': 4096 },
      space: { 'max-num-seqs': [32] },
      workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 16 },
      load: { kind: 'concurrency', levels: [4] },
      benchmark: { requests: 12, warmupRequests: 0 },
    });
    const evaluator = createEngineEvaluator(resolved, {
      studyId: 'clock',
      controller,
      gpusAvailable: 1,
      libraryVersion: '0.0.0',
      clock,
    });
    const events: StudyEvent[] = [];
    const gpu = { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81_559 } as never;
    const evaluation = await evaluator.evaluate({
      trial: { number: 1, params: { 'max-num-seqs': 32 }, phase: 'search' },
      gpus: [gpu],
      signal: new AbortController().signal,
      // Every progress report stands for 250 ms of benchmark on the manual clock.
      emit: (event) => {
        events.push(event);
        if (event.type === 'benchmark-progress') clock.advance(250);
      },
    });

    const progress = events.filter((e) => e.type === 'benchmark-progress').length;
    expect(evaluation.state).toBe('complete');
    expect(progress).toBeGreaterThan(0);
    expect(evaluation.startupMs).toBe(4_000);
    expect(evaluation.benchmarkMs).toBe(250 * progress);
    expect(clock.now()).toBe(4_000 + 250 * progress);
  });
});
