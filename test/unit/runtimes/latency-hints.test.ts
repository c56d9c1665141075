import { describe, expect, it } from 'vitest';
import { latencyHintsFor, withLatencyHints } from '../../../src/runtimes/latency-hints.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { constraintMetrics } from '../../../src/tune/create-strategy.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';

describe('latency hints of engine flags', () => {
  it('points each known vLLM knob at the end of its domain that lowers each metric', () => {
    const space = withLatencyHints(
      normalizeSpace({
        'tensor-parallel-size': [1, 2, 4],
        '--max-num-seqs': [64, 16, 256],
        max_num_batched_tokens: { low: 512, high: 8192 },
        'kv-cache-dtype': ['auto', 'fp8_e5m2'],
        'enforce-eager': { type: 'bool' },
        'enable-chunked-prefill': [true, false],
        'enable-prefix-caching': { type: 'bool' },
        'gpu-memory-utilization': { low: 0.8, high: 0.95 },
        'block-size': [16, 32],
      }),
      'vllm',
    );
    const hints = Object.fromEntries(space.params.map((p) => [p.name, p.lowers]));
    expect(hints).toEqual({
      'tensor-parallel-size': { ttft: 4, tpot: 4, itl: 4, e2e: 4, memory: 4, gpus: 1 },
      '--max-num-seqs': { ttft: 256, tpot: 16, itl: 16, kv: 16 },
      max_num_batched_tokens: { ttft: 8192, tpot: 512, itl: 512 },
      'kv-cache-dtype': { tpot: 'fp8_e5m2', itl: 'fp8_e5m2', kv: 'fp8_e5m2', memory: 'fp8_e5m2' },
      'enforce-eager': { ttft: false, tpot: false, itl: false, e2e: false, memory: true },
      'enable-chunked-prefill': { tpot: true, itl: true },
      'enable-prefix-caching': { ttft: true, e2e: true },
      'gpu-memory-utilization': { memory: 0.95, kv: 0.95 },
      'block-size': undefined,
    });
  });

  it('flips inverted flags and spells concepts per engine', () => {
    const [radix] = normalizeSpace({ 'disable-radix-cache': { type: 'bool' } }).params;
    expect(latencyHintsFor('sglang', radix as never)).toEqual({ ttft: false, e2e: false });
    const [slots] = normalizeSpace({ parallel: [1, 2, 4, 8] }).params;
    expect(latencyHintsFor('llamacpp', slots as never)).toEqual({ ttft: 8, tpot: 1, itl: 1, kv: 1 });
    // -1 turns SGLang's chunked prefill off: it is no end of the chunk-size range.
    const [chunk] = normalizeSpace({ 'chunked-prefill-size': [-1, 2048, 8192] }).params;
    expect(latencyHintsFor('sglang', chunk as never)).toEqual({ ttft: 8192, tpot: 2048, itl: 2048 });
    // A domain without the lever's end gets no hint for that metric.
    const [kv] = normalizeSpace({ 'kv-cache-dtype': ['auto', 'bfloat16'] }).params;
    expect(latencyHintsFor('vllm', kv as never)).toBeUndefined();
  });

  it('keeps hints the user wrote, including an empty map that turns them off', () => {
    const space = withLatencyHints(
      normalizeSpace({
        'max-num-seqs': { values: [16, 256], lowers: {} },
        'tensor-parallel-size': { values: [1, 2], lowers: { ttft: 1 } },
      }),
      'vllm',
    );
    expect(space.params.map((p) => p.lowers)).toEqual([{}, { ttft: 1 }]);
  });

  it('reach the study: resolved spaces carry them and the strategy learns which metric each SLO bounds', () => {
    const resolved = resolveOptions({
      runtime: 'sim',
      model: 'llama-3.1-8b',
      space: { 'max-num-seqs': [32, 64, 128] },
      slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 40 }], maxErrorRate: 0.01 },
    });
    expect(resolved.space.params[0]?.lowers).toEqual({ ttft: 128, tpot: 32, itl: 32, kv: 32 });
    expect(constraintMetrics(resolved.slo)).toEqual(['tpot', undefined]);
    expect(constraintMetrics(undefined)).toEqual([]);
  });
});
