// Client-saturation guard: did the load generator, not the server, set the pace?
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentile } from '../slo/percentile.js';

/** How busy the client was during the measured phase. */
export interface ClientLoadReport {
  /** True when the client's own delays were large enough to distort the measurement. */
  limited: boolean;
  /** Human-readable reasons for `limited`. */
  reasons: string[];
  eventLoopDelayP99Ms: number | undefined;
  eventLoopDelayMaxMs: number | undefined;
  /** Lateness of sends against the arrival schedule (open-loop loads only). */
  sendLagP99Ms: number | undefined;
  sendLagMaxMs: number | undefined;
}

// The histogram records whole intervals between samples, so the sampling period is subtracted from each.
const RESOLUTION_MS = 5;
const delayMs = (intervalNs: number): number => Math.max(0, intervalNs / 1e6 - RESOLUTION_MS);

/** Watches event-loop delay and collects send lags; `stop()` releases the histogram timer. */
export class ClientGuard {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly lagsMs: number[] = [];

  constructor(private readonly limitMs: number) {
    this.histogram.enable();
  }

  /** Records how late one send was against the time it was due. */
  recordSendLag(lagMs: number): void {
    this.lagsMs.push(Math.max(0, lagMs));
  }

  /** Stops watching and reports. */
  stop(): ClientLoadReport {
    this.histogram.disable();
    const sampled = this.histogram.count > 0;
    const eventLoopDelayP99Ms = sampled ? delayMs(this.histogram.percentile(99)) : undefined;
    const eventLoopDelayMaxMs = sampled ? delayMs(this.histogram.max) : undefined;
    const sendLagP99Ms = percentile(this.lagsMs, 99);
    const sendLagMaxMs = this.lagsMs.length > 0 ? this.lagsMs.reduce((a, b) => Math.max(a, b)) : undefined;
    const reasons: string[] = [];
    if (sendLagP99Ms !== undefined && sendLagP99Ms > this.limitMs) {
      reasons.push(`p99 send lag ${sendLagP99Ms.toFixed(1)} ms over ${this.limitMs} ms`);
    }
    if (eventLoopDelayP99Ms !== undefined && eventLoopDelayP99Ms > this.limitMs) {
      reasons.push(`p99 event-loop delay ${eventLoopDelayP99Ms.toFixed(1)} ms over ${this.limitMs} ms`);
    }
    return {
      limited: reasons.length > 0,
      reasons,
      eventLoopDelayP99Ms,
      eventLoopDelayMaxMs,
      sendLagP99Ms,
      sendLagMaxMs,
    };
  }
}
