// Published measured serving results, one entry per table row, with the setup needed to reproduce each row in
// the analytic model. Figures are the sources' own; the engine-to-simulator mapping of each table is in `setup`.
import type { SimConfigInput } from '../../src/sim/sim-config.js';

/** One measured operating point. */
export interface PublishedRow {
  /** Catalogue model name. */
  model: string;
  /** Catalogue GPU name. */
  gpu: string;
  /** GPUs serving the row (= tensor parallel here). */
  gpus: number;
  tensorParallel: number;
  weightFormat: 'bf16' | 'fp8';
  /** Simulator engine flavour of this row when the table mixes engines (overrides the table's setup). */
  engine?: 'vllm' | 'sglang';
  promptTokens: number;
  outputTokens: number;
  /** Closed-loop clients; undefined = offline, every request queued at once (maximum throughput). */
  concurrency?: number;
  /** Measured output tokens per second (all GPUs of the row). */
  outputTokensPerS: number;
  /** Measured mean TTFT and inter-token latency, where the table gives them. */
  ttftMs?: number;
  itlMs?: number;
}

/** One published table: rows measured with one engine and method. */
export interface PublishedTable {
  id: string;
  /** Engine as measured (TensorRT-LLM and NIM tables are references: the simulator imitates vLLM/SGLang). */
  engine: string;
  source: string;
  /** Which table of the source, and its date or release. */
  where: string;
  /** Simulator settings for every row of the table (engine flavour, budgets, memory share, KV format). */
  setup: Omit<SimConfigInput, 'model' | 'gpu'>;
  /** True when the source does not state the KV cache format and `setup` infers it (see the table's comment). */
  kvFormatInferred: boolean;
  rows: PublishedRow[];
}

/** Prompt length from which a row counts as long context. */
export const LONG_CONTEXT_TOKENS = 16_000;

// ISL/OSL of the TensorRT-LLM overview tables, in the order of their rows.
const TRT_SHAPES: [number, number][] = [
  [128, 128],
  [128, 2048],
  [128, 4096],
  [500, 2000],
  [1000, 1000],
  [1000, 2000],
  [2048, 128],
  [2048, 2048],
  [5000, 500],
  [20_000, 2000],
];

function offlineRows(
  base: Pick<PublishedRow, 'model' | 'gpu' | 'gpus' | 'tensorParallel' | 'weightFormat'>,
  figures: number[],
): PublishedRow[] {
  return figures.map((outputTokensPerS, i) => {
    const [promptTokens, outputTokens] = TRT_SHAPES[i] as [number, number];
    return { ...base, promptTokens, outputTokens, outputTokensPerS };
  });
}

// trtllm-bench throughput: in-flight batching (context and generation in one step), max_num_tokens 8192,
// CUDA graphs with padding up to large batches, KV share 0.95. The checkpoints are NVIDIA's ModelOpt FP8 exports;
// the table does not state their KV format, and ModelOpt's export script (examples/llm_ptq/hf_ptq.py) quantises
// the KV cache to FP8 unless told otherwise, which TensorRT-LLM then uses: inferred FP8 KV cache.
const TRTLLM_SETUP: PublishedTable['setup'] = {
  engine: 'vllm',
  maxNumSeqs: 2048,
  maxBatchedTokens: 8192,
  cudaGraphMaxBatch: 2048,
  gpuMemoryUtilization: 0.95,
  kvBytesPerElement: 1,
};

const TRTLLM_SOURCE =
  'https://github.com/NVIDIA/TensorRT-LLM/blob/main/docs/source/performance/perf-overview.md';
const TRTLLM_WHERE =
  'Throughput Measurements (Total Output Throughput, offline, PyTorch backend), release 1.0 docs (2025); read at commit 00f37686';

/** Every table, in report order. */
export const PUBLISHED_TABLES: PublishedTable[] = [
  {
    id: 'trtllm-llama3.1-8b',
    engine: 'TensorRT-LLM (reference)',
    source: TRTLLM_SOURCE,
    where: `${TRTLLM_WHERE}: "Llama 3.1 8B", H100 TP1 and H200 TP1 (FP8) columns`,
    setup: TRTLLM_SETUP,
    kvFormatInferred: true,
    rows: [
      ...offlineRows(
        { model: 'llama-3.1-8b', gpu: 'h100', gpus: 1, tensorParallel: 1, weightFormat: 'fp8' },
        [28_312, 22_714, 14_325, 17_660, 15_220, 13_899, 3450, 9305, 3459, 1351],
      ),
      ...offlineRows(
        { model: 'llama-3.1-8b', gpu: 'h200', gpus: 1, tensorParallel: 1, weightFormat: 'fp8' },
        [27_911, 26_221, 18_027, 20_770, 17_744, 16_828, 3538, 12_194, 3902, 1804],
      ),
    ],
  },
  {
    id: 'trtllm-llama3.3-70b',
    engine: 'TensorRT-LLM (reference)',
    source: TRTLLM_SOURCE,
    where: `${TRTLLM_WHERE}: "Llama 3.3 70B", H100 TP2 and H200 TP1 (FP8) columns`,
    setup: TRTLLM_SETUP,
    kvFormatInferred: true,
    rows: [
      ...offlineRows(
        { model: 'llama-3.1-70b', gpu: 'h100', gpus: 2, tensorParallel: 2, weightFormat: 'fp8' },
        [6378, 6651, 4199, 5222, 4205, 4146, 762, 3082, 898, 437],
      ),
      ...offlineRows(
        { model: 'llama-3.1-70b', gpu: 'h200', gpus: 1, tensorParallel: 1, weightFormat: 'fp8' },
        [3803, 4336, 2872, 3666, 2909, 2994, 442, 2003, 566, 283],
      ),
    ],
  },
  {
    id: 'nim-llama3.3-70b',
    engine: 'NVIDIA NIM 1.8.0 (TensorRT-LLM; reference)',
    source: 'https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance',
    where:
      'Llama-3.3-70b-instruct Results, Version 1.8.0, 2 x H100 80G, fp8 TP2, 5000 input / 500 output tokens (AIPerf, closed loop)',
    // NIM's fp8 profile runs TensorRT-LLM on a ModelOpt FP8 checkpoint: the same setup (KV share not stated: the
    // engine default).
    setup: { ...TRTLLM_SETUP, gpuMemoryUtilization: 0.92 },
    kvFormatInferred: true,
    rows: (
      [
        [1, 406.77, 18.58, 51.67],
        [5, 546.7, 21.83, 218.48],
        [25, 688.69, 38.75, 623.4],
        [50, 834.51, 59.73, 814.37],
        [100, 7996.25, 92.91, 917.26],
        [150, 34_794.22, 92.86, 920.9],
        [200, 61_680.22, 93.06, 920.54],
        [250, 88_605.32, 93.2, 920.12],
      ] as const
    ).map(([concurrency, ttftMs, itlMs, outputTokensPerS]) => ({
      model: 'llama-3.1-70b',
      gpu: 'h100',
      gpus: 2,
      tensorParallel: 2,
      weightFormat: 'fp8' as const,
      promptTokens: 5000,
      outputTokens: 500,
      concurrency,
      outputTokensPerS,
      ttftMs,
      itlMs,
    })),
  },
  {
    id: 'vllm-ci-latency-h200',
    engine: 'vLLM (performance CI)',
    source: 'https://buildkite.com/vllm/performance-benchmark/builds/9515',
    where:
      'Latency tests: 32 input / 128 output tokens, fixed batch of 8, mean end-to-end latency of the batch, H200 (bf16); throughput here = 8 x 128 / latency',
    setup: { engine: 'vllm' },
    kvFormatInferred: false,
    rows: (
      [
        ['llama-3.1-70b', 4, 2077.53],
        ['llama-3.1-8b', 1, 833.421],
        ['mixtral-8x7b', 2, 1917.44],
      ] as const
    ).map(([model, tensorParallel, latencyMs]) => ({
      model,
      gpu: 'h200',
      gpus: tensorParallel,
      tensorParallel,
      weightFormat: 'bf16' as const,
      promptTokens: 32,
      outputTokens: 128,
      concurrency: 8,
      outputTokensPerS: (8 * 128 * 1000) / latencyMs,
    })),
  },
  {
    id: 'blog-vllm-sglang-llama3.1-8b',
    engine: 'vLLM 0.9.0 (V1) and SGLang 0.4.9',
    source: 'https://tim-wang-tecg-blog.pages.dev/llm/llm-benchmark-en',
    where:
      'Average Generation Rate table: Llama-3.1-8B-Instruct, 1 x H100 80GB, evalscope, LongAlpaca prompts of 5,000-10,000 tokens (7,500 taken), 2,000 output tokens, one wave of N requests at concurrency N (2025)',
    // vLLM and SGLang defaults (bf16 weights and KV cache as published).
    setup: {},
    kvFormatInferred: false,
    rows: (
      [
        ['vllm', 5, 634.87],
        ['vllm', 50, 3141.16],
        ['vllm', 100, 3036.62],
        ['sglang', 5, 666.54],
        ['sglang', 50, 3077.68],
        ['sglang', 100, 3088.08],
      ] as const
    ).map(([engine, concurrency, outputTokensPerS]) => ({
      model: 'llama-3.1-8b',
      gpu: 'h100',
      gpus: 1,
      tensorParallel: 1,
      weightFormat: 'bf16' as const,
      promptTokens: 7500,
      outputTokens: 2000,
      concurrency,
      outputTokensPerS,
      engine,
    })),
  },
];
