// A load test of the simulated engine in simulated time (no server, no timers): closed or open loop.
import { createRng } from '../util/rng.js';
import { estimate } from './estimate.js';
import { prepareRun, type SimWorkload } from './prepare-run.js';
import type { SimRequest } from './scheduler.js';
import type { SimConfig, SimConfigInput } from './sim-config.js';
import { SimEngine } from './sim-engine.js';
import type { StartupFailure } from './startup.js';

export type { SimWorkload } from './prepare-run.js';

/** Percentiles of one latency metric in milliseconds (simulated time). */
export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Steady-state figures of a run or an estimate (simulated time). */
export interface SimPerformance {
  requestsPerS: number;
  outputTokensPerS: number;
  totalTokensPerS: number;
  ttftMs: LatencySummary;
  /** Time per output token after the first; undefined for one-token outputs. */
  tpotMs: LatencySummary | undefined;
  e2eMs: LatencySummary;
  /** Mean sequences per step. */
  meanBatchSize: number;
  preemptions: number;
}

/** Options of `runVirtual`. */
export interface VirtualRunOptions {
  /** Completed requests measured after warm-up. @default 400 */
  requests?: number;
  /** Completed requests ignored at the start. @default max(2 x concurrency, 50) */
  warmupRequests?: number;
}

/** Result of `runVirtual`: a failed start-up or the measured performance. */
export type VirtualRunResult =
  | { ok: true; performance: SimPerformance }
  | { ok: false; failure: StartupFailure };

/** Nearest-rank percentile of an ascending array (empty arrays give NaN). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Mean and percentiles of a list of values. */
export function summarise(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return { mean, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}

/** Block hashes of a synthetic prompt whose first `sharedTokens` tokens are common to every request. */
export function syntheticBlockHashes(
  id: number,
  promptTokens: number,
  sharedTokens: number,
  blockSize: number,
): number[] {
  const shared = Math.floor(sharedTokens / blockSize);
  return Array.from({ length: Math.floor(promptTokens / blockSize) }, (_, i) =>
    i < shared ? i + 1 : 0x4000_0000 + ((id * 7919 + i) % 0x3fff_ffff),
  );
}

/** Runs a workload against the engine model in simulated time and measures it. */
export function runVirtual(
  input: SimConfig | SimConfigInput,
  workload: SimWorkload,
  options: VirtualRunOptions = {},
): VirtualRunResult {
  const prepared = prepareRun(input, workload);
  if (!prepared.ok) return prepared;
  const { config } = prepared;
  const closed = workload.concurrency !== undefined;
  const rng = createRng(config.seed);
  const engine = new SimEngine(config, prepared.plan, rng.fork('noise'));
  const arrivals = rng.fork('arrivals');
  const measured = options.requests ?? 400;
  const warmup = options.warmupRequests ?? Math.max(2 * (workload.concurrency ?? 0), 50);
  const arrivalAt = new Map<number, number>();
  const firstAt = new Map<number, number>();
  const ttft: number[] = [];
  const tpot: number[] = [];
  const e2e: number[] = [];
  let nextId = 0;
  let completed = 0;
  let windowStartMs = 0;
  let windowEndMs = 0;
  let windowTokens = 0;
  let windowRequests = 0;
  const send = (atMs: number): void => {
    const id = nextId++;
    arrivalAt.set(id, atMs);
    const request: SimRequest = {
      id,
      promptTokens: workload.promptTokens,
      outputTokens: workload.outputTokens,
      arrivalMs: atMs,
    };
    if (workload.sharedPrefixTokens)
      request.blockHashes = syntheticBlockHashes(
        id,
        workload.promptTokens,
        workload.sharedPrefixTokens,
        config.blockSize,
      );
    engine.submit(request);
  };
  const total = warmup + measured;
  const pending: number[] = [];
  const sink = (seq: { request: SimRequest; generated: number }, atMs: number, finished: boolean): void => {
    const id = seq.request.id;
    if (seq.generated === 1 && !firstAt.has(id)) firstAt.set(id, atMs);
    if (!finished) return;
    completed++;
    const arrival = arrivalAt.get(id) ?? atMs;
    const first = firstAt.get(id) ?? atMs;
    if (completed === warmup) windowStartMs = atMs;
    if (completed > warmup && completed <= total) {
      windowTokens += workload.outputTokens;
      windowRequests++;
      windowEndMs = atMs;
      ttft.push(first - arrival);
      e2e.push(atMs - arrival);
      if (workload.outputTokens > 1) tpot.push((atMs - first) / (workload.outputTokens - 1));
    }
    arrivalAt.delete(id);
    firstAt.delete(id);
    if (closed && nextId < total + (workload.concurrency ?? 0)) send(atMs);
  };
  if (closed) {
    // Fixed lengths keep requests that start in one step together forever; spread the clients over one
    // loaded request lifetime so that steady state is not an artefact of the start.
    const predicted = estimate(config, workload);
    const clients = workload.concurrency ?? 0;
    const lifeMs = predicted.ok ? predicted.estimate.e2eMs.mean : 0;
    const gapMs = Number.isFinite(lifeMs)
      ? Math.min(lifeMs, (lifeMs * Math.min(clients, config.maxNumSeqs * config.dataParallel)) / clients) /
        Math.max(1, clients)
      : 0;
    for (let i = 0; i < clients; i++) pending.push(i * gapMs);
  }
  let nextArrivalMs = closed ? Number.POSITIVE_INFINITY : 0;
  const meanGapMs = closed ? 0 : 1000 / (workload.requestRatePerS as number);
  while (completed < total) {
    const nextEvent = engine.nextEventMs();
    const start = pending[0];
    if (start !== undefined && start <= (nextEvent ?? Number.POSITIVE_INFINITY)) {
      engine.advance(start, sink);
      send(start);
      pending.shift();
      continue;
    }
    if (!closed && nextArrivalMs <= (nextEvent ?? Number.POSITIVE_INFINITY) && nextId < total + 1000) {
      engine.advance(nextArrivalMs, sink);
      send(nextArrivalMs);
      nextArrivalMs += arrivals.exponential(1) * meanGapMs;
      continue;
    }
    if (nextEvent === undefined) break;
    engine.advance(nextEvent, sink);
  }
  const windowMs = Math.max(1e-9, windowEndMs - windowStartMs);
  const stats = engine.stats();
  const requestsPerS = (windowRequests / windowMs) * 1000;
  return {
    ok: true,
    performance: {
      requestsPerS,
      outputTokensPerS: (windowTokens / windowMs) * 1000,
      totalTokensPerS: requestsPerS * (workload.promptTokens + workload.outputTokens),
      ttftMs: summarise(ttft),
      tpotMs: tpot.length > 0 ? summarise(tpot) : undefined,
      e2eMs: summarise(e2e),
      meanBatchSize: stats.generatedTokens / Math.max(1, stats.steps),
      preemptions: stats.preemptions,
    },
  };
}
