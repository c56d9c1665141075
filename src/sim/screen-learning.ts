// Screening that learns the analytic model's memory bias from a study's own launches: once a configuration the
// model said would fit runs out of memory, configurations predicted to have no more memory to spare than it had
// are screened too; a configuration that started bounds that, so what is known to start is never screened.
import type { ScreenPrediction } from './screen.js';

/** Predicted bytes per GPU left after the weights, the reserve and one sequence of max-model-len of KV cache. */
export function predictedHeadroomBytes(prediction: ScreenPrediction): number {
  return prediction.kvBytesAvailable - Math.max(0, prediction.kvBytesNeeded);
}

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
}

/** Options of MemoryBiasLearner. */
export interface MemoryBiasLearnerOptions {
  /**
   * How far (bytes per GPU) the model's memory prediction may be off either way before any launch: screening's
   * margin times the device memory. Bounds `startChance`; without it every unscreened configuration has chance 1.
   */
  marginBytes?: number | undefined;
}

/** Learns a headroom threshold from launch outcomes; pure state, no I/O. */
export class MemoryBiasLearner {
  private failedMax: number | undefined;
  private startedMin: number | undefined;
  private readonly marginBytes: number | undefined;

  constructor(options: MemoryBiasLearnerOptions = {}) {
    const { marginBytes } = options;
    this.marginBytes = marginBytes !== undefined && marginBytes > 0 ? marginBytes : undefined;
  }

  /** Records a launched configuration's outcome: it started, or it failed for want of memory. */
  observe(prediction: ScreenPrediction, outcome: 'started' | 'out-of-memory'): void {
    const headroom = predictedHeadroomBytes(prediction);
    if (outcome === 'started') this.startedMin = Math.min(this.startedMin ?? Infinity, headroom);
    else this.failedMax = Math.max(this.failedMax ?? -Infinity, headroom);
  }

  get lesson(): MemoryLesson {
    // Never as high as a configuration that started: what is known to start is not screened.
    const threshold =
      this.failedMax === undefined
        ? undefined
        : this.startedMin === undefined
          ? this.failedMax
          : Math.min(this.failedMax, this.startedMin - 1);
    return { thresholdBytes: threshold, failedMaxBytes: this.failedMax, startedMinBytes: this.startedMin };
  }

  /**
   * The chance that a configuration starts, reading the model's memory error as one unknown shift of every
   * prediction, small shifts likelier than large ones (a triangular law over +-margin), cut to what is still possible:
   * above the headroom of every configuration that ran out of memory, at most that of one that started. 1 at or above the
   * headroom of a configuration that started, 0 where `screens` is true: a configuration predicted to leave just a
   * little more than one that failed is very likely to fail as well, so the search tries safer ones first.
   */
  startChance(prediction: ScreenPrediction): number {
    const headroom = predictedHeadroomBytes(prediction);
    const { thresholdBytes, startedMinBytes } = this.lesson;
    if (thresholdBytes !== undefined && headroom <= thresholdBytes) return 0;
    if (startedMinBytes !== undefined && headroom >= startedMinBytes) return 1;
    if (this.marginBytes === undefined) return 1;
    const margin = this.marginBytes;
    const low = Math.max(-margin, this.failedMax ?? -Infinity);
    const high = Math.min(margin, startedMinBytes ?? Infinity);
    if (headroom >= high) return 1;
    // Small errors are likelier than large ones: a triangular law over +-margin, cut to what launches allow.
    const below = (x: number) => {
      const t = Math.min(1, Math.max(-1, x / margin));
      return t <= 0 ? (1 + t) ** 2 / 2 : 1 - (1 - t) ** 2 / 2;
    };
    const span = below(high) - below(low);
    const chance = span > 0 ? (below(headroom) - below(low)) / span : 0.5;
    // Never 0 short of screening: the shift is a reading of the evidence, not a fact.
    return Math.max(UNLIKELY_START, chance);
  }

  /** True when the prediction leaves no more headroom than a configuration that ran out of memory. */
  screens(prediction: ScreenPrediction): boolean {
    const threshold = this.lesson.thresholdBytes;
    return threshold !== undefined && predictedHeadroomBytes(prediction) <= threshold;
  }
}
