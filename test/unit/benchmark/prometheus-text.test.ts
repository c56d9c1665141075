import { describe, expect, it } from 'vitest';
import { parsePrometheusSamples } from '../../../src/benchmark/prometheus-text.js';
import { createServerCounters, metricsText } from '../../../src/sim/metrics-text.js';
import { IDLE_ENGINE_STATS } from '../../../src/sim/sim-engine.js';

describe('parsePrometheusSamples', () => {
  it('sums a sample over its label sets and leaves histograms out', () => {
    const counters = createServerCounters();
    counters.finishedLength = 3;
    counters.finishedStop = 2;
    counters.ttft.observe(0.5);
    counters.ttft.observe(1.5);
    const text = metricsText('vllm', 'm', { ...IDLE_ENGINE_STATS, running: 4, kvUsage: 0.25 }, counters);
    const samples = parsePrometheusSamples(text);
    expect(samples.get('vllm:num_requests_running')).toBe(4);
    expect(samples.get('vllm:kv_cache_usage_perc')).toBe(0.25);
    expect(samples.get('vllm:request_success_total')).toBe(5);
    expect([...samples.keys()].filter((k) => k.includes('time_to_first_token'))).toEqual([]);
  });

  it("reads llama-server's page (Debian build b11669: no labels, no final line break) and SGLang's names", () => {
    const page = [
      '# HELP llamacpp:requests_processing Number of requests processing',
      '# TYPE llamacpp:requests_processing gauge',
      'llamacpp:requests_processing 2',
      '# TYPE llamacpp:prompt_tokens_total counter',
      'llamacpp:prompt_tokens_total 1.5e+03',
    ].join('\n');
    expect(Object.fromEntries(parsePrometheusSamples(page))).toEqual({
      'llamacpp:requests_processing': 2,
      'llamacpp:prompt_tokens_total': 1500,
    });
    const sglang = parsePrometheusSamples(
      metricsText('sglang', 'm', { ...IDLE_ENGINE_STATS, preemptions: 7 }, createServerCounters()),
    );
    expect(sglang.get('sglang:num_retracted_requests_total')).toBe(7);
    expect(sglang.has('sglang:token_usage')).toBe(true);
  });

  it.each([
    ['an HTML page', '<html><body>Not found</body></html>'],
    ['JSON', '{"detail":"Not Found"}'],
    ['empty', ''],
  ])('finds no samples in %s', (_name, text) => {
    let samples: Map<string, number> | undefined;
    try {
      samples = parsePrometheusSamples(text);
    } catch {
      samples = new Map();
    }
    expect(samples.size).toBe(0);
  });
});
