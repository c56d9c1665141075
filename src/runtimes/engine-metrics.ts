// Prometheus metric names of each engine (the simulated engine exports the names of the one it imitates), and how
// each engine reports its version.
import type { SeriesSpec } from '../benchmark/series-summary.js';
import { llamacppKvPool } from './llamacpp-kv-pool.js';
import type { EngineMetricNames, EngineVersionProbe } from './runtime-adapter.js';
import type { EngineFlavor } from './runtime-name.js';

/**
 * Metric names per engine. llama.cpp's KV usage gauge is missing from newer builds (Debian's b11669 has none, under
 * any flag): there it is derived from `/slots`, served unless the server runs with `--no-slots`. SGLang counts
 * preemptions as retractions.
 */
export const ENGINE_METRICS: Readonly<Record<EngineFlavor, EngineMetricNames>> = {
  vllm: {
    path: '/metrics',
    running: 'vllm:num_requests_running',
    waiting: 'vllm:num_requests_waiting',
    kvCacheUsage: 'vllm:kv_cache_usage_perc',
    promptTokens: 'vllm:prompt_tokens_total',
    generationTokens: 'vllm:generation_tokens_total',
    preemptions: 'vllm:num_preemptions_total',
    prefixCacheHits: 'vllm:prefix_cache_hits_total',
    prefixCacheQueries: 'vllm:prefix_cache_queries_total',
    extra: [{ metric: 'vllm:request_success_total', kind: 'counter' }],
  },
  sglang: {
    path: '/metrics',
    enableFlag: '--enable-metrics',
    running: 'sglang:num_running_reqs',
    waiting: 'sglang:num_queue_reqs',
    kvCacheUsage: 'sglang:token_usage',
    promptTokens: 'sglang:prompt_tokens_total',
    generationTokens: 'sglang:generation_tokens_total',
    preemptions: 'sglang:num_retracted_requests_total',
    prefixCacheHitRate: 'sglang:cache_hit_rate',
    extra: [{ metric: 'sglang:gen_throughput', kind: 'gauge' }],
  },
  llamacpp: {
    path: '/metrics',
    enableFlag: '--metrics',
    running: 'llamacpp:requests_processing',
    waiting: 'llamacpp:requests_deferred',
    kvCacheUsage: 'llamacpp:kv_cache_usage_ratio',
    // Excludes cached tokens: hits are set against hits + these.
    promptTokens: 'llamacpp:prompt_tokens_total',
    generationTokens: 'llamacpp:tokens_predicted_total',
    prefixCacheHits: 'llamacpp:prompt_tokens_cached_total',
    extra: [
      { metric: 'llamacpp:n_busy_slots_per_decode', kind: 'gauge' },
      { metric: 'llamacpp:n_decode_total', kind: 'counter' },
    ],
    kvUsageFromSlots: { path: '/slots', pool: llamacppKvPool },
  },
};

function stringField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where each engine says its version: vLLM `/version`, SGLang's server info, llama-server's `/props` build. */
export const ENGINE_VERSION_PROBES: Readonly<Record<EngineFlavor, EngineVersionProbe>> = {
  vllm: { paths: ['/version'], read: (body) => stringField(body, 'version') },
  sglang: {
    paths: ['/server_info', '/get_server_info'],
    read: (body) => stringField(body, 'version'),
  },
  llamacpp: { paths: ['/props'], read: (body) => stringField(body, 'build_info') },
};

/** KV cache usage at or above this counts as saturated. */
export const KV_SATURATION = 0.95;

/** The series a trial's telemetry summarises, keyed by concept (`running`, `kvCacheUsage`...) or own name. */
export function engineSeries(names: EngineMetricNames): SeriesSpec[] {
  const specs: SeriesSpec[] = [
    { key: 'running', metric: names.running, kind: 'gauge' },
    { key: 'waiting', metric: names.waiting, kind: 'gauge' },
    { key: 'kvCacheUsage', metric: names.kvCacheUsage, kind: 'gauge', saturationAt: KV_SATURATION },
    { key: 'promptTokens', metric: names.promptTokens, kind: 'counter' },
    { key: 'generationTokens', metric: names.generationTokens, kind: 'counter' },
  ];
  if (names.preemptions) specs.push({ key: 'preemptions', metric: names.preemptions, kind: 'counter' });
  if (names.prefixCacheHits)
    specs.push({ key: 'prefixCacheHits', metric: names.prefixCacheHits, kind: 'counter' });
  if (names.prefixCacheQueries)
    specs.push({ key: 'prefixCacheQueries', metric: names.prefixCacheQueries, kind: 'counter' });
  if (names.prefixCacheHitRate)
    specs.push({ key: 'prefixCacheHitRate', metric: names.prefixCacheHitRate, kind: 'gauge' });
  for (const e of names.extra ?? []) specs.push({ key: e.metric, metric: e.metric, kind: e.kind });
  return specs;
}
