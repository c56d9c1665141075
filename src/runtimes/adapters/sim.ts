// The simulated engine (`inference-sim --engine vllm|sglang|llamacpp --model M ...`) with an engine's flag spellings.

import { defaultSpaceFor } from '../default-spaces.js';
import { ENGINE_METRICS, ENGINE_VERSION_PROBES } from '../engine-metrics.js';
import { ENGINE_KV_CAPACITY_PROBES } from '../kv-capacity.js';
import { type FlagRegistry, indexRegistry, loadRegistry } from '../registry.js';
import type { EngineMetricNames, RuntimeAdapter } from '../runtime-adapter.js';
import type { EngineFlavor } from '../runtime-name.js';
import { SIM_BIN, SIM_HOST_COMMAND, type SimExecutable } from './sim-executable.js';
import { simFlagSpecs } from './sim-flags.js';

/** Image built by `scripts/images/build-sim-image.sh` (no registry access is needed to build it; none is published). */
export const SIM_IMAGE = 'inference-autotuner/sim:test';

/** The simulator's registry: its own flags plus the imitated engine's registry. */
export function simRegistry(flavor: EngineFlavor, base: FlagRegistry = loadRegistry(flavor)): FlagRegistry {
  return indexRegistry({
    engine: 'sim',
    command: 'inference-sim --engine ENGINE --model MODEL [engine flags]',
    source: { primary: { description: `inference-sim flags plus ${base.sourceLine}` } },
    engine_version: `inference-sim imitating ${base.engineVersion}`,
    boolean_style: base.boolean_style,
    // The simulator's own flags win over an engine flag of the same spelling (--model, --seed).
    flags: [...simFlagSpecs(), ...base.flags],
  });
}

// The simulator serves its metrics without a flag and exports a KV gauge under every flavour (no /slots).
function withoutEnableFlag(names: EngineMetricNames): EngineMetricNames {
  const { enableFlag: _flag, kvUsageFromSlots: _slots, ...rest } = names;
  return rest;
}

/** Options of the simulated-engine adapter. */
export interface SimRuntimeOptions {
  /** Engine imitated. @default 'vllm' */
  engine?: EngineFlavor;
  /** Registry of the imitated engine (another version). @default the bundled one */
  registry?: FlagRegistry;
}

/** The simulated-engine adapter; flags are validated in the spelling of the imitated engine. */
export function createSimRuntime(executable: SimExecutable, options: SimRuntimeOptions = {}): RuntimeAdapter {
  const flavor = options.engine ?? 'vllm';
  const registry = simRegistry(flavor, options.registry);
  return {
    name: 'sim',
    traits: { devices: 'simulated', analyticModel: true, models: 'catalogue' },
    flavor,
    registry,
    command: executable.command,
    commandArgs: [...executable.args],
    // `command` is this installation's node and script path; people run the package's bin.
    hostCommand: SIM_HOST_COMMAND,
    defaultImage: SIM_IMAGE,
    localImageBuild: 'scripts/images/build-sim-image.sh in a source checkout of inference-autotuner',
    containerEntrypoint: [SIM_BIN],
    containerPort: 8000,
    portFlag: '--port',
    hostFlag: '--host',
    readiness: { path: '/health', timeoutMs: 60_000 },
    readinessNotes: '/health answers 503 during the simulated model load and 200 once serving',
    // The simulator always serves /metrics with the imitated engine's names (and vLLM's), and its version where
    // that engine says it.
    metrics: { ...withoutEnableFlag(ENGINE_METRICS[flavor]) },
    versionProbe: ENGINE_VERSION_PROBES[flavor],
    ...(ENGINE_KV_CAPACITY_PROBES[flavor] ? { kvCapacityProbe: ENGINE_KV_CAPACITY_PROBES[flavor] } : {}),
    reservedFlags: [
      '--engine',
      '--model',
      '--gpu',
      '--num-gpus',
      '--port',
      '--host',
      '--model-path',
      'model_tag',
      '--uds',
    ],
    modelArgs: (model) => ['--engine', flavor, '--model', model],
    defaultSearchSpace: () => defaultSpaceFor(flavor),
  };
}
