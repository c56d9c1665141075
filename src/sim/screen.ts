// Screening: whether the analytic model predicts, beyond a safety margin, that a configuration cannot start.
import type { EngineFlavor } from '../parallelism/engine-flavor.js';
import type { GpuSpec } from './gpu-catalogue.js';
import { planMemory } from './memory-plan.js';
import type { ModelSpec } from './model-catalogue.js';
import { isArgsError, parseEngineArgs } from './parse-engine-args.js';
import { simConfigFromArgs } from './sim-args.js';
import { resolveSimConfig, type SimConfig } from './sim-config.js';
import { checkStartup } from './startup.js';

/** Default memory margin of screening: 10 % of the device memory. */
export const DEFAULT_SCREENING_MARGIN = 0.1;

/** Why a configuration is screened. */
export type ScreenKind = 'oom' | 'kv-too-small' | 'invalid-parallelism' | 'context' | 'invalid-config';

/** What the model predicted of a screened configuration, per GPU of one replica, in bytes. */
export interface ScreenPrediction {
  /** Device memory the engine may use (memory x utilisation). */
  usableBytes: number;
  weightBytesPerGpu: number;
  reserveBytesPerGpu: number;
  /** Bytes left for the KV cache (negative when the weights and reserve do not fit). */
  kvBytesAvailable: number;
  /** KV bytes one sequence of max-model-len needs. */
  kvBytesNeeded: number;
  /** KV capacity in tokens of one replica. */
  kvCapacityTokens: number;
  maxModelLen: number;
  tensorParallel: number;
  pipelineParallel: number;
}

/** Outcome of `screenConfiguration`. */
export type ScreenResult =
  | { screened: false; predicted?: ScreenPrediction }
  | { screened: true; kind: ScreenKind; reason: string; predicted?: ScreenPrediction };

/** Input of `screenConfiguration`. */
export interface ScreenInput {
  model: ModelSpec;
  gpu: GpuSpec;
  engine: EngineFlavor;
  /** The engine's flags as the launch passes them (vLLM `serve <model> --tensor-parallel-size 2 ...`). */
  args: readonly string[];
  /**
   * Fraction of device memory the prediction may be wrong by: a configuration is screened for memory only when
   * it would fail even on a GPU with (1 + margin) times the memory. Structural failures (heads not divisible by
   * tensor parallelism, max-model-len beyond the model's context) have no margin. @default 0.1
   */
  margin?: number;
}

function prediction(config: SimConfig): ScreenPrediction {
  const plan = planMemory(config);
  return {
    usableBytes: plan.usableBytes,
    weightBytesPerGpu: plan.weightBytesPerGpu,
    reserveBytesPerGpu: plan.reserveBytesPerGpu,
    kvBytesAvailable: plan.kvBytesPerGpu,
    kvBytesNeeded: config.maxModelLen * plan.kvBytesPerTokenPerGpu,
    kvCapacityTokens: plan.kvCapacityTokens,
    maxModelLen: config.maxModelLen,
    tensorParallel: config.tensorParallel,
    pipelineParallel: config.pipelineParallel,
  };
}

/** The engines whose memory plan and scheduler the analytic model imitates: it screens and predicts only them. */
export const MODELLED_ENGINES = ['vllm', 'sglang'] as const;

/** An engine the analytic model imitates. */
export type ModelledEngine = (typeof MODELLED_ENGINES)[number];

/** The flavour as an engine the analytic model imitates, or undefined when it imitates no such engine. */
export function modelledEngine(flavor: string): ModelledEngine | undefined {
  return MODELLED_ENGINES.find((engine) => engine === flavor);
}

/**
 * The simulator's configuration of an engine command line for a model and GPU described elsewhere (config.json,
 * probe): the same flag mapping the `inference-sim` process uses; the checkpoint's quantisation applies unless a
 * `--quantization` flag overrides it. Returns the argument error as a string.
 */
export function simConfigForEngine(
  input: Pick<ScreenInput, 'model' | 'gpu' | 'engine' | 'args'>,
): SimConfig | string {
  const parsed = parseEngineArgs(['--engine', input.engine, ...input.args]);
  if (isArgsError(parsed)) return parsed.message;
  const { model, gpu } = input;
  const line = simConfigFromArgs(parsed, { model, gpu });
  if ('exitCode' in line) return line.message;
  const config = { ...line.config, model, gpu };
  if (!parsed.values.has('--quantization')) delete config.weightFormat;
  try {
    return resolveSimConfig(config);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Screens one configuration with the simulator's start-up check (checkStartup, planMemory): screened when it
 * cannot start by structure, or would not start even with `margin` more device memory. Pure; never throws on a
 * configuration (an unreadable command line is not screened: the engine judges it).
 */
export function screenConfiguration(input: ScreenInput): ScreenResult {
  const margin = input.margin ?? DEFAULT_SCREENING_MARGIN;
  const config = simConfigForEngine(input);
  if (typeof config === 'string') return { screened: false };
  const predicted = prediction(config);
  const nominal = checkStartup(config);
  if (nominal.ok) return { screened: false, predicted };
  const { failure } = nominal;
  if (failure.kind === 'invalid-parallelism')
    return { screened: true, kind: 'invalid-parallelism', reason: failure.message, predicted };
  if (failure.kind === 'invalid-config')
    return {
      screened: true,
      kind: config.maxModelLen > config.model.maxContextTokens ? 'context' : 'invalid-config',
      reason: failure.message,
      predicted,
    };
  // Memory failures: judged again on a GPU with `margin` more memory, so model error keeps borderline ones.
  const roomier = checkStartup({
    ...config,
    gpu: { ...config.gpu, memoryGiB: config.gpu.memoryGiB * (1 + margin) },
  });
  if (roomier.ok || (roomier.failure.kind !== 'oom' && roomier.failure.kind !== 'kv-too-small'))
    return { screened: false, predicted };
  const kind = roomier.failure.kind;
  const note = `predicted to fail even with ${Math.round(margin * 100)}% more memory`;
  return { screened: true, kind, reason: `${failure.message} (${note})`, predicted };
}
