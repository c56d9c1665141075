// Start-up of the simulated engine: how long loading takes and which configurations fail, and how.
import type { Rng } from '../util/rng.js';
import { gib, type MemoryPlan, planMemory } from './memory-plan.js';
import type { SimConfig } from './sim-config.js';

/** Why a configuration cannot start. */
export type StartupFailureKind =
  | 'invalid-parallelism'
  | 'invalid-config'
  | 'oom'
  | 'kv-too-small'
  | 'random-crash';

/** A start-up failure: what went wrong, the engine-style log message and when it happens. */
export interface StartupFailure {
  kind: StartupFailureKind;
  message: string;
  /** Simulated milliseconds into start-up at which the engine gives up. */
  atMs: number;
}

/** Result of `checkStartup`. */
export type StartupResult =
  | { ok: true; plan: MemoryPlan; startupMs: number }
  | { ok: false; failure: StartupFailure; plan: MemoryPlan | undefined };

/** Simulated start-up phases in milliseconds (before `loadTimeScale`). */
export function startupPhasesMs(
  config: SimConfig,
  plan: MemoryPlan,
): { init: number; load: number; profile: number; capture: number } {
  const init = config.engine === 'llamacpp' ? 500 : 6_000;
  // Safetensors from a warm page cache: about 2.5 GB/s per GPU.
  const load = plan.weightBytesPerGpu / 2.5e6;
  const profile = config.engine === 'llamacpp' ? 200 : 2_500;
  const graphSizes = Math.min(config.maxNumSeqs, config.cudaGraphMaxBatch) / 8 + 3;
  const capture =
    config.cudaGraphs && config.engine !== 'llamacpp' ? graphSizes * config.model.layers * 1.5 : 0;
  return { init, load, profile, capture };
}

function fail(kind: StartupFailureKind, message: string, atMs: number, plan?: MemoryPlan): StartupResult {
  return { ok: false, failure: { kind, message, atMs }, plan };
}

/** Decides whether a configuration starts and how long it takes; `rng` draws the random crash (omit for none). */
export function checkStartup(config: SimConfig, rng?: Rng): StartupResult {
  const { model, tensorParallel: tp, pipelineParallel: pp, dataParallel: dp } = config;
  const world = config.worldSize;
  if (world > config.numGpus)
    return fail(
      'invalid-parallelism',
      `ValueError: the parallel layout needs ${world} GPUs (tp ${tp}, pp ${pp}, dp ${dp}) but only ${config.numGpus} are available`,
      300,
    );
  if (model.attentionHeads % tp !== 0)
    return fail(
      'invalid-parallelism',
      `ValueError: Total number of attention heads (${model.attentionHeads}) must be divisible by tensor parallel size (${tp}).`,
      300,
    );
  if (model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0)
    return fail(
      'invalid-parallelism',
      `ValueError: Total number of key/value heads (${model.kvHeads}) and tensor parallel size (${tp}) must divide one another.`,
      300,
    );
  if (model.layers < pp)
    return fail(
      'invalid-parallelism',
      `ValueError: ${model.layers} layers cannot be split over ${pp} pipeline stages.`,
      300,
    );
  if (config.maxModelLen > model.maxContextTokens)
    return fail(
      'invalid-config',
      `ValueError: User-specified max_model_len (${config.maxModelLen}) is greater than the model's maximum context length (${model.maxContextTokens}).`,
      300,
    );
  if (config.engine === 'vllm' && !config.chunkedPrefill && config.maxBatchedTokens < config.maxModelLen)
    return fail(
      'invalid-config',
      `ValueError: max_num_batched_tokens (${config.maxBatchedTokens}) is smaller than max_model_len (${config.maxModelLen}) while chunked prefill is disabled.`,
      300,
    );
  const plan = planMemory(config);
  const phases = startupPhasesMs(config, plan);
  const scale = config.loadTimeScale;
  const loadedAt = (phases.init + phases.load) * scale;
  if (plan.weightBytesPerGpu > plan.usableBytes)
    return fail(
      'oom',
      `torch.OutOfMemoryError: CUDA out of memory while loading weights: ${gib(plan.weightBytesPerGpu)} per GPU, ${gib(plan.usableBytes)} allowed (${config.gpu.displayName}, utilisation ${config.gpuMemoryUtilization}).`,
      (phases.init + phases.load * Math.min(1, plan.usableBytes / plan.weightBytesPerGpu)) * scale,
      plan,
    );
  const profiledAt = loadedAt + phases.profile * scale;
  const fixedCache = config.engine === 'llamacpp' && config.kvCapacityTokensOverride !== undefined;
  const neededKv = fixedCache ? plan.kvCapacityTokens * plan.kvBytesPerTokenPerGpu : 1;
  if (plan.kvBytesPerGpu < neededKv)
    return fail(
      'oom',
      fixedCache
        ? `llama_init_from_model: failed to allocate the KV cache of ${plan.kvCapacityTokens} tokens (${gib(neededKv)}): out of memory`
        : `ValueError: No available memory for the cache blocks: weights ${gib(plan.weightBytesPerGpu)} and reserve ${gib(plan.reserveBytesPerGpu)} exceed ${gib(plan.usableBytes)}. Try increasing gpu_memory_utilization.`,
      profiledAt,
      plan,
    );
  const perSeqLimit =
    config.engine === 'llamacpp' ? Math.ceil(config.maxModelLen / config.maxNumSeqs) : config.maxModelLen;
  if (config.engine !== 'llamacpp' && plan.kvCapacityTokens < perSeqLimit)
    return fail(
      'kv-too-small',
      `ValueError: To serve at least one request with max seq len (${config.maxModelLen}), ${gib(config.maxModelLen * plan.kvBytesPerTokenPerGpu)} KV cache is needed, which is larger than the available KV cache memory (${gib(plan.kvBytesPerGpu)}). Increase gpu_memory_utilization or decrease max_model_len.`,
      profiledAt,
      plan,
    );
  const startupMs = profiledAt + phases.capture * scale;
  if (rng && config.startupCrashRate > 0 && rng.next() < config.startupCrashRate)
    return fail(
      'random-crash',
      'RuntimeError: simulated start-up crash (NCCL error: unhandled system error)',
      startupMs * rng.next(),
      plan,
    );
  return { ok: true, plan, startupMs };
}
