// The study's analytic model: screening with its margin, predictions beside measurements, and the memory bias it
// learns from the study's own launches (what ran out of memory, what started).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScreenPrediction } from '../../../src/sim/screen.js';
import { MemoryBiasLearner } from '../../../src/sim/screen-learning.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { openStudyModel } from '../../../src/tune/study-model.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/models');
const l4 = [{ name: 'NVIDIA L4', memoryTotalMiB: 23034 }];
const GIB = 2 ** 30;

const prediction = (kvAvailableGiB: number, kvNeededGiB = 1): ScreenPrediction => ({
  usableBytes: 20 * GIB,
  weightBytesPerGpu: 15 * GIB,
  reserveBytesPerGpu: GIB,
  kvBytesAvailable: kvAvailableGiB * GIB,
  kvBytesNeeded: kvNeededGiB * GIB,
  kvCapacityTokens: 1000,
  maxModelLen: 8192,
  tensorParallel: 1,
  pipelineParallel: 1,
});

describe('MemoryBiasLearner', () => {
  it('screens what has no more headroom than an out-of-memory launch, never what is known to start', () => {
    const learner = new MemoryBiasLearner();
    expect(learner.screens(prediction(1.1))).toBe(false);
    learner.observe(prediction(2), 'out-of-memory');
    expect(learner.screens(prediction(2))).toBe(true);
    expect(learner.screens(prediction(2.5))).toBe(false);
    learner.observe(prediction(1.5), 'started');
    // A smaller headroom started: the threshold stays below it.
    expect(learner.screens(prediction(1.5))).toBe(false);
    expect(learner.screens(prediction(1.4))).toBe(true);
  });

  // Headroom = kvAvailable - 1 GiB; margin 2 GiB: a triangular law of the model's error over +-2 GiB.
  it.each([
    [3, 1],
    [2, 0.875],
    [1, 0.5],
    [0, 0.125],
    [-1, 0.05],
  ])('before any launch, %s GiB of KV cache (headroom one less) starts with chance %s', (kvGiB, chance) => {
    const learner = new MemoryBiasLearner({ marginBytes: 2 * GIB });
    expect(learner.startChance(prediction(kvGiB))).toBeCloseTo(chance, 6);
  });

  it('gives a configuration just above one that ran out of memory little chance, and 1 to what started', () => {
    const learner = new MemoryBiasLearner({ marginBytes: 2 * GIB });
    const before = learner.startChance(prediction(1.6));
    learner.observe(prediction(1.5), 'out-of-memory');
    expect(learner.startChance(prediction(1.5))).toBe(0);
    expect(learner.startChance(prediction(1.6))).toBeLessThan(before / 4);
    const chances = [1.6, 2, 2.5, 2.9].map((kv) => learner.startChance(prediction(kv)));
    expect([...chances].sort((a, b) => a - b)).toEqual(chances);
    learner.observe(prediction(2.5), 'started');
    expect(learner.startChance(prediction(2.5))).toBe(1);
    expect(learner.startChance(prediction(2.4))).toBeLessThan(1);
    // Without a margin nothing bounds the error: every configuration that is not screened has chance 1.
    expect(new MemoryBiasLearner().startChance(prediction(-5))).toBe(1);
  });
});

describe('openStudyModel', () => {
  const options = (extra: Record<string, unknown> = {}) =>
    resolveOptions({
      runtime: 'vllm',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      modelPath: join(fixtures, 'llama-3.1-8b-instruct'),
      space: { 'gpu-memory-utilization': [0.6, 0.85, 0.9], 'max-model-len': [8192, 16384] },
      workload: { kind: 'synthetic', inputTokens: 256, outputTokens: 64 },
      load: { kind: 'concurrency', levels: [16] },
      ...extra,
    });
  const launched = (number: number, params: Record<string, number>, started: boolean): TrialRecord => ({
    number,
    params,
    phase: 'search',
    state: started ? 'complete' : 'failed',
    feasible: started,
    ...(started ? { startupMs: 1000 } : { failure: { reason: 'oom', message: 'CUDA out of memory' } }),
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '',
    finishedAt: '',
    durationMs: 1,
  });

  it('screens by its margin, predicts launched configurations, and learns from an out-of-memory launch', async () => {
    const { model } = await openStudyModel(options(), l4);
    if (!model) throw new Error('no model');
    expect(model.description).toBe('llama-3.1-8b-instruct on l4 (vllm)');
    expect(model.screen({ 'gpu-memory-utilization': 0.6, 'max-model-len': 8192 })?.kind).toBe('oom');
    const tight = { 'gpu-memory-utilization': 0.9, 'max-model-len': 16384 };
    const tighter = { 'gpu-memory-utilization': 0.85, 'max-model-len': 16384 };
    expect(model.screen(tight)).toBeUndefined();
    expect(model.screen(tighter)).toBeUndefined();
    expect(
      model.predict({ 'gpu-memory-utilization': 0.9, 'max-model-len': 8192 })?.outputTokensPerS,
    ).toBeGreaterThan(0);
    // The engine needs more memory than the model thinks: the tight one ran out of memory.
    model.observe(launched(3, tight, false));
    expect(model.screen(tighter)?.reason).toMatch(/no more than trial 3 had when it ran out of memory/);
    expect(model.screen({ 'gpu-memory-utilization': 0.9, 'max-model-len': 8192 })).toBeUndefined();
  });

  it('rates the chance to start by predicted headroom, and lowers it next to an out-of-memory launch', async () => {
    const { model } = await openStudyModel(options(), l4);
    if (!model) throw new Error('no model');
    // On an L4 (margin 10 %: ~2.2 GiB) these leave about 4.4, 0.95 and -0.25 GiB beyond one sequence.
    const roomy = { 'gpu-memory-utilization': 0.9, 'max-model-len': 8192 };
    const close = { 'gpu-memory-utilization': 0.8, 'max-model-len': 16384 };
    const short = { 'gpu-memory-utilization': 0.75, 'max-model-len': 16384 };
    expect(model.screen(short)).toBeUndefined();
    expect(model.startChance(roomy)).toBe(1);
    const before = model.startChance(close);
    expect(before).toBeLessThan(1);
    expect(before).toBeGreaterThan(model.startChance(short));
    model.observe(launched(2, short, false));
    expect(model.startChance(short)).toBe(0);
    expect(model.startChance(close)).toBeLessThan(before);
    expect(model.startChance(roomy)).toBe(1);
    const off = await openStudyModel(options({ screening: { enabled: false } }), l4);
    expect(off.model?.startChance(short)).toBe(1);
  });

  it('learns the memory shift from the KV capacity a started engine reports, before anything fails', async () => {
    const { model } = await openStudyModel(options(), l4);
    if (!model) throw new Error('no model');
    const roomy = { 'gpu-memory-utilization': 0.9, 'max-model-len': 8192 };
    const close = { 'gpu-memory-utilization': 0.8, 'max-model-len': 16384 };
    expect(model.screen(close)).toBeUndefined();
    // Llama 3.1 8B in bf16 caches 128 KiB per token; one 8192-token sequence is 1 GiB.
    const bytesPerToken = 2 * 32 * 8 * 128 * 2;
    const predictedKvBytes = (model.headroom(roomy) ?? 0) + 8192 * bytesPerToken;
    // The engine found room for 3 GiB less KV cache than predicted (a larger reserve than the model knows).
    const reported = Math.floor((predictedKvBytes - 3 * GIB) / bytesPerToken);
    model.observe({ ...launched(4, roomy, true), kvCapacityTokens: reported });
    expect(model.screen(close)?.reason).toMatch(
      /KV cache trial 4's engine reported shows 3\.00 GiB per GPU less memory than the model predicts/,
    );
    expect(model.startChance(close)).toBe(0);
    expect(model.screen(roomy)).toBeUndefined();
    expect(model.startChance(roomy)).toBe(1);
    // The same start without a reported capacity teaches no shift.
    const { model: blind } = await openStudyModel(options(), l4);
    blind?.observe(launched(4, roomy, true));
    expect(blind?.screen(close)).toBeUndefined();
  });

  it('screens nothing when screening is off, and says why a study runs without the model', async () => {
    const { model } = await openStudyModel(options({ screening: { enabled: false } }), l4);
    expect(model?.screen({ 'gpu-memory-utilization': 0.6, 'max-model-len': 8192 })).toBeUndefined();
    const none = await openStudyModel(options(), [{ name: 'NVIDIA Quantum Widget', memoryTotalMiB: 1 }]);
    expect(none.reason).toMatch(/runs without the model because the GPU is unknown/);
  });
});
