// The same tuning idea spelled by each engine; used for cross-engine hints and by the presets.
import type { EngineFlavor } from './runtime-name.js';

/** A flag of one engine that expresses a concept; `inverted` when the flag turns the concept off. */
export interface ConceptFlag {
  flag: string;
  inverted?: boolean;
}

/** Concepts shared by the engines, each with the flag every engine spells it with (when it has one). */
export const ENGINE_CONCEPTS: Readonly<Record<string, Partial<Record<EngineFlavor, ConceptFlag>>>> = {
  'tensor parallel size': {
    vllm: { flag: '--tensor-parallel-size' },
    sglang: { flag: '--tp-size' },
  },
  'pipeline parallel size': {
    vllm: { flag: '--pipeline-parallel-size' },
    sglang: { flag: '--pp-size' },
  },
  'data parallel size': { vllm: { flag: '--data-parallel-size' }, sglang: { flag: '--dp-size' } },
  'concurrent sequences': {
    vllm: { flag: '--max-num-seqs' },
    sglang: { flag: '--max-running-requests' },
    llamacpp: { flag: '--parallel' },
  },
  'tokens per step': {
    vllm: { flag: '--max-num-batched-tokens' },
    sglang: { flag: '--chunked-prefill-size' },
    llamacpp: { flag: '--batch-size' },
  },
  'GPU memory fraction': {
    vllm: { flag: '--gpu-memory-utilization' },
    sglang: { flag: '--mem-fraction-static' },
  },
  'context length': {
    vllm: { flag: '--max-model-len' },
    sglang: { flag: '--context-length' },
    llamacpp: { flag: '--ctx-size' },
  },
  'prefix caching': {
    vllm: { flag: '--enable-prefix-caching' },
    sglang: { flag: '--disable-radix-cache', inverted: true },
    llamacpp: { flag: '--cache-prompt' },
  },
  'KV cache data type': {
    vllm: { flag: '--kv-cache-dtype' },
    sglang: { flag: '--kv-cache-dtype' },
    llamacpp: { flag: '--cache-type-k' },
  },
  'weight quantization': { vllm: { flag: '--quantization' }, sglang: { flag: '--quantization' } },
  'random seed': {
    vllm: { flag: '--seed' },
    sglang: { flag: '--random-seed' },
    llamacpp: { flag: '--seed' },
  },
  'scheduling policy': {
    vllm: { flag: '--scheduling-policy' },
    sglang: { flag: '--schedule-policy' },
  },
  'served model name': {
    vllm: { flag: '--served-model-name' },
    sglang: { flag: '--served-model-name' },
    llamacpp: { flag: '--alias' },
  },
  'chunked prefill': { vllm: { flag: '--enable-chunked-prefill' } },
  'CUDA graphs off': {
    vllm: { flag: '--enforce-eager' },
    sglang: { flag: '--disable-cuda-graph' },
  },
};

/** The concept a flag of an engine expresses, when the table knows it. */
export function conceptOf(engine: EngineFlavor, flag: string): string | undefined {
  for (const [concept, flags] of Object.entries(ENGINE_CONCEPTS)) {
    if (flags[engine]?.flag === flag) return concept;
  }
  return undefined;
}
