// Reading the KV capacity an engine reports: vLLM's cache-config info gauge, SGLang's server info.
import { describe, expect, it } from 'vitest';
import { sglangKvCapacity, vllmKvCapacity } from '../../../src/runtimes/kv-capacity.js';

const gauge = (labels: string) =>
  [
    '# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig',
    '# TYPE vllm:cache_config_info gauge',
    `vllm:cache_config_info{${labels}} 1.0`,
    'vllm:num_requests_running{engine="0",model_name="m"} 0.0',
  ].join('\n');

describe('vllmKvCapacity', () => {
  it.each([
    ['blocks times block size', 'block_size="16",cache_dtype="auto",num_gpu_blocks="2048"', 32_768],
    [
      'the token count when given',
      'block_size="16",kv_cache_size_tokens="10576",num_gpu_blocks="661"',
      10_576,
    ],
    ['no blocks', 'block_size="16",num_gpu_blocks="None"', undefined],
    ['a comma inside a label', 'block_size="16",model="a,b",num_gpu_blocks="10"', 160],
  ])('%s', (_, labels, tokens) => {
    expect(vllmKvCapacity(gauge(labels))).toBe(tokens);
  });

  it('reads nothing from a page without the gauge', () => {
    expect(vllmKvCapacity('vllm:num_requests_running{engine="0"} 0\n')).toBeUndefined();
  });
});

describe('sglangKvCapacity', () => {
  it.each([
    ['at the top', '{"version":"0.5.2","max_total_num_tokens":350257}', 350_257],
    ['per scheduler', '{"version":"0.5.5","internal_states":[{"max_total_num_tokens":524288}]}', 524_288],
    ['absent', '{"version":"0.5.2"}', undefined],
    ['not JSON', '<html>', undefined],
    ['zero', '{"max_total_num_tokens":0}', undefined],
  ])('%s', (_, body, tokens) => {
    expect(sglangKvCapacity(body)).toBe(tokens);
  });
});
