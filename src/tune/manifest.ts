// The reproducibility manifest of a trial: engine, version, image, argv, redacted env, GPUs, workload, seed.
import type { Controller, LaunchSpec } from '../controllers/types.js';
import { redactValue } from '../util/redact.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { TrialManifest } from './trial-record.js';

/** Builds the manifest of one launch; the engine's own version is added once it answers. */
export function buildManifest(
  resolved: ResolvedOptions,
  spec: LaunchSpec,
  settings: { controller: Pick<Controller, 'kind' | 'traits'>; libraryVersion: string },
  seed: number,
): TrialManifest {
  const { kind, traits } = settings.controller;
  return {
    runtime: resolved.runtime.name,
    registryVersion: resolved.runtime.registry.engineVersion,
    image: traits.target === 'process' ? undefined : spec.image,
    command: spec.command,
    argv: redactValue([spec.command, ...spec.args]),
    env: redactValue({
      ...spec.env,
      ...Object.fromEntries(Object.keys(spec.secretEnv ?? {}).map((k) => [k, '[REDACTED]'])),
    }),
    gpus: spec.gpus.map((g) => ({
      index: g.index,
      uuid: g.uuid,
      name: g.name,
      driverVersion: g.driverVersion,
    })),
    controller: kind,
    workload: resolved.options.workload,
    load: resolved.options.load,
    seed,
    library: { name: 'inference-autotuner', version: settings.libraryVersion },
  };
}
