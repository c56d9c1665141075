// Runs one benchmark: warm-up, the measured load, then metrics; never leaves sockets or timers behind.
import { setMaxListeners } from 'node:events';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BenchmarkError } from '../errors.js';
import { systemClock } from '../util/clock.js';
import { defaultLogger } from '../util/logger.js';
import { registerSecret } from '../util/redact.js';
import { type BenchmarkOptions, normaliseEndpoint, validateBenchmarkOptions } from './benchmark-options.js';
import { type BenchmarkResult, checkPromptTokens, sampleErrors } from './benchmark-result.js';
import { ClientGuard, type ClientLoadReport } from './client-guard.js';
import { type DriverContext, runClosedLoop, runOpenLoop } from './load-drivers.js';
import { buildHeaders, buildRequestBody } from './request-body.js';
import type { RequestRecord } from './request-record.js';
import { computeRunMetrics, measuredWindowMs } from './run-metrics.js';
import { streamRequest } from './stream-request.js';

/**
 * Drives an OpenAI-compatible server with a workload under a load and measures it. Warm-up requests run first
 * (closed loop at the load's concurrency, or its `maxConcurrency`, else one at a time) and are excluded from
 * metrics. A failed request is a record, never an exception. Aborting the signal cancels every request in
 * flight and rejects with the signal's reason; the run's keep-alive agent is destroyed either way.
 */
export async function runBenchmark(
  options: BenchmarkOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<BenchmarkResult> {
  validateBenchmarkOptions(options);
  signal?.throwIfAborted();
  if (options.apiKey) registerSecret(options.apiKey);
  const logger = options.logger ?? defaultLogger();
  const api = options.api ?? 'completions';
  const url = new URL(
    `${normaliseEndpoint(options.endpoint)}/v1/${api === 'chat' ? 'chat/completions' : 'completions'}`,
  );
  const clock = options.clock ?? systemClock;
  const originMs = clock.now();
  const startedAtWallMs = clock.wallMs();
  const now = (): number => clock.now() - originMs;
  const agentOptions = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: 'fifo' as const };
  const agent = url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
  const headers = buildHeaders(options.apiKey);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const records: RequestRecord[] = [];
  // Cancels requests in flight: on the caller's abort, or when a duration stop says to cut them.
  const cancel = new AbortController();
  // One listener per request in flight; thousands are expected, not a leak.
  setMaxListeners(0, cancel.signal);
  const onAbort = (): void => cancel.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const warmup = options.warmupRequests ?? 0;
  let stoppedEarly = false;
  const send = async (index: number, isWarmup: boolean, scheduledMs?: number): Promise<RequestRecord> => {
    const request = options.workload.request((options.workloadOffset ?? 0) + index);
    const record = await streamRequest({
      url,
      api,
      body: JSON.stringify(buildRequestBody(options, request)),
      headers,
      agent,
      timeoutMs,
      now,
      signal: cancel.signal,
      record: {
        index,
        warmup: isWarmup,
        maxTokens: request.maxTokens,
        expectedPromptTokens: request.promptTokens,
        scheduledMs,
      },
    });
    records.push(record);
    options.onRecord?.(record);
    if (!isWarmup && !stoppedEarly && options.stopWhen?.(record)) {
      stoppedEarly = true;
      cancel.abort();
    }
    return record;
  };
  let drainTimer: NodeJS.Timeout | undefined;
  let guard: ClientGuard | undefined;
  let client: ClientLoadReport | undefined;
  try {
    if (warmup > 0) {
      const load = options.load;
      const concurrency = load.kind === 'concurrency' ? load.concurrency : (load.maxConcurrency ?? 1);
      const ctx: DriverContext = { now, stop: { maxRequests: warmup }, signal, send: (i) => send(i, true) };
      await runClosedLoop(ctx, Math.min(concurrency, warmup));
    }
    guard = new ClientGuard(options.clientLimitMs ?? 10);
    options.telemetry?.start();
    const stop = options.stop;
    if (stop.maxDurationMs !== undefined && stop.drain === 'cancel') {
      drainTimer = setTimeout(() => cancel.abort(), stop.maxDurationMs);
    }
    const ctx: DriverContext = {
      now,
      stop,
      signal,
      guard,
      // The drain timer (or stopWhen) may cut before the driver's clock says stop: nothing new goes out then.
      cut: cancel.signal,
      send: (i, scheduledMs) => send(warmup + i, false, scheduledMs),
    };
    if (options.load.kind === 'concurrency')
      await runClosedLoop(ctx, options.load.concurrency, options.load.rampUpMs);
    else await runOpenLoop(ctx, options.load, options.seed ?? 0);
  } finally {
    client = guard?.stop();
    await options.telemetry?.stop();
    clearTimeout(drainTimer);
    signal?.removeEventListener('abort', onAbort);
    agent.destroy();
  }
  signal?.throwIfAborted();
  if (client === undefined) throw new BenchmarkError('the measured phase never started');
  const metrics = computeRunMetrics(records, { slo: options.slo, percentiles: options.percentiles });
  const window = measuredWindowMs(records);
  const counts = { ok: 0, error: 0, canceled: 0, warmup: 0 };
  for (const r of records) {
    if (r.warmup) counts.warmup++;
    else counts[r.status]++;
  }
  // The result carries it (client.limited); a study records it on the trial and caveats a recommendation.
  if (client.limited) logger.debug({ reasons: client.reasons }, 'benchmark client was the bottleneck');
  return {
    metrics,
    records,
    startedAtWallMs,
    measuredWindowMs: window,
    durationS: window ? (window.endMs - window.startMs) / 1000 : 0,
    counts,
    clientLimited: client.limited,
    stoppedEarly,
    client,
    promptTokenCheck: checkPromptTokens(records.filter((r) => !r.warmup)),
    errorSamples: sampleErrors(records),
    load: options.load,
    workload: options.workload.name,
  };
}
