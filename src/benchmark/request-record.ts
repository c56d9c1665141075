// Per-request records of a benchmark run: timestamps and token counts of one streamed request.

/** Outcome of one request: `canceled` means cut short by the caller or a stop rule, not a server failure. */
export type RequestStatus = 'ok' | 'error' | 'canceled';

/**
 * Everything measured about one request. Times are monotonic milliseconds relative to the start of the run
 * (`BenchmarkResult.startedAtWallMs` anchors them to the wall clock); they keep sub-millisecond resolution.
 */
export interface RequestRecord {
  /** Position in the run, warm-up requests first. */
  index: number;
  /** Warm-up requests are recorded but excluded from every metric. */
  warmup: boolean;
  status: RequestStatus;
  /** Why the request failed or was cancelled. */
  error?: string | undefined;
  /** HTTP status of the answer, when headers arrived. */
  httpStatus?: number | undefined;
  /** When the arrival schedule wanted the request sent (open-loop loads only). */
  scheduledMs?: number | undefined;
  /** When the request was handed to the socket. */
  sentMs: number;
  /** When the response headers arrived. */
  headersMs?: number | undefined;
  /** When the first chunk carrying a generated token arrived (TTFT end point). */
  firstTokenMs?: number | undefined;
  /** Arrival time of every chunk carrying a generated token, in order (ITL end points). */
  tokenChunkMs: number[];
  /** When the last byte arrived, or when the request failed (E2E end point). */
  endMs: number;
  /** Prompt tokens the workload intended to send. */
  expectedPromptTokens?: number | undefined;
  /** Output tokens asked for with `max_tokens`. */
  maxTokens: number;
  /** Prompt tokens: the server's usage when reported, else the workload's intended count. */
  promptTokens?: number | undefined;
  /** Generated tokens: the server's usage when reported, else the number of token chunks. */
  outputTokens?: number | undefined;
  /** True when the token counts came from the server's `usage` object. */
  usageReported: boolean;
}
