// The study's screening: its model (config.json) and GPU (inventory) for the analytic model, and which
// configurations of its space the model predicts cannot start. Used by the `--dry-run` plan.
import { errorMessage } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { worldSize } from '../parallelism/world-size.js';
import { canonicalParams } from '../runtimes/validate-params.js';
import { drawDistinct } from '../search/candidates.js';
import { expandGrid, gridSize } from '../search/grid.js';
import type { Params } from '../search/trial.js';
import { createUnitCubeEncoder } from '../search/unit-cube.js';
import type { GpuSpec } from '../sim/gpu-catalogue.js';
import { gpuFromProbe } from '../sim/gpu-from-probe.js';
import type { ModelSpec } from '../sim/model-catalogue.js';
import { type ModelFromConfigOptions, modelFromConfig } from '../sim/model-config-file.js';
import {
  type ModelledEngine,
  modelledEngine,
  type ScreenKind,
  type ScreenPrediction,
  screenConfiguration,
} from '../sim/screen.js';
import { createRng } from '../util/rng.js';
import { placeholderGpus } from './placeholder-gpus.js';
import type { ResolvedOptions } from './resolve-options.js';
import { studyLaunchSpec, trialParams } from './study-launch-spec.js';

/** The analytic model's inputs for a study, or why it runs without the model. */
export type StudyScreeningModel =
  | { model: ModelSpec; gpu: GpuSpec; engine: ModelledEngine; reason?: undefined }
  | { model?: undefined; reason: string };

/** One screened configuration of the plan. */
export interface ScreenedConfiguration {
  /** The tuned parameters (`{}`: the engine defaults). */
  params: Params;
  kind: ScreenKind;
  reason: string;
  predicted?: ScreenPrediction;
}

/** What screening would do to a study's space. */
export interface ScreeningPlan {
  /** `off` (option), `unavailable` (no model or GPU figures: `reason` says why), or `done`. */
  status: 'off' | 'unavailable' | 'done';
  reason?: string;
  margin: number;
  /** Model and GPU the figures come from. */
  model?: string;
  gpu?: string;
  /** Configurations of the space (Infinity for continuous ranges). */
  spaceSize?: number;
  /** Configurations checked: every one, or a random sample of a large space. */
  checked?: number;
  sampled?: boolean;
  /** The engine defaults (the first trial) would be screened. */
  baselineScreened?: ScreenedConfiguration;
  screenedCount?: number;
  byKind?: Partial<Record<ScreenKind, number>>;
  /** The first screened configurations, in space order. */
  screened?: ScreenedConfiguration[];
}

/** Settings of `screeningPlan`. */
export interface ScreeningPlanSettings {
  /** Spaces up to this many configurations are checked whole; larger ones by a sample of this size. @default 512 */
  enumerateLimit?: number;
  /** Screened configurations listed. @default 20 */
  show?: number;
  /** Where config.json files are looked up (Hugging Face cache). */
  modelConfig?: ModelFromConfigOptions;
}

/** The study's model (from `modelPath`, else `model` in the Hugging Face cache) and GPU (inventory) figures. */
export async function studyScreeningModel(
  resolved: ResolvedOptions,
  inventory: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[] | undefined,
  modelConfig: ModelFromConfigOptions = {},
): Promise<StudyScreeningModel> {
  const { runtime, options } = resolved;
  const engine = modelledEngine(runtime.flavor);
  if (runtime.traits.devices === 'simulated')
    return {
      reason: `runs without the model because runtime ${options.runtime} is simulated (the model screens real engines' GPU memory)`,
    };
  if (runtime.traits.devices !== 'gpu' || engine === undefined)
    return {
      reason: `runs without the model because runtime ${options.runtime} has none (vLLM and SGLang have one)`,
    };
  if (!inventory || inventory.length === 0)
    return { reason: 'runs without the model because the study has no GPU inventory to describe' };
  const gpus = inventory.map((g) => gpuFromProbe({ name: g.name, memoryTotalMiB: g.memoryTotalMiB }));
  const unknown = gpus.find((g) => g.gpu === undefined);
  if (unknown?.reason !== undefined)
    return { reason: `runs without the model because the GPU is unknown: ${unknown.reason}` };
  const names = new Set(gpus.map((g) => g.gpu?.name));
  if (names.size > 1)
    return { reason: `runs without the model because the GPUs differ (${[...names].join(', ')})` };
  const gpu = gpus[0]?.gpu as GpuSpec;
  const location = options.modelPath ?? options.model;
  try {
    return { model: await modelFromConfig(location, modelConfig), gpu, engine };
  } catch (error) {
    return { reason: `runs without the model because ${errorMessage(error)}` };
  }
}

/** The engine flags a configuration launches with (the study's own launch spec, without the command). */
export function engineArgs(resolved: ResolvedOptions, params: Params): string[] {
  const { runtime } = resolved;
  const merged = canonicalParams(trialParams(resolved, params), runtime).params;
  const world = worldSize(merged, runtime.flavor);
  const spec = studyLaunchSpec(
    resolved,
    params,
    placeholderGpus(Math.max(1, world)),
    { studyId: 'screening', trialId: 'screening' },
    { target: 'local' },
  );
  return spec.args.slice(runtime.commandArgs.length);
}

// The configurations to check: the whole grid when small, else a seeded sample.
function configurations(resolved: ResolvedOptions, limit: number): { points: Params[]; size: number } {
  const { space } = resolved;
  let size = Infinity;
  try {
    size = gridSize(space);
    if (size <= limit) return { points: [...expandGrid(space, limit)], size };
  } catch {
    // Float ranges without a step: sampled below.
  }
  const encoder = createUnitCubeEncoder(space);
  const drawn = drawDistinct(space, encoder, createRng(resolved.options.seed), new Set(), limit);
  return { points: drawn.params, size };
}

/**
 * The screening check of one configuration of a study (its own launch command on the analytic model), or
 * undefined when the model predicts it starts (or cannot read its command line: the engine judges that).
 */
export function configurationScreener(
  resolved: ResolvedOptions,
  found: { model: ModelSpec; gpu: GpuSpec; engine: ModelledEngine },
  margin: number,
): (params: Params) => ScreenedConfiguration | undefined {
  const { model, gpu, engine } = found;
  return (params) => {
    let args: string[];
    try {
      args = engineArgs(resolved, params);
    } catch {
      return undefined;
    }
    const result = screenConfiguration({ model, gpu, engine, args, margin });
    if (!result.screened) return undefined;
    const { kind, reason, predicted } = result;
    return { params, kind, reason, ...(predicted ? { predicted } : {}) };
  };
}

/**
 * Which configurations of the study's space (and its engine defaults) the analytic model predicts cannot start,
 * with the reasons; or why it cannot tell. Reads the model's config.json; launches nothing.
 */
export async function screeningPlan(
  resolved: ResolvedOptions,
  inventory: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[] | undefined,
  settings: ScreeningPlanSettings = {},
): Promise<ScreeningPlan> {
  const { margin, enabled } = resolved.options.screening;
  if (!enabled) return { status: 'off', margin, reason: 'screening is turned off (screening.enabled)' };
  const found = await studyScreeningModel(resolved, inventory, settings.modelConfig);
  if (found.model === undefined) return { status: 'unavailable', margin, reason: found.reason };
  const { model, gpu, engine } = found;
  const limit = settings.enumerateLimit ?? 512;
  const show = settings.show ?? 20;
  const screen = configurationScreener(resolved, { model, gpu, engine }, margin);
  const { points, size } = configurations(resolved, limit);
  const screened: ScreenedConfiguration[] = [];
  const byKind: Partial<Record<ScreenKind, number>> = {};
  for (const params of points) {
    const hit = screen(params);
    if (!hit) continue;
    screened.push(hit);
    byKind[hit.kind] = (byKind[hit.kind] ?? 0) + 1;
  }
  const baseline = screen({});
  return {
    status: 'done',
    margin,
    model: model.name,
    gpu: gpu.name,
    spaceSize: size,
    checked: points.length,
    sampled: points.length < size,
    ...(baseline ? { baselineScreened: baseline } : {}),
    screenedCount: screened.length,
    byKind,
    screened: screened.slice(0, show),
  };
}
