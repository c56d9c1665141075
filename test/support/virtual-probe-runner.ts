// A capacity-search probe runner that measures the simulated engine's virtual run instead of a live server:
// the same level always gives the same records, whatever the machine's load.
import type { BenchmarkOptions } from '../../src/benchmark/benchmark-options.js';
import { type BenchmarkResult, checkPromptTokens } from '../../src/benchmark/benchmark-result.js';
import type { ProbeRunner } from '../../src/benchmark/capacity-search.js';
import type { RequestRecord } from '../../src/benchmark/request-record.js';
import { computeRunMetrics, measuredWindowMs } from '../../src/benchmark/run-metrics.js';
import type { SimConfigInput } from '../../src/sim/sim-config.js';
import { runVirtual } from '../../src/sim/virtual-run.js';

/** What one virtual probe was asked to run. */
export interface VirtualProbeCall {
  level: number;
  workloadOffset: number;
}

// Per-request TTFT from the run's summary: half the requests at p50, four in ten at p90, one in ten at p99,
// interleaved so that slow requests do not all come last.
function ttftAt(i: number, count: number, ttft: { p50: number; p90: number; p99: number }): number {
  const quantile = (((i * 7) % count) + 0.5) / count;
  if (quantile < 0.5) return ttft.p50;
  return quantile < 0.9 ? ttft.p90 : ttft.p99;
}

/** A ProbeRunner backed by `runVirtual`; `calls` lists every probe it ran, in order. */
export function virtualProbeRunner(
  config: SimConfigInput,
  shape: { promptTokens: number; outputTokens: number },
): ProbeRunner & { calls: VirtualProbeCall[] } {
  const calls: VirtualProbeCall[] = [];
  const run = async (probe: BenchmarkOptions): Promise<BenchmarkResult> => {
    const { load } = probe;
    const level = load.kind === 'concurrency' ? load.concurrency : load.ratePerS;
    calls.push({ level, workloadOffset: probe.workloadOffset ?? 0 });
    const virtual = runVirtual(
      config,
      load.kind === 'concurrency'
        ? { ...shape, concurrency: load.concurrency }
        : { ...shape, requestRatePerS: load.ratePerS },
    );
    if (!virtual.ok) throw new Error(virtual.failure.message);
    const { ttftMs, e2eMs, requestsPerS } = virtual.performance;
    const planned = probe.stop.maxRequests ?? 40;
    const records: RequestRecord[] = [];
    let stoppedEarly = false;
    for (let i = 0; i < planned && !stoppedEarly; i++) {
      const sentMs = (i * 1000) / requestsPerS;
      const firstTokenMs = sentMs + ttftAt(i, planned, ttftMs);
      const endMs = firstTokenMs + Math.max(0, e2eMs.mean - ttftMs.mean);
      const record: RequestRecord = {
        index: i,
        warmup: false,
        status: 'ok',
        sentMs,
        headersMs: sentMs,
        firstTokenMs,
        tokenChunkMs: [firstTokenMs, endMs],
        endMs,
        expectedPromptTokens: shape.promptTokens,
        maxTokens: shape.outputTokens,
        promptTokens: shape.promptTokens,
        outputTokens: shape.outputTokens,
        usageReported: true,
      };
      records.push(record);
      if (probe.stopWhen?.(record)) stoppedEarly = true;
    }
    const window = measuredWindowMs(records);
    return {
      metrics: computeRunMetrics(records, { slo: probe.slo }),
      records,
      startedAtWallMs: 0,
      measuredWindowMs: window,
      durationS: window ? (window.endMs - window.startMs) / 1000 : 0,
      counts: { ok: records.length, error: 0, canceled: 0, warmup: 0 },
      clientLimited: false,
      stoppedEarly,
      client: {
        limited: false,
        reasons: [],
        eventLoopDelayP99Ms: undefined,
        eventLoopDelayMaxMs: undefined,
        sendLagP99Ms: undefined,
        sendLagMaxMs: undefined,
      },
      promptTokenCheck: checkPromptTokens(records),
      errorSamples: [],
      load,
      workload: 'virtual',
    };
  };
  return Object.assign(run, { calls });
}
