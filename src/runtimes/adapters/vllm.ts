// vLLM (`vllm serve MODEL`): OpenAI server on 8000, `/health` then `/v1/models` when loaded.
import { defaultSpaceFor } from '../default-spaces.js';
import { ENGINE_METRICS, ENGINE_VERSION_PROBES } from '../engine-metrics.js';
import { ENGINE_KV_CAPACITY_PROBES } from '../kv-capacity.js';
import { type FlagRegistry, loadRegistry } from '../registry.js';
import type { RuntimeAdapter } from '../runtime-adapter.js';

// Docker tags are `v` + the release; registries without a release version fall back to `latest`.
function imageTag(registry: FlagRegistry): string {
  const version = /(\d+\.\d+\.\d+)/.exec(registry.engineVersion)?.[1];
  return version ? `v${version}` : 'latest';
}

/** The vLLM adapter, optionally with a registry of another vLLM version. */
export function createVllmRuntime(registry: FlagRegistry = loadRegistry('vllm')): RuntimeAdapter {
  return {
    name: 'vllm',
    traits: { devices: 'gpu', analyticModel: false, models: 'any' },
    flavor: 'vllm',
    registry,
    command: 'vllm',
    commandArgs: ['serve'],
    defaultImage: `vllm/vllm-openai:${imageTag(registry)}`,
    containerEntrypoint: ['vllm', 'serve'],
    containerPort: 8000,
    // vLLM's tensor-parallel workers share memory through IPC.
    containerDefaults: { ipcMode: 'host' },
    portFlag: '--port',
    hostFlag: '--host',
    readiness: { path: '/health', alsoPaths: ['/v1/models'], timeoutMs: 900_000 },
    readinessNotes:
      '/health answers 200 once the engine core is up; /v1/models lists the served model once the API server is serving',
    metrics: ENGINE_METRICS.vllm,
    versionProbe: ENGINE_VERSION_PROBES.vllm,
    kvCapacityProbe: ENGINE_KV_CAPACITY_PROBES.vllm,
    reservedFlags: ['--model', 'model_tag', '--port', '--host', '--uds'],
    modelArgs: (model) => [model],
    defaultSearchSpace: () => defaultSpaceFor('vllm'),
  };
}
