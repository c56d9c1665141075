// The analytic model of a GPU-engine study (the model's config.json, the study's GPUs): screens configurations
// that cannot start before they launch, and predicts each launched one's figures for the calibration.
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { Params } from '../search/trial.js';
import { estimate } from '../sim/estimate.js';
import type { ModelFromConfigOptions } from '../sim/model-config-file.js';
import { simConfigForEngine } from '../sim/screen.js';
import type { RunMetrics } from '../slo/types.js';
import { meanTokens, metricsFromPerformance } from './estimate-evaluator.js';
import type { ResolvedOptions } from './resolve-options.js';
import {
  configurationScreener,
  engineArgs,
  type ScreenedConfiguration,
  studyScreeningModel,
} from './screening.js';

/** What the analytic model offers a running study. */
export interface StudyModel {
  /** e.g. `llama-3.1-8b-instruct on l4 (vllm)`. */
  readonly description: string;
  /** The model's name as described (from its config.json), e.g. `llama-3.1-8b-instruct`. */
  readonly modelName: string;
  /** Memory margin of screening (fraction of device memory). */
  readonly margin: number;
  /** The configuration's predicted start-up failure, when screening is on and the model predicts one. */
  screen(params: Params): ScreenedConfiguration | undefined;
  /** Predicted figures at the study's last load level (synthetic workloads, concurrency or rate loads). */
  predict(params: Params): RunMetrics | undefined;
}

/** The study's analytic model, or why the study runs without it. */
export type StudyModelResult =
  | { model: StudyModel; reason?: undefined }
  | { model?: undefined; reason: string };

// The workload and load the model predicts at: the study's last level, mean prompt and output lengths.
function analyticLoad(
  resolved: ResolvedOptions,
):
  | { promptTokens: number; outputTokens: number; concurrency?: number; requestRatePerS?: number }
  | undefined {
  const { workload, load } = resolved.options;
  if (load.kind !== 'concurrency' && load.kind !== 'rate') return undefined;
  const level = load.levels[load.levels.length - 1];
  if (level === undefined) return undefined;
  try {
    const promptTokens = meanTokens(workload, 'inputTokens');
    const outputTokens = meanTokens(workload, 'outputTokens');
    return load.kind === 'rate'
      ? { promptTokens, outputTokens, requestRatePerS: level }
      : { promptTokens, outputTokens, concurrency: level };
  } catch {
    return undefined;
  }
}

/**
 * Opens the study's analytic model: vLLM and SGLang studies whose model has a readable config.json and whose
 * GPUs the catalogue knows. Reads files only; launches nothing.
 */
export async function openStudyModel(
  resolved: ResolvedOptions,
  inventory: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[] | undefined,
  modelConfig: ModelFromConfigOptions = {},
): Promise<StudyModelResult> {
  const found = await studyScreeningModel(resolved, inventory, modelConfig);
  if (found.model === undefined) return { reason: found.reason };
  const { model, gpu, engine } = found;
  const { enabled, margin } = resolved.options.screening;
  const screener = configurationScreener(resolved, found, margin);
  const load = analyticLoad(resolved);
  return {
    model: {
      description: `${model.name} on ${gpu.name} (${engine})`,
      modelName: model.name,
      margin,
      screen: (params) => (enabled ? screener(params) : undefined),
      predict(params) {
        if (!load) return undefined;
        let args: string[];
        try {
          args = engineArgs(resolved, params);
        } catch {
          return undefined;
        }
        const config = simConfigForEngine({ model, gpu, engine, args });
        if (typeof config === 'string') return undefined;
        const result = estimate(config, load);
        if (!result.ok) return undefined;
        const requests = resolved.options.benchmark.requests;
        return metricsFromPerformance(result.estimate, load.promptTokens, requests, resolved.slo);
      },
    },
  };
}
