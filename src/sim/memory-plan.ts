// Device memory budget of a configuration: weights, activation reserve and the KV cache that is left.
import type { SimConfig, WeightFormat } from './sim-config.js';

const GIB = 1024 ** 3;

/** Bytes per parameter of each weight format (int4 includes group scales). */
export const BYTES_PER_PARAM: Readonly<Record<WeightFormat, number>> = {
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.53,
};

/** Memory budget of one GPU of a replica and the resulting KV capacity. */
export interface MemoryPlan {
  /** Memory the engine may use on one GPU. */
  usableBytes: number;
  weightBytesPerGpu: number;
  /** CUDA context, communicator buffers, peak activations, logits and CUDA-graph pools. */
  reserveBytesPerGpu: number;
  /** KV bytes one token occupies on one GPU. */
  kvBytesPerTokenPerGpu: number;
  /** Free bytes for the KV cache on one GPU (negative when the configuration does not fit). */
  kvBytesPerGpu: number;
  /** KV cache capacity of one replica in tokens (a whole number of blocks; 0 when nothing fits). */
  kvCapacityTokens: number;
}

/** KV heads each GPU of a tensor-parallel group stores (replicated when tp exceeds the KV heads). */
export function kvHeadsPerGpu(config: SimConfig): number {
  return Math.max(1, config.model.kvHeads / config.tensorParallel);
}

/** Weight bytes held by one GPU (weights split over tp x pp GPUs). */
export function weightBytesPerGpu(config: SimConfig): number {
  const total = config.model.paramsB * 1e9 * BYTES_PER_PARAM[config.weightFormat];
  return total / (config.tensorParallel * config.pipelineParallel);
}

/** Computes the memory budget the way vLLM's profiler does: util x memory - weights - reserve = KV. */
export function planMemory(config: SimConfig): MemoryPlan {
  const { model, gpu } = config;
  const usableBytes = gpu.memoryGiB * GIB * config.gpuMemoryUtilization;
  const weights = weightBytesPerGpu(config);
  const tp = config.tensorParallel;
  // Peak activations of one step at the token budget (gate/up projections dominate), fp32 logits of
  // the largest decode batch, CUDA context, NCCL buffers and the CUDA-graph memory pool.
  const activations =
    config.maxBatchedTokens * ((2 * model.intermediateSize) / tp + 4 * model.hiddenSize) * 2;
  const logits = Math.min(config.maxNumSeqs, config.maxBatchedTokens) * model.vocabSize * 4;
  const fixed =
    0.6 * GIB +
    (tp > 1 ? 0.4 * GIB : 0) +
    (config.cudaGraphs ? 0.4 * GIB : 0) +
    config.deviation.reserveGiB * GIB;
  const reserve = activations + logits + fixed;
  const layersPerGpu = model.layers / config.pipelineParallel;
  // Latent attention caches one compressed vector per token and layer, whole on every rank; others K and V.
  const kvBytesPerToken =
    model.kvLatentDim === undefined
      ? 2 * layersPerGpu * kvHeadsPerGpu(config) * model.headDim * config.kvBytesPerElement
      : layersPerGpu * model.kvLatentDim * config.kvBytesPerElement;
  const kvBytes = usableBytes - weights - reserve;
  const blockBytes = kvBytesPerToken * config.blockSize;
  let kvCapacityTokens = kvBytes > 0 ? Math.floor(kvBytes / blockBytes) * config.blockSize : 0;
  if (config.kvCapacityTokensOverride !== undefined) {
    // A fixed cache (llama.cpp --ctx-size) is allocated whole; SGLang --max-total-tokens only caps it.
    kvCapacityTokens =
      config.engine === 'llamacpp'
        ? config.kvCapacityTokensOverride
        : Math.min(kvCapacityTokens, config.kvCapacityTokensOverride);
  }
  return {
    usableBytes,
    weightBytesPerGpu: weights,
    reserveBytesPerGpu: reserve,
    kvBytesPerTokenPerGpu: kvBytesPerToken,
    kvBytesPerGpu: kvBytes,
    kvCapacityTokens,
  };
}

/** Formats bytes as GiB with two decimals, for messages. */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}
