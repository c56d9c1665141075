// Runtime adapters by name, with the bundled registries or a user-supplied one for another engine version.
import { InvalidOptionError } from '../errors.js';
import { createLlamacppRuntime } from './adapters/llamacpp.js';
import { createSglangRuntime } from './adapters/sglang.js';
import { createSimRuntime } from './adapters/sim.js';
import { type SimExecutable, simExecutable } from './adapters/sim-executable.js';
import { createVllmRuntime } from './adapters/vllm.js';
import { type FlagRegistry, loadRegistry, loadRegistryFile } from './registry.js';
import type { RuntimeAdapter } from './runtime-adapter.js';
import { type EngineFlavor, RUNTIME_NAMES, type RuntimeName } from './runtime-name.js';

/** Options of getRuntime. */
export interface RuntimeOptions {
  /** Flag registry of another engine version: an indexed registry or the path of a JSON file. @default the bundled one */
  registry?: FlagRegistry | string;
  /** sim only: the engine whose flags and behaviour are imitated. @default 'vllm' */
  engine?: EngineFlavor;
  /** sim only: how to start the simulator locally. @default the simulator shipped with this package */
  simExecutable?: SimExecutable;
  /** SGLang only: readiness waits on `/health_generate` (a real one-token generation). @default false */
  healthGenerate?: boolean;
  /** llama.cpp only: CPUs the default thread range is built for. @default os.availableParallelism() */
  cpuCount?: number;
}

const defaults = new Map<RuntimeName, RuntimeAdapter>();

/** The adapter of a runtime; without options the same default adapter is returned every time. */
export function getRuntime(name: RuntimeName, options: RuntimeOptions = {}): RuntimeAdapter {
  if (!RUNTIME_NAMES.includes(name)) throw new InvalidOptionError('runtime', name, RUNTIME_NAMES.join(', '));
  if (options.engine !== undefined && name !== 'sim')
    throw new InvalidOptionError(
      'engine',
      options.engine,
      `no engine with runtime ${name}: only sim imitates one`,
    );
  const plain = Object.values(options).every((v) => v === undefined);
  const cached = plain ? defaults.get(name) : undefined;
  if (cached) return cached;
  const registry =
    typeof options.registry === 'string' ? loadRegistryFile(options.registry) : options.registry;
  let adapter: RuntimeAdapter;
  switch (name) {
    case 'vllm':
      adapter = createVllmRuntime(registry ?? loadRegistry('vllm'));
      break;
    case 'sglang':
      adapter = createSglangRuntime(registry ?? loadRegistry('sglang'), {
        healthGenerate: options.healthGenerate ?? false,
      });
      break;
    case 'llamacpp':
      adapter = createLlamacppRuntime(
        registry ?? loadRegistry('llamacpp'),
        options.cpuCount === undefined ? {} : { cpuCount: options.cpuCount },
      );
      break;
    case 'sim':
      adapter = createSimRuntime(options.simExecutable ?? simExecutable(), {
        engine: options.engine ?? 'vllm',
        ...(registry ? { registry } : {}),
      });
      break;
  }
  if (plain) defaults.set(name, adapter);
  return adapter;
}

/** Resolves a runtime name (default adapter) or an adapter to an adapter. */
export function toAdapter(runtime: RuntimeName | RuntimeAdapter): RuntimeAdapter {
  return typeof runtime === 'string' ? getRuntime(runtime) : runtime;
}
