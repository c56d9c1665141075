// Prometheus metric names of each engine (the simulated engine exports the names of the one it imitates).
import type { EngineMetricNames } from './runtime-adapter.js';
import type { EngineFlavor } from './runtime-name.js';

/** Metric names per engine; llama.cpp's KV usage gauge is missing from some newer builds. */
export const ENGINE_METRICS: Readonly<Record<EngineFlavor, EngineMetricNames>> = {
  vllm: {
    path: '/metrics',
    running: 'vllm:num_requests_running',
    waiting: 'vllm:num_requests_waiting',
    kvCacheUsage: 'vllm:kv_cache_usage_perc',
    promptTokens: 'vllm:prompt_tokens_total',
    generationTokens: 'vllm:generation_tokens_total',
  },
  sglang: {
    path: '/metrics',
    enableFlag: '--enable-metrics',
    running: 'sglang:num_running_reqs',
    waiting: 'sglang:num_queue_reqs',
    kvCacheUsage: 'sglang:token_usage',
    promptTokens: 'sglang:prompt_tokens_total',
    generationTokens: 'sglang:generation_tokens_total',
  },
  llamacpp: {
    path: '/metrics',
    enableFlag: '--metrics',
    running: 'llamacpp:requests_processing',
    waiting: 'llamacpp:requests_deferred',
    kvCacheUsage: 'llamacpp:kv_cache_usage_ratio',
    promptTokens: 'llamacpp:prompt_tokens_total',
    generationTokens: 'llamacpp:tokens_predicted_total',
  },
};
