// Catalogue of LLM architectures for the performance model (figures from each model's config.json).

/** Weight formats the model distinguishes (bits per weight drive memory and decode bytes). */
export type WeightFormat = 'bf16' | 'fp8' | 'int8' | 'int4';

/** Mixture-of-experts shape of a model. */
export interface MoeSpec {
  numExperts: number;
  expertsPerToken: number;
  /** Parameters (billions) living in expert FFNs; the rest is shared by every token. */
  expertParamsB: number;
}

/** Architecture figures of one model, as in its Hugging Face `config.json`. */
export interface ModelSpec {
  /** Catalogue name, lowercase, e.g. `llama-3.1-8b`. */
  name: string;
  /** Hugging Face repository ids that mean this model. */
  repoIds: string[];
  layers: number;
  hiddenSize: number;
  attentionHeads: number;
  kvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  /** Total parameters in billions. */
  paramsB: number;
  /** Parameters touched per token in billions (equal to paramsB for dense models). */
  activeParamsB: number;
  /** Default maximum context length (max_position_embeddings or the documented default). */
  maxContextTokens: number;
  moe?: MoeSpec;
  /** Weight format the checkpoint declares (from its config.json); the simulator's default when set. */
  weightFormat?: WeightFormat;
  /**
   * Multi-head latent attention (DeepSeek V2/V3): elements one token keeps per layer in the KV cache (compressed
   * latent + rotary key), shared by every head and replicated on every tensor-parallel rank.
   */
  kvLatentDim?: number;
  source: string;
}

function dense(
  name: string,
  repoIds: string[],
  shape: [layers: number, hidden: number, heads: number, kvHeads: number, intermediate: number],
  vocabSize: number,
  paramsB: number,
  maxContextTokens: number,
  source: string,
): ModelSpec {
  const [layers, hiddenSize, attentionHeads, kvHeads, intermediateSize] = shape;
  return {
    name,
    repoIds,
    layers,
    hiddenSize,
    attentionHeads,
    kvHeads,
    headDim: hiddenSize / attentionHeads,
    intermediateSize,
    vocabSize,
    paramsB,
    activeParamsB: paramsB,
    maxContextTokens,
    source,
  };
}

const HF = 'https://huggingface.co';
const MODELS: readonly ModelSpec[] = [
  dense(
    'llama-3.2-1b',
    ['meta-llama/Llama-3.2-1B', 'meta-llama/Llama-3.2-1B-Instruct'],
    [16, 2048, 32, 8, 8192],
    128_256,
    1.24,
    131_072,
    `${HF}/meta-llama/Llama-3.2-1B/blob/main/config.json`,
  ),
  dense(
    'llama-3.1-8b',
    ['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-8B-Instruct'],
    [32, 4096, 32, 8, 14_336],
    128_256,
    8.03,
    131_072,
    `${HF}/meta-llama/Llama-3.1-8B/blob/main/config.json`,
  ),
  dense(
    'llama-3.1-70b',
    [
      'meta-llama/Llama-3.1-70B',
      'meta-llama/Llama-3.1-70B-Instruct',
      'meta-llama/Meta-Llama-3.1-70B-Instruct',
    ],
    [80, 8192, 64, 8, 28_672],
    128_256,
    70.6,
    131_072,
    `${HF}/meta-llama/Llama-3.1-70B/blob/main/config.json`,
  ),
  dense(
    'qwen2.5-7b',
    ['Qwen/Qwen2.5-7B', 'Qwen/Qwen2.5-7B-Instruct'],
    [28, 3584, 28, 4, 18_944],
    152_064,
    7.62,
    32_768,
    `${HF}/Qwen/Qwen2.5-7B-Instruct/blob/main/config.json`,
  ),
  dense(
    'qwen2.5-14b',
    ['Qwen/Qwen2.5-14B', 'Qwen/Qwen2.5-14B-Instruct'],
    [48, 5120, 40, 8, 13_824],
    152_064,
    14.7,
    32_768,
    `${HF}/Qwen/Qwen2.5-14B-Instruct/blob/main/config.json`,
  ),
  dense(
    'qwen2.5-32b',
    ['Qwen/Qwen2.5-32B', 'Qwen/Qwen2.5-32B-Instruct'],
    [64, 5120, 40, 8, 27_648],
    152_064,
    32.8,
    32_768,
    `${HF}/Qwen/Qwen2.5-32B-Instruct/blob/main/config.json`,
  ),
  dense(
    'qwen2.5-72b',
    ['Qwen/Qwen2.5-72B', 'Qwen/Qwen2.5-72B-Instruct'],
    [80, 8192, 64, 8, 29_568],
    152_064,
    72.7,
    32_768,
    `${HF}/Qwen/Qwen2.5-72B-Instruct/blob/main/config.json`,
  ),
  {
    ...dense(
      'mixtral-8x7b',
      ['mistralai/Mixtral-8x7B-v0.1', 'mistralai/Mixtral-8x7B-Instruct-v0.1'],
      [32, 4096, 32, 8, 14_336],
      32_000,
      46.7,
      32_768,
      `${HF}/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json`,
    ),
    activeParamsB: 12.9,
    // 32 layers x 8 experts x 3 matrices x 4096 x 14336.
    moe: { numExperts: 8, expertsPerToken: 2, expertParamsB: 45.1 },
  },
];

const BY_NAME = new Map<string, ModelSpec>();
for (const model of MODELS) {
  BY_NAME.set(model.name, model);
  for (const id of model.repoIds) BY_NAME.set(id.toLowerCase(), model);
}

/** Every model the simulator knows, in a stable order. */
export function modelCatalogue(): readonly ModelSpec[] {
  return MODELS;
}

/** Looks a model up by catalogue name or Hugging Face id (case-insensitive); undefined when unknown. */
export function findModel(name: string): ModelSpec | undefined {
  const key = name.trim().toLowerCase();
  return BY_NAME.get(key) ?? BY_NAME.get(key.split('/').pop() ?? '');
}
