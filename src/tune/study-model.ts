// The analytic model of a GPU-engine study (the model's config.json, the study's GPUs): screens configurations
// that cannot start before they launch, and predicts each launched one's figures for the calibration.
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { PriorModel } from '../search/prior.js';
import type { Params } from '../search/trial.js';
import { estimate } from '../sim/estimate.js';
import type { ModelFromConfigOptions } from '../sim/model-config-file.js';
import { type ScreenPrediction, screenConfiguration, simConfigForEngine } from '../sim/screen.js';
import {
  MemoryBiasLearner,
  predictedHeadroomBytes,
  SHIFT_TOLERANCE_FRACTION,
} from '../sim/screen-learning.js';
import type { RunMetrics } from '../slo/types.js';
import { canonicalJson } from './canonical-json.js';
import { meanTokens, metricsFromPerformance } from './estimate-evaluator.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { Scorer } from './scorer.js';
import {
  configurationScreener,
  engineArgs,
  type ScreenedConfiguration,
  studyScreeningModel,
} from './screening.js';
import type { TrialRecord } from './trial-record.js';
import { isNotLaunched } from './trial-record.js';

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
  /**
   * Learns from a finished trial: a launched configuration that ran out of memory although predicted to fit
   * makes those predicted to have no more memory to spare screened too; one that started bounds that, and the KV
   * capacity its engine reported (`kvCapacityTokens`) measures the model's memory error: configurations predicted
   * to fall short of it by more than a tolerance (2 % of device memory) are screened from then on.
   */
  observe(trial: TrialRecord): void;
  /** Predicted memory left per GPU beyond one max-model-len sequence (bytes), when the model can tell. */
  headroom(params: Params): number | undefined;
  /**
   * The chance (0 to 1) that the configuration starts, from its predicted headroom, the margin and what this
   * study's launches taught (see MemoryBiasLearner.startChance); 1 when the model cannot tell.
   */
  startChance(params: Params): number;
}

/**
 * The model as the search's prior: predicted figures scored like measurements (objective values, SLO
 * constraints), with the predicted memory headroom as safety; none where it predicts no start.
 */
export function studyPrior(
  model: Pick<StudyModel, 'predict' | 'headroom'>,
  scorer: Pick<Scorer, 'score'>,
  worldSize: (params: Params) => number,
): PriorModel {
  return (params) => {
    const predicted = model.predict(params);
    if (!predicted) return undefined;
    const score = scorer.score(predicted, Math.max(1, worldSize(params)));
    const safety = model.headroom(params);
    return {
      values: score.values,
      constraints: score.constraints,
      ...(safety !== undefined ? { safety } : {}),
    };
  };
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
  const GIB = 2 ** 30;
  const learner = new MemoryBiasLearner({
    marginBytes: margin * gpu.memoryGiB * GIB,
    shiftToleranceBytes: SHIFT_TOLERANCE_FRACTION * gpu.memoryGiB * GIB,
  });
  let learntFrom: number | undefined;
  // The trial whose reported KV capacity set the measured memory shift.
  let shiftFrom: number | undefined;
  // The search asks for many candidates at every step: each configuration's prediction is worked out once.
  const predictions = new Map<string, ScreenPrediction | undefined>();
  const predictionOf = (params: Params) => {
    const key = canonicalJson(params);
    if (predictions.has(key)) return predictions.get(key);
    let predicted: ScreenPrediction | undefined;
    try {
      predicted = screenConfiguration({
        model,
        gpu,
        engine,
        args: engineArgs(resolved, params),
        margin,
      }).predicted;
    } catch {
      predicted = undefined;
    }
    predictions.set(key, predicted);
    return predicted;
  };
  return {
    model: {
      description: `${model.name} on ${gpu.name} (${engine})`,
      modelName: model.name,
      margin,
      screen(params) {
        if (!enabled) return undefined;
        const screened = screener(params);
        if (screened) return screened;
        const predicted = predictionOf(params);
        if (!predicted || !learner.screens(predicted)) return undefined;
        const headroom = predictedHeadroomBytes(predicted);
        const spare = (headroom / GIB).toFixed(2);
        const lesson = learner.lesson;
        const sequence = `${spare} GiB per GPU beyond one ${predicted.maxModelLen}-token sequence`;
        const reason =
          lesson.failedMaxBytes !== undefined && headroom <= lesson.failedMaxBytes
            ? `predicted to leave ${sequence}, no more than trial ${learntFrom} had when it ran out of memory (learnt in this study)`
            : `predicted to leave ${sequence}, while the KV cache trial ${shiftFrom}'s engine reported shows ${((lesson.measuredShiftBytes ?? 0) / GIB).toFixed(2)} GiB per GPU less memory than the model predicts (learnt in this study)`;
        return { params, kind: 'oom', reason, predicted };
      },
      headroom(params) {
        const predicted = predictionOf(params);
        return predicted ? predictedHeadroomBytes(predicted) : undefined;
      },
      startChance(params) {
        if (!enabled) return 1;
        const predicted = predictionOf(params);
        return predicted ? learner.startChance(predicted) : 1;
      },
      observe(trial) {
        if (!enabled || isNotLaunched(trial) || trial.phase === 'confirm') return;
        const started = trial.startupMs !== undefined || trial.state === 'complete';
        const memory = trial.state === 'failed' && !started && trial.failure?.reason === 'oom';
        if (!started && !memory) return;
        const predicted = predictionOf(trial.params);
        if (!predicted) return;
        const before = learner.lesson;
        learner.observe(predicted, started ? 'started' : 'out-of-memory', trial.kvCapacityTokens);
        const after = learner.lesson;
        if (memory && after.failedMaxBytes !== before.failedMaxBytes) learntFrom = trial.number;
        // Credited to the trial that measured it, unless a later one found a shift larger beyond block rounding.
        const shift = after.measuredShiftBytes;
        if (
          shift !== undefined &&
          (before.measuredShiftBytes === undefined || shift > before.measuredShiftBytes + 64 * 2 ** 20)
        )
          shiftFrom = trial.number;
      },
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
