// The inference engines this library knows how to launch.
import { ENGINE_FLAVORS, type EngineFlavor } from '../parallelism/engine-flavor.js';

export type { EngineFlavor };
export { ENGINE_FLAVORS };

/** Engine identifiers: vLLM, SGLang, llama.cpp's llama-server and the built-in simulated engine. */
export type RuntimeName = EngineFlavor | 'sim';

/** Every runtime name, in a stable order. */
export const RUNTIME_NAMES: readonly RuntimeName[] = [...ENGINE_FLAVORS, 'sim'];
