// The engines whose parallel layouts this library knows (the simulated engine imitates one of them).

/** Every engine flavour, in a stable order. */
export const ENGINE_FLAVORS = ['vllm', 'sglang', 'llamacpp'] as const;

/** An engine whose flag spellings and parallel semantics apply: vLLM, SGLang or llama.cpp's llama-server. */
export type EngineFlavor = (typeof ENGINE_FLAVORS)[number];

/** A runtime as the parallelism rules see it: an engine, or the simulated engine imitating one. */
export type ParallelRuntime = EngineFlavor | 'sim';
