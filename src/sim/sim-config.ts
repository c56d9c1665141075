// Engine-independent configuration of the simulated engine, with per-engine defaults and validation.
import { InvalidOptionError } from '../errors.js';
import type { EngineFlavor } from '../parallelism/engine-flavor.js';
import { releaseVersion } from '../runtimes/engine-version.js';
import { loadRegistry } from '../runtimes/registry.js';
import { findGpu, type GpuSpec, gpuCatalogue } from './gpu-catalogue.js';
import { findModel, type ModelSpec, modelCatalogue, type WeightFormat } from './model-catalogue.js';

export type { WeightFormat } from './model-catalogue.js';

/** A fully resolved simulator configuration (what `resolveSimConfig` returns). */
export interface SimConfig {
  /** Engine whose flags and scheduling style are imitated. @default 'vllm' */
  engine: EngineFlavor;
  model: ModelSpec;
  /** Name served under /v1/models (vLLM --served-model-name). @default the catalogue name */
  servedModelName: string;
  gpu: GpuSpec;
  /** GPUs visible to the engine. @default worldSize */
  numGpus: number;
  /** GPUs the parallel layout occupies (from the parallelism rules of the engine). @default tp x pp x dp */
  worldSize: number;
  tensorParallel: number;
  pipelineParallel: number;
  dataParallel: number;
  /** Most sequences running at once per replica (vLLM --max-num-seqs, SGLang --max-running-requests, llama.cpp --parallel). */
  maxNumSeqs: number;
  /** Token budget of one scheduler step (vLLM --max-num-batched-tokens, SGLang --chunked-prefill-size, llama.cpp --batch-size). */
  maxBatchedTokens: number;
  /** Long prompts are split across steps. */
  chunkedPrefill: boolean;
  /** Prefill chunks share a step with decodes (vLLM, llama.cpp); SGLang runs prefill batches alone. */
  mixedBatches: boolean;
  prefixCaching: boolean;
  /** Fraction of device memory the engine may use (vLLM --gpu-memory-utilization, SGLang --mem-fraction-static). */
  gpuMemoryUtilization: number;
  /** Longest sequence (prompt + output) accepted. */
  maxModelLen: number;
  /** Fixed KV capacity in tokens per replica (SGLang --max-total-tokens, llama.cpp --ctx-size); undefined = from memory. */
  kvCapacityTokensOverride: number | undefined;
  weightFormat: WeightFormat;
  /** Bytes per KV element (2 for bf16, 1 for fp8). */
  kvBytesPerElement: number;
  cudaGraphs: boolean;
  /** Largest decode batch that runs as a captured CUDA graph. */
  cudaGraphMaxBatch: number;
  /** Waiting-queue order: `fcfs`, or `lpm` (longest cached prefix first). */
  schedulePolicy: 'fcfs' | 'lpm';
  /** KV block size in tokens. @default 16 */
  blockSize: number;
  /** Seed of every random draw. @default 0 */
  seed: number;
  /** Coefficient of variation of step-time noise. @default 0.05 */
  noiseCv: number;
  /** Simulated time runs this many times faster than real time. @default 1 */
  timeScale: number;
  /** Multiplier of the simulated start-up time (0 = instant). @default 1 */
  loadTimeScale: number;
  /** Probability that start-up crashes for no modelled reason. @default 0 */
  startupCrashRate: number;
  /** The engine crashes after completing this many requests; undefined = never. */
  crashAfterRequests: number | undefined;
  /** Version the server reports (`/version`, `/server_info`, `/props`). @default the imitated registry's version */
  engineVersion: string;
  /**
   * How this engine departs from the model's figures (a stand-in for a real engine whose speed and memory the
   * analytic model only approximates): compute and bandwidth efficiency factors, extra per-step overhead, extra
   * memory reserve per GPU. @default { compute: 1, bandwidth: 1, stepMs: 0, reserveGiB: 0 }
   */
  deviation: SimDeviation;
}

/** See `SimConfig.deviation`. */
export interface SimDeviation {
  compute: number;
  bandwidth: number;
  stepMs: number;
  reserveGiB: number;
}

/** Input of `resolveSimConfig`: every field optional except model and gpu; names or specs accepted. */
export type SimConfigInput = Partial<Omit<SimConfig, 'model' | 'gpu' | 'deviation'>> & {
  deviation?: Partial<SimDeviation>;
  model: string | ModelSpec;
  gpu: string | GpuSpec;
};

/** The version a simulated engine reports unless told: the imitated registry's release, else `inference-sim`. */
export function simEngineVersion(engine: EngineFlavor): string {
  return releaseVersion(loadRegistry(engine).engineVersion) ?? 'inference-sim';
}

function positiveInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, value, 'an integer >= 1');
  return value;
}

function fraction(option: string, value: number, low: number, high: number): number {
  if (!(value >= low && value <= high))
    throw new InvalidOptionError(option, value, `a number in [${low}, ${high}]`);
  return value;
}

function resolveModel(value: string | ModelSpec): ModelSpec {
  if (typeof value !== 'string') return value;
  const model = findModel(value);
  if (!model)
    throw new InvalidOptionError(
      'model',
      value,
      `one of ${modelCatalogue()
        .map((m) => m.name)
        .join(', ')}`,
    );
  return model;
}

function resolveGpu(value: string | GpuSpec): GpuSpec {
  if (typeof value !== 'string') return value;
  const gpu = findGpu(value);
  if (!gpu)
    throw new InvalidOptionError(
      'gpu',
      value,
      `one of ${gpuCatalogue()
        .map((g) => g.name)
        .join(', ')}`,
    );
  return gpu;
}

/** True when a configuration is already resolved (catalogue entries, every field filled). */
export function isResolvedSimConfig(input: SimConfigInput | SimConfig): input is SimConfig {
  return (
    typeof input.model !== 'string' &&
    typeof input.gpu !== 'string' &&
    input.blockSize !== undefined &&
    input.worldSize !== undefined &&
    input.servedModelName !== undefined &&
    input.kvBytesPerElement !== undefined
  );
}

/** Fills engine defaults (vLLM 0.22, SGLang, llama-server) and validates ranges; throws InvalidOptionError. */
export function resolveSimConfig(input: SimConfigInput): SimConfig {
  const engine = input.engine ?? 'vllm';
  const model = resolveModel(input.model);
  const gpu = resolveGpu(input.gpu);
  const tensorParallel = positiveInt('tensorParallel', input.tensorParallel ?? 1);
  const pipelineParallel = positiveInt('pipelineParallel', input.pipelineParallel ?? 1);
  const dataParallel = positiveInt('dataParallel', input.dataParallel ?? 1);
  const maxModelLen = positiveInt('maxModelLen', input.maxModelLen ?? model.maxContextTokens);
  const bigGpu = gpu.memoryGiB >= 70;
  const chunkedPrefill = input.chunkedPrefill ?? true;
  const defaultBudget =
    engine === 'llamacpp' ? 2048 : engine === 'sglang' ? (bigGpu ? 8192 : 4096) : bigGpu ? 8192 : 2048;
  const maxBatchedTokens = positiveInt(
    'maxBatchedTokens',
    input.maxBatchedTokens ?? (chunkedPrefill ? defaultBudget : Math.max(maxModelLen, defaultBudget)),
  );
  const defaultSeqs = engine === 'llamacpp' ? 4 : engine === 'sglang' ? 1024 : bigGpu ? 1024 : 256;
  const kvOverride = input.kvCapacityTokensOverride;
  return {
    engine,
    model,
    servedModelName: input.servedModelName ?? model.name,
    gpu,
    numGpus: positiveInt(
      'numGpus',
      input.numGpus ?? input.worldSize ?? tensorParallel * pipelineParallel * dataParallel,
    ),
    worldSize: positiveInt('worldSize', input.worldSize ?? tensorParallel * pipelineParallel * dataParallel),
    tensorParallel,
    pipelineParallel,
    dataParallel,
    maxNumSeqs: positiveInt('maxNumSeqs', input.maxNumSeqs ?? defaultSeqs),
    maxBatchedTokens,
    chunkedPrefill,
    mixedBatches: input.mixedBatches ?? engine !== 'sglang',
    prefixCaching: input.prefixCaching ?? engine !== 'llamacpp',
    gpuMemoryUtilization: fraction(
      'gpuMemoryUtilization',
      input.gpuMemoryUtilization ?? (engine === 'sglang' ? 0.88 : engine === 'llamacpp' ? 1 : 0.92),
      0.01,
      1,
    ),
    maxModelLen,
    kvCapacityTokensOverride:
      kvOverride === undefined ? undefined : positiveInt('kvCapacityTokens', kvOverride),
    weightFormat: input.weightFormat ?? model.weightFormat ?? 'bf16',
    kvBytesPerElement: input.kvBytesPerElement ?? 2,
    cudaGraphs: input.cudaGraphs ?? true,
    cudaGraphMaxBatch: positiveInt(
      'cudaGraphMaxBatch',
      input.cudaGraphMaxBatch ?? (engine === 'sglang' ? 160 : engine === 'llamacpp' ? 1 : 512),
    ),
    schedulePolicy: input.schedulePolicy ?? 'fcfs',
    blockSize: positiveInt('blockSize', input.blockSize ?? 16),
    seed: input.seed ?? 0,
    noiseCv: fraction('noiseCv', input.noiseCv ?? 0.05, 0, 1),
    timeScale: fraction('timeScale', input.timeScale ?? 1, 1e-3, 1e6),
    loadTimeScale: fraction('loadTimeScale', input.loadTimeScale ?? 1, 0, 1e3),
    startupCrashRate: fraction('startupCrashRate', input.startupCrashRate ?? 0, 0, 1),
    engineVersion: input.engineVersion ?? simEngineVersion(engine),
    crashAfterRequests:
      input.crashAfterRequests === undefined
        ? undefined
        : positiveInt('crashAfterRequests', input.crashAfterRequests),
    deviation: {
      compute: fraction('deviation.compute', input.deviation?.compute ?? 1, 0.05, 20),
      bandwidth: fraction('deviation.bandwidth', input.deviation?.bandwidth ?? 1, 0.05, 20),
      stepMs: fraction('deviation.stepMs', input.deviation?.stepMs ?? 0, 0, 1e4),
      reserveGiB: fraction('deviation.reserveGiB', input.deviation?.reserveGiB ?? 0, -1e3, 1e3),
    },
  };
}
