// Roofline time of one scheduler step: weight GEMMs and attention each max(compute, memory traffic), added, +
// tensor-parallel all-reduce + overheads.
import { BYTES_PER_PARAM, type MemoryPlan } from './memory-plan.js';
import type { SimConfig } from './sim-config.js';

/** What one step computes, summed over the sequences in the batch. */
export interface StepShape {
  /** Prompt tokens computed in this step (prefill chunks). */
  prefillTokens: number;
  /** Sequences with a prefill chunk in this step. */
  prefillSeqs: number;
  /** Sum over prefill tokens of the context each attends to. */
  prefillAttendedTokens: number;
  /** Sequences generating one token each. */
  decodeSeqs: number;
  /** Sum of the context lengths of the decode sequences (KV read by attention). */
  decodeContextTokens: number;
}

// Fractions of peak reached by large GEMMs and by streaming reads; what well-tuned engines report.
const COMPUTE_EFFICIENCY = 0.55;
const BANDWIDTH_EFFICIENCY = 0.8;
const SCHEDULER_OVERHEAD_MS = 1.0;
const PER_SEQ_OVERHEAD_MS = 0.004;
const GRAPH_LAUNCH_MS = 0.25;
const EAGER_LAUNCH_PER_LAYER_MS = 0.06;
// Prefill attention (FlashAttention-style) streams the K/V of the context once per tile of this many queries,
// not once per query token; decode reads each sequence's K/V once per step.
const PREFILL_QUERY_TILE = 128;

/** Per-configuration constants of the roofline, computed once. */
export interface StepCostModel {
  config: SimConfig;
  /** Returns the simulated duration of a step in milliseconds (without noise). */
  stepMs(shape: StepShape): number;
}

/** Builds the roofline step-time function of a configuration. */
export function createStepCostModel(config: SimConfig, plan: MemoryPlan): StepCostModel {
  const { model, gpu } = config;
  const tp = config.tensorParallel;
  const pp = config.pipelineParallel;
  const fp8Compute = config.weightFormat === 'fp8' && gpu.fp8Tflops !== undefined;
  const peakFlops = (fp8Compute ? (gpu.fp8Tflops as number) : gpu.bf16Tflops) * 1e12;
  // Weight-only int4/int8 kernels dequantise on the fly.
  const dequant =
    config.weightFormat === 'int4' || (config.weightFormat !== 'bf16' && !fp8Compute) ? 1.15 : 1;
  const flopsPerMs = (peakFlops * COMPUTE_EFFICIENCY * config.deviation.compute) / dequant / 1000;
  // Attention matmuls run in 16-bit whatever the weight format.
  const attentionFlopsPerMs = (gpu.bf16Tflops * 1e12 * COMPUTE_EFFICIENCY * config.deviation.compute) / 1000;
  const bytesPerMs =
    (gpu.memoryBandwidthGBps * 1e9 * BANDWIDTH_EFFICIENCY * config.deviation.bandwidth) / 1000;
  const bytesPerParam = BYTES_PER_PARAM[config.weightFormat];
  const moe = model.moe;
  const sharedParams = (model.paramsB - (moe?.expertParamsB ?? 0)) * 1e9;
  const expertParams = (moe?.expertParamsB ?? 0) * 1e9;
  const activeParams = model.activeParamsB * 1e9;
  // Pipeline stages run one after another for a single batch, so a step still walks every layer.
  const kvBytesPerToken = plan.kvBytesPerTokenPerGpu * pp;
  const attnWidth = model.attentionHeads * model.headDim;
  const linkBytesPerMs = (gpu.interconnectGBps * 1e9) / 1000;
  const allReduceLatencyMs = gpu.interconnect === 'nvlink' ? 0.008 : 0.025;
  return {
    config,
    stepMs(shape) {
      const tokens = shape.prefillTokens + shape.decodeSeqs;
      if (tokens === 0) return 0;
      const attended = shape.prefillAttendedTokens + shape.decodeContextTokens;
      let weightBytes = sharedParams + expertParams;
      if (moe) {
        // Experts touched by at least one token of the batch.
        const touched = 1 - (1 - moe.expertsPerToken / moe.numExperts) ** tokens;
        weightBytes = sharedParams + expertParams * touched;
      }
      // The weight GEMMs and attention are separate kernels, one after the other: each is bound by its own
      // compute or memory traffic, and their times add.
      const gemmMs = Math.max(
        (2 * activeParams * tokens) / tp / flopsPerMs,
        (weightBytes * bytesPerParam) / tp / bytesPerMs,
      );
      // K/V read by attention, plus the K/V written for the new tokens.
      const kvTraffic = shape.prefillAttendedTokens / PREFILL_QUERY_TILE + shape.decodeContextTokens + tokens;
      const attentionMs = Math.max(
        (4 * model.layers * attnWidth * attended) / tp / attentionFlopsPerMs,
        (kvTraffic * kvBytesPerToken) / bytesPerMs,
      );
      let ms = gemmMs + attentionMs;
      if (tp > 1) {
        const message = tokens * model.hiddenSize * 2;
        const perReduce = allReduceLatencyMs + ((2 * (tp - 1)) / tp) * (message / linkBytesPerMs);
        ms += 2 * model.layers * perReduce;
      }
      if (pp > 1) ms += (pp - 1) * (0.02 + (tokens * model.hiddenSize * 2) / linkBytesPerMs);
      const graphed =
        config.cudaGraphs &&
        (config.engine === 'vllm'
          ? tokens <= config.cudaGraphMaxBatch
          : shape.prefillTokens === 0 && shape.decodeSeqs <= config.cudaGraphMaxBatch);
      ms += graphed ? GRAPH_LAUNCH_MS : model.layers * EAGER_LAUNCH_PER_LAYER_MS;
      return (
        ms +
        SCHEDULER_OVERHEAD_MS +
        config.deviation.stepMs +
        PER_SEQ_OVERHEAD_MS * (shape.decodeSeqs + shape.prefillSeqs)
      );
    },
  };
}
