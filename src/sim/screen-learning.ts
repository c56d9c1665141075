// Screening that learns the analytic model's memory bias from a study's own launches: once a configuration the
// model said would fit runs out of memory, configurations predicted to have no more memory to spare than it had
// are screened too; a configuration that started bounds that, so what is known to start is never screened. A
// configuration that started also says how much KV cache the engine found room for: set against the model's
// prediction, that measures the model's memory error (the shift) without waiting for a launch to fail.
import type { ScreenPrediction } from './screen.js';

/** Predicted bytes per GPU left after the weights, the reserve and one sequence of max-model-len of KV cache. */
export function predictedHeadroomBytes(prediction: ScreenPrediction): number {
  return prediction.kvBytesAvailable - Math.max(0, prediction.kvBytesNeeded);
}

/** Default tolerance of a measured memory shift, as a fraction of the device memory. */
export const SHIFT_TOLERANCE_FRACTION = 0.02;

/** Least start chance of a configuration that is not screened. */
const UNLIKELY_START = 0.05;

/** What launches taught about the model's memory predictions. */
export interface MemoryLesson {
  /** Configurations predicted to have at most this much headroom are screened (undefined: nothing learnt). */
  thresholdBytes: number | undefined;
  /** Largest predicted headroom of a launched configuration that ran out of memory. */
  failedMaxBytes: number | undefined;
  /** Smallest predicted headroom of a configuration that started. */
  startedMinBytes: number | undefined;
  /**
   * How much less memory per GPU the engine had for its KV cache than the model predicted (bytes; negative: more),
   * measured from the KV capacity started engines reported; the largest of those measured. Undefined: none.
   */
  measuredShiftBytes: number | undefined;
}

/**
 * The model's memory error one started configuration shows (bytes per GPU; positive when the engine had less
 * room than predicted): the predicted KV bytes per GPU less those of the capacity the engine reported. Undefined
 * when the prediction cannot be set against it: no bytes per token known, or a capacity the configuration caps
 * (SGLang `--max-total-tokens`) reached, which bounds the engine's room from below only.
 */
export function measuredMemoryShiftBytes(
  prediction: ScreenPrediction,
  measuredKvTokens: number,
): number | undefined {
  if (!(measuredKvTokens >= 0) || prediction.maxModelLen <= 0 || prediction.kvBytesNeeded <= 0)
    return undefined;
  // KV bytes one token takes on each GPU of the replica (tensor and pipeline parallelism already divided out).
  const bytesPerToken = prediction.kvBytesNeeded / prediction.maxModelLen;
  const uncappedTokens = prediction.kvBytesAvailable / bytesPerToken;
  const capped = prediction.kvCapacityTokens < 0.99 * uncappedTokens - 1024;
  if (capped && measuredKvTokens >= prediction.kvCapacityTokens) return undefined;
  return prediction.kvBytesAvailable - measuredKvTokens * bytesPerToken;
}

/** Options of MemoryBiasLearner. */
export interface MemoryBiasLearnerOptions {
  /**
   * How far (bytes per GPU) the model's memory prediction may be off either way before any launch: screening's
   * margin times the device memory. Bounds `startChance`; without it every unscreened configuration has chance 1.
   */
  marginBytes?: number | undefined;
  /**
   * How far (bytes per GPU) a measured memory shift may be off for another configuration (activation and graph
   * memory differ between configurations, and the KV figure does not cover them): once a shift is measured,
   * configurations predicted to leave less than `shift - tolerance` are screened, those above `shift + tolerance`
   * have chance 1, and `startChance` spreads over +-tolerance around the shift instead of +-margin.
   * @default a fifth of marginBytes (2 % of the device memory at screening's default 10 % margin), else 2 % of 80 GiB
   */
  shiftToleranceBytes?: number | undefined;
}

/** Learns a headroom threshold from launch outcomes; pure state, no I/O. */
export class MemoryBiasLearner {
  private failedMax: number | undefined;
  private startedMin: number | undefined;
  private shift: number | undefined;
  private readonly marginBytes: number | undefined;
  private readonly toleranceBytes: number;

  constructor(options: MemoryBiasLearnerOptions = {}) {
    const { marginBytes, shiftToleranceBytes } = options;
    this.marginBytes = marginBytes !== undefined && marginBytes > 0 ? marginBytes : undefined;
    this.toleranceBytes =
      shiftToleranceBytes !== undefined && shiftToleranceBytes >= 0
        ? shiftToleranceBytes
        : this.marginBytes !== undefined
          ? this.marginBytes / 5
          : SHIFT_TOLERANCE_FRACTION * 80 * 2 ** 30;
  }

  /**
   * Records a launched configuration's outcome: it started, or it failed for want of memory. A start may bring
   * the KV capacity (tokens) the engine reported, which measures the model's memory shift.
   */
  observe(
    prediction: ScreenPrediction,
    outcome: 'started' | 'out-of-memory',
    measuredKvTokens?: number | undefined,
  ): void {
    const headroom = predictedHeadroomBytes(prediction);
    if (outcome === 'started') this.startedMin = Math.min(this.startedMin ?? Infinity, headroom);
    else this.failedMax = Math.max(this.failedMax ?? -Infinity, headroom);
    if (outcome !== 'started' || measuredKvTokens === undefined) return;
    const shift = measuredMemoryShiftBytes(prediction, measuredKvTokens);
    // The largest shift measured: the configuration that had the least room of those seen sets the bar.
    if (shift !== undefined) this.shift = Math.max(this.shift ?? -Infinity, shift);
  }

  get lesson(): MemoryLesson {
    // Never as high as a configuration that started: what is known to start is not screened.
    // A measured shift screens what it leaves short by more than the tolerance; a failure at more headroom
    // raises that bar.
    const fromShift = this.shift === undefined ? undefined : this.shift - this.toleranceBytes - 1;
    const fromFailure = this.failedMax;
    const highest =
      fromShift === undefined
        ? fromFailure
        : fromFailure === undefined
          ? fromShift
          : Math.max(fromShift, fromFailure);
    const threshold =
      highest === undefined
        ? undefined
        : this.startedMin === undefined
          ? highest
          : Math.min(highest, this.startedMin - 1);
    return {
      thresholdBytes: threshold,
      failedMaxBytes: this.failedMax,
      startedMinBytes: this.startedMin,
      measuredShiftBytes: this.shift,
    };
  }

  /**
   * The chance that a configuration starts, reading the model's memory error as one unknown shift of every
   * prediction, small shifts likelier than large ones (a triangular law over +-margin, or over +-tolerance around
   * the shift once a started engine's KV capacity measured it), cut to what is still possible:
   * above the headroom of every configuration that ran out of memory, at most that of one that started. 1 at or above the
   * headroom of a configuration that started, 0 where `screens` is true: a configuration predicted to leave just a
   * little more than one that failed is very likely to fail as well, so the search tries safer ones first.
   */
  startChance(prediction: ScreenPrediction): number {
    const headroom = predictedHeadroomBytes(prediction);
    const { thresholdBytes, startedMinBytes } = this.lesson;
    if (thresholdBytes !== undefined && headroom <= thresholdBytes) return 0;
    if (startedMinBytes !== undefined && headroom >= startedMinBytes) return 1;
    // Before a shift is measured, the error is anywhere in +-margin around none; after, +-tolerance around it.
    const centre = this.shift ?? 0;
    const spread = this.shift === undefined ? this.marginBytes : this.toleranceBytes;
    if (spread === undefined) return 1;
    const low = Math.max(centre - spread, this.failedMax ?? -Infinity);
    const high = Math.min(centre + spread, startedMinBytes ?? Infinity);
    if (headroom >= high) return 1;
    if (spread === 0) return UNLIKELY_START;
    // Small errors are likelier than large ones: a triangular law over the spread, cut to what launches allow.
    const below = (x: number) => {
      const t = Math.min(1, Math.max(-1, (x - centre) / spread));
      return t <= 0 ? (1 + t) ** 2 / 2 : 1 - (1 - t) ** 2 / 2;
    };
    const span = below(high) - below(low);
    const chance = span > 0 ? (below(headroom) - below(low)) / span : 0.5;
    // Never 0 short of screening: the shift is a reading of the evidence, not a fact.
    return Math.max(UNLIKELY_START, chance);
  }

  /**
   * True when the prediction leaves no more headroom than a configuration that ran out of memory, or less than
   * the measured shift by more than the tolerance; never at or above the headroom of one that started.
   */
  screens(prediction: ScreenPrediction): boolean {
    const threshold = this.lesson.thresholdBytes;
    return threshold !== undefined && predictedHeadroomBytes(prediction) <= threshold;
  }
}
