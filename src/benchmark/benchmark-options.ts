// Options of one benchmark run, their defaults and their validation.
import { InvalidOptionError } from '../errors.js';
import type { SloSpec } from '../slo/types.js';
import type { Clock } from '../util/clock.js';
import type { LogSink } from '../util/logger.js';
import type { LoadSpec, StopSpec } from './load-spec.js';
import { validateLoad, validateStop } from './load-spec.js';
import type { RequestRecord } from './request-record.js';
import type { ApiKind } from './stream-chunk.js';
import type { TelemetryProbe } from './telemetry-probe.js';
import type { Workload } from './workload.js';

/** Everything that defines one benchmark run against an OpenAI-compatible server. */
export interface BenchmarkOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8000` (a trailing `/v1` is accepted). */
  endpoint: string;
  /** Model name sent in every request. */
  model: string;
  /** Endpoint driven: `/v1/completions` or `/v1/chat/completions`. @default 'completions' */
  api?: ApiKind;
  workload: Workload;
  load: LoadSpec;
  stop: StopSpec;
  /**
   * Workload index of this run's first request; runs that must not share prompts (and so prefix-cache hits),
   * like the probes of a capacity search, use disjoint ranges. @default 0
   */
  workloadOffset?: number;
  /** Requests sent (and awaited) before the measured phase, excluded from metrics. @default 0 */
  warmupRequests?: number;
  /** Per-request SLO for goodput and attainment. @default undefined (not computed) */
  slo?: SloSpec;
  /** Extra percentiles to report beside p50/p90/p95/p99, e.g. `[99.9]`. @default [50, 90, 95, 99] */
  percentiles?: number[];
  /** Per-request timeout; a request that takes longer is an error record. @default 600_000 */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer ...`; never logged. @default undefined */
  apiKey?: string;
  /** Merged into every request body last (may override the defaults below). @default {} */
  extraBody?: Record<string, unknown>;
  /** Ask for exactly `max_tokens` output tokens with `ignore_eos: true` and `min_tokens`. @default true */
  forceOutputLength?: boolean;
  /** Ask for a final usage chunk with `stream_options.include_usage`. @default true */
  includeUsage?: boolean;
  /** Seed of the arrival schedule. @default 0 */
  seed?: number;
  /**
   * The client counts as the bottleneck when the p99 send lag or p99 event-loop delay exceeds this.
   * @default 10
   */
  clientLimitMs?: number;
  /**
   * Called with every request record as it completes (warm-up included; see `record.warmup`), e.g. to stop a
   * run early by aborting its signal once the SLO is lost. @default undefined
   */
  onRecord?: (record: RequestRecord) => void;
  /**
   * Called with every measured record as it completes; returning true ends the run there: requests in flight
   * are cancelled (cancelled requests never enter the metrics), none is sent after, and the result says
   * `stoppedEarly`. Used to stop a run whose SLO is already lost. @default undefined
   */
  stopWhen?: (record: RequestRecord) => boolean;
  /**
   * Sampled while the measured phase runs (started after warm-up, stopped once the last measured request ends,
   * also on abort), e.g. a MetricsScraper of the engine's /metrics. @default undefined
   */
  telemetry?: TelemetryProbe;
  /** Time source for wall-clock anchoring of the records. @default systemClock */
  clock?: Clock;
  /** @default defaultLogger() */
  logger?: LogSink;
}

/** Strips a trailing slash and `/v1` from a base URL and checks it parses. */
export function normaliseEndpoint(endpoint: string): string {
  let base = endpoint.trim().replace(/\/+$/, '');
  if (base.endsWith('/v1')) base = base.slice(0, -3);
  let url: URL;
  try {
    url = new URL(base);
  } catch (cause) {
    throw new InvalidOptionError('endpoint', endpoint, 'an http(s) base URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('endpoint', endpoint, 'an http(s) base URL');
  }
  return base;
}

/** Throws InvalidOptionError naming the first bad option. */
export function validateBenchmarkOptions(options: BenchmarkOptions): void {
  normaliseEndpoint(options.endpoint);
  if (typeof options.model !== 'string' || options.model === '') {
    throw new InvalidOptionError('model', options.model, 'a non-empty model name');
  }
  if (options.api !== undefined && options.api !== 'completions' && options.api !== 'chat') {
    throw new InvalidOptionError('api', options.api, "'completions' or 'chat'");
  }
  if (typeof options.workload?.request !== 'function') {
    throw new InvalidOptionError('workload', options.workload, 'a Workload with request(index)');
  }
  validateLoad(options.load);
  validateStop(options.stop);
  const offset = options.workloadOffset;
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0)) {
    throw new InvalidOptionError('workloadOffset', offset, 'an integer >= 0');
  }
  const w = options.warmupRequests;
  if (w !== undefined && !(Number.isInteger(w) && w >= 0)) {
    throw new InvalidOptionError('warmupRequests', w, 'an integer >= 0');
  }
  const t = options.timeoutMs;
  if (t !== undefined && !(Number.isFinite(t) && t > 0))
    throw new InvalidOptionError('timeoutMs', t, 'a number of ms > 0');
  for (const [i, q] of (options.percentiles ?? []).entries()) {
    if (!(typeof q === 'number' && q >= 0 && q <= 100)) {
      throw new InvalidOptionError(`percentiles[${i}]`, q, 'a number in [0, 100]');
    }
  }
}
