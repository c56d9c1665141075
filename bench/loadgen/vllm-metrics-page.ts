// A /metrics page shaped like a vLLM v1 server's under load: its scheduler gauges and token counters, a dozen
// latency and size histograms (20 to 30 buckets each, `engine` and `model_name` labels), finish-reason counters,
// the cache config info gauge and the Python process / GC series prometheus_client adds. About 40 KiB and 400 lines, as a
// real page of one engine is.
const LABELS = 'engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"';
const LATENCY_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
  2560,
];
const TOKEN_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

function histogram(name: string, help: string, buckets: number[], scale: number, seed: number): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  let count = 0;
  buckets.forEach((le, i) => {
    count += Math.round(seed * (i + 1) * 37) % 900;
    lines.push(`${name}_bucket{${LABELS},le="${le.toFixed(1)}"} ${count}.0`);
  });
  lines.push(`${name}_bucket{${LABELS},le="+Inf"} ${count}.0`);
  lines.push(`${name}_count{${LABELS}} ${count}.0`, `${name}_sum{${LABELS}} ${(count * scale).toFixed(6)}`);
  lines.push(`# HELP ${name}_created ${help}`, `# TYPE ${name}_created gauge`);
  lines.push(`${name}_created{${LABELS}} 1.7285e+09`);
  return lines;
}

function one(name: string, type: string, value: number | string, help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}{${LABELS}} ${value}`];
}

/** The page at scrape number `tick` (counters and gauges move between scrapes). */
export function vllmMetricsPage(tick: number): string {
  const lines: string[] = [];
  for (const [name, value] of [
    ['python_gc_objects_collected_total{generation="0"}', 12345],
    ['python_gc_objects_collected_total{generation="1"}', 2345],
    ['python_gc_objects_collected_total{generation="2"}', 345],
    ['process_virtual_memory_bytes', 3.2e10],
    ['process_resident_memory_bytes', 4.1e9],
    ['process_start_time_seconds', 1.7285e9],
    ['process_cpu_seconds_total', 1234.5 + tick],
    ['process_open_fds', 123],
    ['process_max_fds', 1048576],
  ] as const)
    lines.push(`${name} ${value}`);
  lines.push(...one('vllm:num_requests_running', 'gauge', 48 + (tick % 7), 'Number of requests in batches.'));
  lines.push(...one('vllm:num_requests_waiting', 'gauge', tick % 13, 'Number of requests waiting.'));
  lines.push(...one('vllm:kv_cache_usage_perc', 'gauge', ((tick % 100) / 100).toFixed(4), 'KV-cache usage.'));
  lines.push(...one('vllm:num_preemptions_total', 'counter', tick * 3, 'Cumulative preemptions.'));
  lines.push(...one('vllm:prompt_tokens_total', 'counter', tick * 40960, 'Prefill tokens processed.'));
  lines.push(...one('vllm:generation_tokens_total', 'counter', tick * 8192, 'Generation tokens processed.'));
  lines.push(...one('vllm:prefix_cache_queries_total', 'counter', tick * 40960, 'Prefix cache queries.'));
  lines.push(...one('vllm:prefix_cache_hits_total', 'counter', tick * 10240, 'Prefix cache hits.'));
  lines.push(
    '# HELP vllm:request_success_total Successful requests.',
    '# TYPE vllm:request_success_total counter',
  );
  for (const reason of ['stop', 'length', 'abort'])
    lines.push(`vllm:request_success_total{${LABELS},finished_reason="${reason}"} ${tick * 17}`);
  lines.push(
    '# HELP vllm:cache_config_info CacheConfig.',
    '# TYPE vllm:cache_config_info gauge',
    `vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",gpu_memory_utilization="0.9",num_gpu_blocks="27306",num_cpu_blocks="2048",swap_space="4"} 1.0`,
  );
  const seconds = [
    'time_to_first_token_seconds',
    'inter_token_latency_seconds',
    'e2e_request_latency_seconds',
    'request_queue_time_seconds',
    'request_inference_time_seconds',
    'request_prefill_time_seconds',
    'request_decode_time_seconds',
    'time_per_output_token_seconds',
  ];
  for (const [i, n] of seconds.entries())
    lines.push(...histogram(`vllm:${n}`, n, LATENCY_BUCKETS, 0.2, tick + i));
  const tokens = [
    'request_prompt_tokens',
    'request_generation_tokens',
    'request_params_max_tokens',
    'iteration_tokens_total',
    'request_params_n',
  ];
  for (const [i, n] of tokens.entries())
    lines.push(...histogram(`vllm:${n}`, n, TOKEN_BUCKETS, 300, tick + 11 * i));
  return `${lines.join('\n')}\n`;
}
