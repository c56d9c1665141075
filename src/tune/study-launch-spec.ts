// The one place that turns study options plus a configuration into the engine's launch spec (for trials,
// analytic estimates, dry-run plans and the winner's exports alike).
import { controllerTraits } from '../controllers/controller-traits.js';
import type { LaunchSpec } from '../controllers/types.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { type LaunchSpecOptions, launchSpec } from '../runtimes/launch-spec.js';
import { presetParams } from '../runtimes/presets.js';
import type { Params } from '../search/trial.js';
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
  return launchSpec(trialParams(resolved, params), gpus, {
    runtime,
    model: options.model,
    ...ids,
    target: controllerTraits(options.controller).target === 'process' ? 'local' : 'container',
    ...(options.modelPath ? { modelPath: options.modelPath } : {}),
    ...(options.hfToken ? { hfToken: options.hfToken } : {}),
    ...(options.binary ? { command: options.binary } : {}),
    ...(options.image ? { image: options.image } : {}),
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    extraArgs: options.extraArgs,
    env: options.env,
    readinessTimeoutMs: options.timeouts.startupMs,
    ...(container.shmSizeMiB ? { shmSizeBytes: container.shmSizeMiB * 2 ** 20 } : {}),
    ...(container.hfCacheDir ? { hfCacheDir: container.hfCacheDir } : {}),
    // Knobs of a simulated engine; other runtimes ignore them.
    sim: { gpu: options.sim?.gpu ?? 'h100', seed: options.seed },
    ...overrides,
  });
}
