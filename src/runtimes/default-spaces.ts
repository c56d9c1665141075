// Default search spaces per engine: the knobs worth tuning first, with ranges that suit most GPUs.
import type { SpaceData } from './runtime-adapter.js';
import type { EngineFlavor } from './runtime-name.js';

/**
 * vLLM: batch width, tokens per step, memory share, chunked prefill and prefix caching. Tokens per step are
 * tuned only with chunked prefill on: without it vLLM needs a step to hold a whole prompt of max_model_len
 * tokens, refuses a smaller value at start-up, and picks max(max_model_len, 2048) itself when none is given.
 */
export const VLLM_DEFAULT_SPACE: SpaceData = {
  'max-num-seqs': { values: [32, 64, 128, 256, 512] },
  'max-num-batched-tokens': {
    values: [2048, 4096, 8192, 16384],
    when: { 'enable-chunked-prefill': [true] },
  },
  'gpu-memory-utilization': { low: 0.8, high: 0.95, step: 0.05 },
  'enable-chunked-prefill': { values: [true, false] },
  'enable-prefix-caching': { values: [true, false] },
};

/** SGLang: running requests, prefill chunk, static memory fraction and scheduling policy. */
export const SGLANG_DEFAULT_SPACE: SpaceData = {
  'max-running-requests': { values: [32, 64, 128, 256, 512] },
  'chunked-prefill-size': { values: [2048, 4096, 8192, 16384] },
  'mem-fraction-static': { low: 0.7, high: 0.9, step: 0.05 },
  'schedule-policy': { values: ['fcfs', 'lpm'] },
};

/** llama.cpp: server slots, CPU threads, logical and physical batch and total context. */
export function llamacppDefaultSpace(cpuCount = 8): SpaceData {
  const threads = [1, 2, 4, 8, 16, 32].filter((n) => n <= Math.max(1, cpuCount));
  return {
    parallel: { values: [1, 2, 4, 8] },
    threads: { values: threads },
    'batch-size': { values: [512, 1024, 2048] },
    'ubatch-size': { values: [128, 256, 512] },
    'ctx-size': { values: [2048, 4096, 8192] },
  };
}

/** The default space of an engine flavour (a fresh copy the caller may edit). */
export function defaultSpaceFor(flavor: EngineFlavor, cpuCount?: number): SpaceData {
  const space =
    flavor === 'vllm'
      ? VLLM_DEFAULT_SPACE
      : flavor === 'sglang'
        ? SGLANG_DEFAULT_SPACE
        : llamacppDefaultSpace(cpuCount);
  return structuredClone(space);
}
