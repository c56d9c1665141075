// The inference engines this library knows how to launch.

/** Engine identifiers: vLLM, SGLang, llama.cpp's llama-server and the built-in simulated engine. */
export type RuntimeName = 'vllm' | 'sglang' | 'llamacpp' | 'sim';

/** Every runtime name, in a stable order. */
export const RUNTIME_NAMES: readonly RuntimeName[] = ['vllm', 'sglang', 'llamacpp', 'sim'];

/** Engines whose flag spellings the simulated engine imitates. */
export type EngineFlavor = Exclude<RuntimeName, 'sim'>;
