// What a vLLM or SGLang study knows of a generated problem before it launches anything: the analytic model of its
// engine, model and GPU, as the study opens it (screening at a 10% memory margin, the chance each configuration
// starts, the KV capacity a started engine reports, and the model's predictions as the search's prior). The
// generated table plays the real engine; the study's model is off from it by an error drawn per run, so the model
// is never the truth: the GPU's compute and memory bandwidth x0.7-1.3, 0-1 ms more per engine step, and 0-1.5 GiB
// more memory per GPU than the engine really has (the model is optimistic about memory, as it is about real
// engines whose reserves it underestimates).
import { buildCliArgs } from '../../src/runtimes/cli-args.js';
import type { PriorModel } from '../../src/search/prior.js';
import { paramsKey } from '../../src/search/space-checks.js';
import type { Params } from '../../src/search/trial.js';
import { findGpu, type GpuSpec } from '../../src/sim/gpu-catalogue.js';
import { planMemory } from '../../src/sim/memory-plan.js';
import { findModel } from '../../src/sim/model-catalogue.js';
import { type ScreenResult, screenConfiguration } from '../../src/sim/screen.js';
import { type MemoryBiasLearner, predictedHeadroomBytes } from '../../src/sim/screen-learning.js';
import { resolveSimConfig } from '../../src/sim/sim-config.js';
import type { Rng } from '../../src/util/rng.js';
import { type GeneratedProblem, objectiveOf } from './generator.js';
import type { LatencyRow } from './generator-slo.js';
import { capacityOf, configOf, measureConfig } from './generator-table.js';

/** The error of a study's model against the generated engine, drawn per run. */
export interface ModelError {
  compute: number;
  bandwidth: number;
  stepMs: number;
  /** GiB per GPU the model believes the GPU has beyond what the engine can use. */
  extraMemoryGiB: number;
}

export function drawModelError(rng: Rng): ModelError {
  const within = (low: number, high: number) => low + (high - low) * rng.next();
  return {
    compute: within(0.7, 1.3),
    bandwidth: within(0.7, 1.3),
    stepMs: within(0, 1),
    extraMemoryGiB: within(0, 1.5),
  };
}

/** What the study's model says of a generated problem's configurations. */
export interface StudyModelView {
  /** Screening as the study does it (10% margin), on the model with its error. */
  screen(params: Params): ScreenResult;
  /** The model's predictions in the strategy's units (objective minimised, SLO terms as observed/threshold - 1). */
  prior: PriorModel;
  /** The KV capacity (tokens) the real engine reports once started, as the study reads it at readiness. */
  kvCapacityTokens(params: Params): number | undefined;
}

/** The study's model of `p` with `error`; every answer memoised per configuration. */
export function studyModelView(p: GeneratedProblem, error: ModelError): StudyModelView {
  const { setting } = p;
  const real = findGpu(setting.gpu);
  const model = findModel(setting.model);
  if (!real || !model) throw new Error(`${p.name}: GPU or model not in the catalogue`);
  const gpu: GpuSpec = {
    ...real,
    memoryGiB: real.memoryGiB + error.extraMemoryGiB,
    bf16Tflops: real.bf16Tflops * error.compute,
    fp8Tflops: real.fp8Tflops === undefined ? undefined : real.fp8Tflops * error.compute,
    memoryBandwidthGBps: real.memoryBandwidthGBps * error.bandwidth,
  };
  const context = setting.flavour === 'vllm' ? '--max-model-len' : '--context-length';
  const terms = Object.entries(p.slo) as [keyof LatencyRow, number][];
  const memo = <T>(f: (params: Params) => T): ((params: Params) => T) => {
    const cache = new Map<string, T>();
    return (params) => {
      const key = paramsKey(p.space, params);
      if (!cache.has(key)) cache.set(key, f(params));
      return cache.get(key) as T;
    };
  };
  const screen = memo((params): ScreenResult => {
    let args: string[];
    try {
      args = [context, String(setting.maxModelLen), ...buildCliArgs(params, setting.flavour)];
    } catch {
      return { screened: false };
    }
    return screenConfiguration({ model, gpu, engine: setting.flavour, args });
  });
  const prior = memo((params) => {
    const config = configOf(setting, params);
    if (typeof config === 'string') return undefined;
    const row = measureConfig({ ...config, gpu, deviation: { stepMs: error.stepMs } }, setting.workload);
    if (!row.ok) return undefined;
    const constraints = terms.map(([m, t]) => Math.min(1_000, row.latency[m] / t - 1));
    const objective =
      p.objective === 'capacity'
        ? constraints.every((c) => c <= 0)
          ? capacityOf(row, setting.workload, p.slo)
          : 0
        : objectiveOf(row, p.objective);
    const predicted = screen(params).predicted;
    return {
      values: [p.maximise ? -objective : objective],
      constraints,
      ...(predicted ? { safety: predictedHeadroomBytes(predicted) } : {}),
    };
  });
  const kvCapacityTokens = memo((params) => {
    const config = configOf(setting, params);
    if (typeof config === 'string') return undefined;
    try {
      return planMemory(resolveSimConfig(config)).kvCapacityTokens;
    } catch {
      return undefined;
    }
  });
  return { screen, prior, kvCapacityTokens };
}

/** Each configuration's chance to start, as a study reads it: the model's memory prediction and what launches taught. */
export function startChanceOf(view: StudyModelView, learner: MemoryBiasLearner): (params: Params) => number {
  return (params) => {
    const predicted = view.screen(params).predicted;
    return predicted ? learner.startChance(predicted) : 1;
  };
}
