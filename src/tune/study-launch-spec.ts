// The one place that turns study options plus a configuration into the engine's launch spec (for trials,
// analytic estimates, dry-run plans and the winner's exports alike).
import type { V1Affinity, V1Toleration } from '@kubernetes/client-node';
import { controllerTraits } from '../controllers/controller-traits.js';
import type { LaunchSpec } from '../controllers/types.js';
import { type ConfigExports, type ExportOptions, exportConfig } from '../deploy/exports.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { type LaunchSpecOptions, launchSpec } from '../runtimes/launch-spec.js';
import { presetParams } from '../runtimes/presets.js';
import type { Params } from '../search/trial.js';
import { placeholderGpus } from './placeholder-gpus.js';
import type { ResolvedOptions } from './resolve-options.js';

/** Merges presets and fixed parameters under the tuned ones (tuned values win). */
export function trialParams(resolved: ResolvedOptions, params: Params): Record<string, unknown> {
  return { ...presetParams(resolved.options.presets), ...resolved.options.fixedParams, ...params };
}

/** The launch spec of `params` under the study's options; `overrides` adjust it for one use (seed, target). */
export function studyLaunchSpec(
  resolved: ResolvedOptions,
  params: Params,
  gpus: readonly GpuInfo[],
  ids: { studyId: string; trialId: string },
  overrides: Partial<LaunchSpecOptions> = {},
): LaunchSpec {
  const { options, runtime } = resolved;
  // Container settings exist only on the options of controllers that run containers.
  const container: { kind: string; shmSizeMiB?: number | undefined; hfCacheDir?: string | undefined } =
    options.controller;
  const target =
    overrides.target ?? (controllerTraits(options.controller).target === 'process' ? 'local' : 'container');
  // A simulated engine's GPUs are virtual: its container asks Docker or Kubernetes for no device, and the
  // simulator is told their number instead.
  const virtual = runtime.traits.devices === 'simulated' && target === 'container';
  return launchSpec(trialParams(resolved, params), virtual ? [] : gpus, {
    runtime,
    model: options.model,
    ...ids,
    target,
    ...(options.modelPath ? { modelPath: options.modelPath } : {}),
    // Requests name the model as `model`; an engine loading a local path serves it under that path unless told.
    ...(options.modelPath && options.modelPath !== options.model ? { servedModelName: options.model } : {}),
    ...(options.hfToken ? { hfToken: options.hfToken } : {}),
    ...(options.binary ? { command: options.binary } : {}),
    ...(options.image ? { image: options.image } : {}),
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    extraArgs: options.extraArgs,
    env: options.env,
    readinessTimeoutMs: options.timeouts.startupMs,
    // Sampling needs the engine's /metrics, which some engines serve only when asked.
    enableMetrics: options.telemetry.enabled,
    ...(container.shmSizeMiB ? { shmSizeBytes: container.shmSizeMiB * 2 ** 20 } : {}),
    ...(container.hfCacheDir ? { hfCacheDir: container.hfCacheDir } : {}),
    // Knobs of a simulated engine; other runtimes ignore them.
    sim: {
      gpu: options.sim?.gpu ?? 'h100',
      seed: options.seed,
      ...(virtual && gpus.length > 0 ? { numGpus: gpus.length } : {}),
    },
    ...overrides,
  });
}

/**
 * The deployable forms of a configuration the study measured on `worldSize` GPUs, for a target host: the argv
 * line a person runs there (the runtime's host command, host paths), and container forms whose image is the one
 * the study used (`image`, or the runtime's when the study ran containers) or, when the study ran processes and
 * the runtime's image is only built locally, a placeholder that says so. Only real GPUs are requested.
 */
export function studyExports(
  resolved: ResolvedOptions,
  params: Params,
  worldSize: number,
  ids: { studyId: string; trialId: string },
): ConfigExports {
  const { options, runtime } = resolved;
  const simulated = runtime.traits.devices === 'simulated';
  // A simulated engine is told its number of virtual GPUs; no process or container is given any.
  const gpus = simulated ? [] : placeholderGpus(worldSize);
  const sim = { gpu: options.sim?.gpu ?? 'h100', seed: options.seed, numGpus: worldSize };
  const overrides = simulated && worldSize > 0 ? { sim } : {};
  const inContainer = studyLaunchSpec(resolved, params, gpus, ids, { ...overrides, target: 'container' });
  const onHost = studyLaunchSpec(resolved, params, gpus, ids, { ...overrides, target: 'local' });
  const [command = onHost.command, ...leading] = options.binary
    ? [options.binary, ...runtime.commandArgs]
    : (runtime.hostCommand ?? [runtime.command, ...runtime.commandArgs]);
  const hostSpec = {
    ...onHost,
    command,
    args: [...leading, ...onHost.args.slice(runtime.commandArgs.length)],
  };
  const ranContainers = controllerTraits(options.controller).target === 'container';
  const hint = !options.image && !ranContainers ? runtime.localImageBuild : undefined;
  const { image: _unknown, ...withoutImage } = inContainer;
  const placement = studyExportOptions(options.controller);
  return {
    ...exportConfig(hint ? withoutImage : inContainer, {
      ...(hint ? { imageHint: hint } : {}),
      ...placement,
    }),
    argv: exportConfig(hostSpec).argv,
  };
}

/**
 * Where the exported Deployment runs when the study ran on Kubernetes: its namespace, node selector, affinity,
 * tolerations, GPU resource and product, model cache, /dev/shm, HF token Secret, pull policy and service account,
 * as the study's pods had them. Nothing for other controllers.
 */
export function studyExportOptions(controller: ResolvedOptions['options']['controller']): ExportOptions {
  // Only a controller whose own deployments are Kubernetes workloads has pod settings to carry over.
  if (controllerTraits(controller).export !== 'kubernetes') return {};
  const {
    kind: _kind,
    kubeconfig: _file,
    context: _context,
    workload: _workload,
    endpointMode: _mode,
    ...rest
  } = controller as Extract<typeof controller, { kind: 'kubernetes' }>;
  const { namespace, affinity, tolerations, ...settings } = rest;
  const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  return {
    namespace,
    kubernetes: {
      ...defined,
      ...(affinity ? { affinity: affinity as V1Affinity } : {}),
      ...(tolerations ? { tolerations: tolerations as V1Toleration[] } : {}),
    },
  };
}
