// Shapes shared by SLO scoring, the load generator and the study.

/** Latency metrics an SLO term can bound. */
export type LatencyMetric = 'ttft' | 'tpot' | 'itl' | 'e2e';

/** Statistics of a latency distribution an SLO term can bound. */
export type LatencyStat = 'mean' | 'p50' | 'p90' | 'p95' | 'p99';

/**
 * Summary of one latency distribution in milliseconds, computed from every request of one run.
 * A statistic is `undefined` when it cannot be computed (e.g. TPOT when every output has one token).
 */
export interface LatencyStats {
  mean: number | undefined;
  p50: number | undefined;
  p90: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  /** Further percentiles asked for, keyed like `p99.9`. */
  [stat: string]: number | undefined;
}

/** Per-metric latency summaries of one benchmark run (the input of sloPenalty / objectiveScore). */
export interface LatencyMetrics {
  ttftMs: LatencyStats;
  tpotMs: LatencyStats;
  itlMs: LatencyStats;
  e2eMs: LatencyStats;
}

/** One latency SLO term, e.g. p99 TTFT <= 500 ms. */
export interface SloTerm {
  metric: LatencyMetric;
  stat: LatencyStat;
  /** Threshold in milliseconds (> 0). */
  maxMs: number;
  /** Penalty weight. @default 1 */
  weight?: number;
  /** Fail the trial outright when the relative violation exceeds `failRatio`. @default false */
  hardFail?: boolean;
  /** Relative violation above which a hard-fail term fails the trial. @default 0.5 */
  failRatio?: number;
}

/** A set of SLO terms plus the penalty steepness; optionally a bound on the request error rate. */
export interface SloSpec {
  /** Steepness of the exponential penalty. @default 0.1 */
  steepness?: number;
  terms: SloTerm[];
  /** Highest acceptable share of failed requests, in [0, 1]. @default undefined (not bounded) */
  maxErrorRate?: number;
}

/** What the SLO module needs to know about one request to judge it against per-request SLOs. */
export interface RequestLatency {
  /** False for failed or cancelled requests (they always miss the SLO). */
  ok: boolean;
  ttftMs?: number | undefined;
  tpotMs?: number | undefined;
  e2eMs?: number | undefined;
  /** Gaps between consecutive streamed chunks of this request. */
  itlMs?: readonly number[] | undefined;
}

/** Everything one benchmark run measured that scoring can use: latency summaries plus rates. */
export interface RunMetrics extends LatencyMetrics {
  /** Completed requests per second over the measured window. */
  requestsPerS: number;
  /** Prompt tokens per second over the measured window. */
  inputTokensPerS: number;
  /** Generated tokens per second over the measured window. */
  outputTokensPerS: number;
  /** Prompt plus generated tokens per second. */
  totalTokensPerS: number;
  /** Share of requests that failed, in [0, 1]. */
  errorRate: number;
  /** Requests per second that met every per-request SLO, when an SLO was given. */
  goodputRps?: number | undefined;
  /** Share of requests that met every per-request SLO, when an SLO was given. */
  attainment?: number | undefined;
  /** Number of requests measured (warm-up excluded). */
  requestCount: number;
}
