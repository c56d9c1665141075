// Prometheus text exposition of the simulated engine with vLLM metric names (plus the imitated SGLang / llama.cpp
// engine's own gauges and counters).
import type { EngineFlavor } from '../parallelism/engine-flavor.js';
import type { EngineStats } from './sim-engine.js';

const BUCKETS_S = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80];

/** A cumulative histogram in seconds. */
export class Histogram {
  private readonly counts = new Array<number>(BUCKETS_S.length).fill(0);
  private sum = 0;
  private total = 0;

  /** Records one observation in seconds. */
  observe(seconds: number): void {
    this.sum += seconds;
    this.total++;
    for (let i = 0; i < BUCKETS_S.length; i++)
      if (seconds <= (BUCKETS_S[i] as number)) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  /** Exposition lines for a metric name and label set. */
  lines(name: string, labels: string): string[] {
    const out = BUCKETS_S.map((le, i) => `${name}_bucket{${labels},le="${le}"} ${this.counts[i]}`);
    out.push(
      `${name}_bucket{${labels},le="+Inf"} ${this.total}`,
      `${name}_sum{${labels}} ${this.sum}`,
      `${name}_count{${labels}} ${this.total}`,
    );
    return out;
  }
}

/** Counters the server keeps besides the engine's own. */
export interface ServerCounters {
  promptTokens: number;
  finishedLength: number;
  finishedStop: number;
  aborted: number;
  ttft: Histogram;
  e2e: Histogram;
  tpot: Histogram;
}

/** Creates zeroed server counters. */
export function createServerCounters(): ServerCounters {
  return {
    promptTokens: 0,
    finishedLength: 0,
    finishedStop: 0,
    aborted: 0,
    ttft: new Histogram(),
    e2e: new Histogram(),
    tpot: new Histogram(),
  };
}

/** The KV cache a started engine allocated, as vLLM's `vllm:cache_config_info` labels say it. */
export interface CacheConfigInfo {
  blockSize: number;
  numGpuBlocks: number;
  gpuMemoryUtilization: number;
}

/**
 * Renders /metrics; latency histograms are in simulated seconds. `cache` (once the engine has started) adds the
 * info gauge vLLM exports of its cache configuration: value 1, the figures as labels (vLLM's metrics page and its
 * test list of expected V1 metrics name `vllm:cache_config_info`, labels `block_size` and `num_gpu_blocks`).
 */
export function metricsText(
  engine: EngineFlavor,
  model: string,
  stats: EngineStats,
  counters: ServerCounters,
  cache?: CacheConfigInfo,
): string {
  const labels = `engine="0",model_name=${JSON.stringify(model)}`;
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, value: number | string[], extra = ''): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    if (Array.isArray(value)) lines.push(...value);
    else lines.push(`${name}{${labels}${extra}} ${value}`);
  };
  metric(
    'vllm:num_requests_running',
    'gauge',
    'Number of requests in model execution batches.',
    stats.running,
  );
  metric('vllm:num_requests_waiting', 'gauge', 'Number of requests waiting to be processed.', stats.waiting);
  metric('vllm:kv_cache_usage_perc', 'gauge', 'KV-cache usage. 1 means 100 percent usage.', stats.kvUsage);
  metric(
    'vllm:gpu_cache_usage_perc',
    'gauge',
    'GPU KV-cache usage (legacy name). 1 means 100 percent usage.',
    stats.kvUsage,
  );
  if (cache)
    metric('vllm:cache_config_info', 'gauge', 'Information of the LLMEngine CacheConfig.', [
      `vllm:cache_config_info{${labels},block_size="${cache.blockSize}",gpu_memory_utilization="${cache.gpuMemoryUtilization}",num_gpu_blocks="${cache.numGpuBlocks}"} 1`,
    ]);
  metric('vllm:num_preemptions_total', 'counter', 'Cumulative number of preemptions.', stats.preemptions);
  metric('vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', counters.promptTokens);
  metric(
    'vllm:generation_tokens_total',
    'counter',
    'Number of generation tokens processed.',
    stats.generatedTokens,
  );
  metric(
    'vllm:prefix_cache_queries_total',
    'counter',
    'Prefix cache queries, in tokens.',
    counters.promptTokens,
  );
  metric('vllm:prefix_cache_hits_total', 'counter', 'Prefix cache hits, in tokens.', stats.prefixHitTokens);
  metric('vllm:request_success_total', 'counter', 'Count of successfully processed requests.', [
    `vllm:request_success_total{${labels},finished_reason="length"} ${counters.finishedLength}`,
    `vllm:request_success_total{${labels},finished_reason="stop"} ${counters.finishedStop}`,
    `vllm:request_success_total{${labels},finished_reason="abort"} ${counters.aborted}`,
  ]);
  metric(
    'vllm:time_to_first_token_seconds',
    'histogram',
    'Time to first token in seconds (simulated time).',
    counters.ttft.lines('vllm:time_to_first_token_seconds', labels),
  );
  metric(
    'vllm:time_per_output_token_seconds',
    'histogram',
    'Time per output token in seconds (simulated time).',
    counters.tpot.lines('vllm:time_per_output_token_seconds', labels),
  );
  metric(
    'vllm:e2e_request_latency_seconds',
    'histogram',
    'End-to-end request latency in seconds (simulated time).',
    counters.e2e.lines('vllm:e2e_request_latency_seconds', labels),
  );
  if (engine === 'sglang') {
    metric('sglang:num_running_reqs', 'gauge', 'The number of running requests.', stats.running);
    metric('sglang:num_queue_reqs', 'gauge', 'The number of requests in the waiting queue.', stats.waiting);
    metric('sglang:token_usage', 'gauge', 'The token usage of the KV cache.', stats.kvUsage);
    metric(
      'sglang:prompt_tokens_total',
      'counter',
      'Number of prefill tokens processed.',
      counters.promptTokens,
    );
    metric(
      'sglang:generation_tokens_total',
      'counter',
      'Number of generation tokens processed.',
      stats.generatedTokens,
    );
    metric(
      'sglang:num_retracted_requests_total',
      'counter',
      'Requests retracted to free KV cache.',
      stats.preemptions,
    );
    metric(
      'sglang:cache_hit_rate',
      'gauge',
      'Prefix cache hit rate.',
      counters.promptTokens > 0 ? stats.prefixHitTokens / counters.promptTokens : 0,
    );
  }
  if (engine === 'llamacpp') {
    metric('llamacpp:requests_processing', 'gauge', 'Number of requests processing.', stats.running);
    metric('llamacpp:requests_deferred', 'gauge', 'Number of requests deferred.', stats.waiting);
    metric(
      'llamacpp:kv_cache_usage_ratio',
      'gauge',
      'KV-cache usage. 1 means 100 percent usage.',
      stats.kvUsage,
    );
    metric(
      'llamacpp:prompt_tokens_total',
      'counter',
      'Number of prompt tokens processed, excluding cached tokens.',
      Math.max(0, counters.promptTokens - stats.prefixHitTokens),
    );
    metric(
      'llamacpp:prompt_tokens_cached_total',
      'counter',
      'Number of prompt tokens reused from the cache.',
      stats.prefixHitTokens,
    );
    metric(
      'llamacpp:tokens_predicted_total',
      'counter',
      'Number of generation tokens processed.',
      stats.generatedTokens,
    );
  }
  return `${lines.join('\n')}\n`;
}
