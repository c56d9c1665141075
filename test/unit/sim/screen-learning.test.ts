// The memory bias learnt from a started engine's reported KV capacity: the shift it measures (per GPU, with
// tensor parallelism and capped capacities), and how screening and the start chance use it.
import { describe, expect, it } from 'vitest';
import type { ScreenPrediction } from '../../../src/sim/screen.js';
import { MemoryBiasLearner, measuredMemoryShiftBytes } from '../../../src/sim/screen-learning.js';

const GIB = 2 ** 30;

// A replica whose KV cache holds 8192 tokens in `neededGiB` per GPU; capacity consistent with the bytes free.
const prediction = (
  kvAvailableGiB: number,
  { neededGiB = 1, tp = 1, capTokens }: { neededGiB?: number; tp?: number; capTokens?: number } = {},
): ScreenPrediction => {
  const bytesPerToken = (neededGiB * GIB) / 8192;
  const tokens = Math.floor((kvAvailableGiB * GIB) / bytesPerToken / 16) * 16;
  return {
    usableBytes: 20 * GIB,
    weightBytesPerGpu: 15 * GIB,
    reserveBytesPerGpu: GIB,
    kvBytesAvailable: kvAvailableGiB * GIB,
    kvBytesNeeded: neededGiB * GIB,
    kvCapacityTokens: capTokens === undefined ? tokens : Math.min(tokens, capTokens),
    maxModelLen: 8192,
    tensorParallel: tp,
    pipelineParallel: 1,
  };
};

describe('measuredMemoryShiftBytes', () => {
  it.each([
    // 3 GiB predicted, the engine found room for 2 GiB of tokens: 1 GiB less than predicted.
    ['one GPU', prediction(3), 16_384, GIB],
    // Tensor parallel 2: each GPU holds half of each token, so 32768 tokens are 2 GiB per GPU.
    ['tensor parallel 2', prediction(3, { neededGiB: 0.5, tp: 2 }), 32_768, GIB],
    // More room than predicted: a negative shift.
    ['more room', prediction(3), 32_768, -GIB],
  ])('%s', (_, predicted, measuredTokens, shift) => {
    expect(measuredMemoryShiftBytes(predicted, measuredTokens)).toBeCloseTo(shift, 0);
  });

  it('reads nothing from a capacity the configuration caps, unless the engine fell short of the cap', () => {
    const capped = prediction(3, { capTokens: 4096 });
    expect(measuredMemoryShiftBytes(capped, 4096)).toBeUndefined();
    expect(measuredMemoryShiftBytes(capped, 2048)).toBeCloseTo(2.75 * GIB, 0);
  });
});

describe('MemoryBiasLearner with a measured KV capacity', () => {
  // Headroom = available - 1 GiB; the engine of a roomy start reports 1.5 GiB less KV cache than predicted.
  const learnt = () => {
    const learner = new MemoryBiasLearner({ marginBytes: 2 * GIB, shiftToleranceBytes: 0.25 * GIB });
    learner.observe(prediction(6), 'started', ((6 - 1.5) * GIB) / (GIB / 8192));
    return learner;
  };

  it('screens what the measured shift leaves short by more than the tolerance, before any failure', () => {
    const learner = learnt();
    expect(learner.lesson.measuredShiftBytes).toBeCloseTo(1.5 * GIB, 0);
    expect(learner.lesson.failedMaxBytes).toBeUndefined();
    // Headroom 1.2 GiB < 1.5 - 0.25: screened; 1.3 and 1.7 GiB: within the tolerance, not screened.
    expect(learner.screens(prediction(2.2))).toBe(true);
    expect(learner.startChance(prediction(2.2))).toBe(0);
    expect(learner.screens(prediction(2.3))).toBe(false);
    expect(learner.screens(prediction(2.7))).toBe(false);
    // Before the measurement the same configuration was only somewhat unlikely to start.
    expect(new MemoryBiasLearner({ marginBytes: 2 * GIB }).startChance(prediction(2.2))).toBeGreaterThan(0.5);
  });

  it.each([
    [2.3, 0, 0.5],
    [2.5, 0.4, 0.6],
    [2.8, 1, 1],
    [4, 1, 1],
  ])('a headroom of %s - 1 GiB starts with a chance in [%s, %s]', (kvGiB, low, high) => {
    const chance = learnt().startChance(prediction(kvGiB));
    expect(chance).toBeGreaterThanOrEqual(low);
    expect(chance).toBeLessThanOrEqual(high);
  });

  it('never screens at or above the headroom of a configuration that started, and failures still raise the bar', () => {
    const learner = learnt();
    learner.observe(prediction(2.1), 'started');
    expect(learner.screens(prediction(2.1))).toBe(false);
    expect(learner.startChance(prediction(2.15))).toBe(1);
    expect(learner.screens(prediction(2.05))).toBe(true);
    const other = learnt();
    other.observe(prediction(3), 'out-of-memory');
    expect(other.screens(prediction(3))).toBe(true);
    expect(other.screens(prediction(3.1))).toBe(false);
  });

  it('keeps the largest shift measured, and ignores a capacity without a start', () => {
    const learner = learnt();
    learner.observe(prediction(6), 'started', ((6 - 0.5) * GIB) / (GIB / 8192));
    expect(learner.lesson.measuredShiftBytes).toBeCloseTo(1.5 * GIB, 0);
    learner.observe(prediction(6), 'out-of-memory', 1);
    expect(learner.lesson.measuredShiftBytes).toBeCloseTo(1.5 * GIB, 0);
  });
});
