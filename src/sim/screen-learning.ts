// Screening that learns the analytic model's memory bias from a study's own launches: once a configuration the
// model said would fit runs out of memory, configurations predicted to have no more memory to spare than it had
// are screened too; a configuration that started bounds that, so what is known to start is never screened.
import type { ScreenPrediction } from './screen.js';

/** Predicted bytes per GPU left after the weights, the reserve and one sequence of max-model-len of KV cache. */
export function predictedHeadroomBytes(prediction: ScreenPrediction): number {
  return prediction.kvBytesAvailable - Math.max(0, prediction.kvBytesNeeded);
}

/** What launches taught about the model's memory predictions. */
export interface MemoryLesson {
  /** Configurations predicted to have at most this much headroom are screened (undefined: nothing learnt). */
  thresholdBytes: number | undefined;
  /** Largest predicted headroom of a launched configuration that ran out of memory. */
  failedMaxBytes: number | undefined;
  /** Smallest predicted headroom of a configuration that started. */
  startedMinBytes: number | undefined;
}

/** Learns a headroom threshold from launch outcomes; pure state, no I/O. */
export class MemoryBiasLearner {
  private failedMax: number | undefined;
  private startedMin: number | undefined;

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

  /** True when the prediction leaves no more headroom than a configuration that ran out of memory. */
  screens(prediction: ScreenPrediction): boolean {
    const threshold = this.lesson.thresholdBytes;
    return threshold !== undefined && predictedHeadroomBytes(prediction) <= threshold;
  }
}
