// SGLang (`python3 -m sglang.launch_server --model-path MODEL`): OpenAI server on 30000, `/health`.
import { defaultSpaceFor } from '../default-spaces.js';
import { ENGINE_METRICS, ENGINE_VERSION_PROBES } from '../engine-metrics.js';
import { ENGINE_KV_CAPACITY_PROBES } from '../kv-capacity.js';
import { type FlagRegistry, loadRegistry } from '../registry.js';
import type { RuntimeAdapter } from '../runtime-adapter.js';

/** The SGLang adapter; `health_generate` makes readiness wait for a real one-token generation. */
export function createSglangRuntime(
  registry: FlagRegistry = loadRegistry('sglang'),
  options: { healthGenerate?: boolean } = {},
): RuntimeAdapter {
  const version = /(\d+\.\d+\.\d+(?:\.post\d+)?)/.exec(registry.engineVersion)?.[1];
  return {
    name: 'sglang',
    traits: { devices: 'gpu', analyticModel: false, models: 'any' },
    flavor: 'sglang',
    registry,
    command: 'python3',
    commandArgs: ['-m', 'sglang.launch_server'],
    defaultImage: `lmsysorg/sglang:${version ? `v${version}` : 'latest'}`,
    containerEntrypoint: ['python3', '-m', 'sglang.launch_server'],
    containerPort: 30000,
    // SGLang's tensor-parallel processes exchange tensors through /dev/shm.
    containerDefaults: { shmSizeBytes: 32 * 1024 ** 3 },
    portFlag: '--port',
    hostFlag: '--host',
    readiness: {
      path: options.healthGenerate ? '/health_generate' : '/health',
      alsoPaths: ['/v1/models'],
      timeoutMs: 900_000,
    },
    readinessNotes:
      '/health answers 200 once the server has warmed up; /health_generate runs a one-token generation through the scheduler',
    metrics: ENGINE_METRICS.sglang,
    versionProbe: ENGINE_VERSION_PROBES.sglang,
    kvCapacityProbe: ENGINE_KV_CAPACITY_PROBES.sglang,
    reservedFlags: ['--model-path', '--port', '--host'],
    modelArgs: (model) => ['--model-path', model],
    defaultSearchSpace: () => defaultSpaceFor('sglang'),
  };
}
