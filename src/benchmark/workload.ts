// Workloads: what each request of a run asks for (prompt and output length), as a function of its index.

/** One request of a workload. */
export interface WorkloadRequest {
  /** Prompt text (sent as `prompt`, or as the one user message of a chat request). */
  prompt: string;
  /** Prompt tokens the workload intends, when it knows (compared with the server's usage). */
  promptTokens?: number | undefined;
  /** Output tokens to generate (`max_tokens`; forced with `ignore_eos` / `min_tokens` when asked). */
  maxTokens: number;
}

/** A deterministic source of requests: the same index always gives the same request. */
export interface Workload {
  /** Short description for logs and reports. */
  readonly name: string;
  request(index: number): WorkloadRequest;
}
