// llama.cpp's `llama-server -m MODEL.gguf`: `/health` answers 503 while the model loads, 200 when ready.
import { availableParallelism } from 'node:os';
import { defaultSpaceFor } from '../default-spaces.js';
import { ENGINE_METRICS, ENGINE_VERSION_PROBES } from '../engine-metrics.js';
import { type FlagRegistry, loadRegistry } from '../registry.js';
import type { RuntimeAdapter } from '../runtime-adapter.js';

/** The llama-server adapter; the default space's thread counts follow this host's CPUs. */
export function createLlamacppRuntime(
  registry: FlagRegistry = loadRegistry('llamacpp'),
  options: { cpuCount?: number } = {},
): RuntimeAdapter {
  const cpuCount = options.cpuCount ?? availableParallelism();
  return {
    name: 'llamacpp',
    traits: { devices: 'gpu-or-cpu', analyticModel: false, models: 'any' },
    flavor: 'llamacpp',
    registry,
    command: 'llama-server',
    commandArgs: [],
    defaultImage: 'ghcr.io/ggml-org/llama.cpp:server',
    imageFor: llamacppImage,
    containerEntrypoint: ['/app/llama-server'],
    containerPort: 8080,
    portFlag: '--port',
    hostFlag: '--host',
    readiness: { path: '/health', timeoutMs: 300_000 },
    readinessNotes:
      '/health answers 503 {"error":{"message":"Loading model"}} while loading and 200 {"status":"ok"} when ready',
    metrics: ENGINE_METRICS.llamacpp,
    versionProbe: ENGINE_VERSION_PROBES.llamacpp,
    reservedFlags: ['--model', '--port', '--host'],
    modelArgs: (model) => ['-m', model],
    defaultSearchSpace: () => defaultSpaceFor('llamacpp', cpuCount),
  };
}

/** Image of the llama.cpp project for a CPU or a CUDA host. */
export function llamacppImage(gpuCount: number): string {
  return gpuCount > 0 ? 'ghcr.io/ggml-org/llama.cpp:server-cuda' : 'ghcr.io/ggml-org/llama.cpp:server';
}
