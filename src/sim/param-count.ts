// Parameter count of a decoder-only transformer from its architecture figures (formula in SOURCES.md).

/** Grouped-query attention (Llama, Qwen, Mistral): separate Q, K, V and O projections. */
export interface GqaAttention {
  kind: 'gqa';
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Biases on Q, K and V (Qwen2), and on O (Llama `attention_bias`). */
  qkvBias: boolean;
  outputBias: boolean;
  /** Per-head RMS norms on Q and K (Qwen3). */
  qkNorm: boolean;
}

/** Multi-head latent attention (DeepSeek V2/V3): low-rank Q and KV projections. */
export interface MlaAttention {
  kind: 'mla';
  heads: number;
  /** Rank of the query compression; undefined when queries are projected directly (V2-Lite). */
  qLoraRank: number | undefined;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/** Routed experts of the sparse layers. */
export interface MoeLayers {
  /** Layers whose FFN is a mixture of experts (the others are dense). */
  sparseLayers: number;
  experts: number;
  expertsPerToken: number;
  expertIntermediate: number;
  /** Total width of the shared experts every token uses (0 when none). */
  sharedIntermediate: number;
  /** A sigmoid gate on the shared expert (Qwen2-MoE). */
  sharedGate: boolean;
}

/** What the count needs of an architecture. */
export interface ArchitectureShape {
  vocabSize: number;
  hiddenSize: number;
  layers: number;
  /** Input embedding and LM head share one matrix. */
  tiedEmbeddings: boolean;
  attention: GqaAttention | MlaAttention;
  /** Width of the gated FFN of dense layers. */
  intermediateSize: number;
  mlpBias: boolean;
  moe?: MoeLayers;
}

/** Parameters of a model: all of them, those in routed experts, those one token uses. */
export interface ParamCount {
  total: number;
  routedExperts: number;
  active: number;
}

function attentionParams(h: number, a: GqaAttention | MlaAttention): number {
  if (a.kind === 'gqa') {
    const q = a.heads * a.headDim;
    const kv = a.kvHeads * a.headDim;
    return (
      h * (q + 2 * kv) +
      q * h +
      (a.qkvBias ? q + 2 * kv : 0) +
      (a.outputBias ? h : 0) +
      (a.qkNorm ? 2 * a.headDim : 0)
    );
  }
  const qkDim = a.qkNopeHeadDim + a.qkRopeHeadDim;
  const q =
    a.qLoraRank === undefined
      ? h * a.heads * qkDim
      : h * a.qLoraRank + a.qLoraRank + a.qLoraRank * a.heads * qkDim;
  const kvDown = h * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank;
  const kvUp = a.kvLoraRank * a.heads * (a.qkNopeHeadDim + a.vHeadDim);
  return q + kvDown + kvUp + a.heads * a.vHeadDim * h;
}

// Gated FFN (gate, up, down projections).
const ffn = (h: number, width: number, bias: boolean) => 3 * h * width + (bias ? 2 * width + h : 0);

/** Counts parameters: embeddings, then per layer attention + two norms + FFN (dense or experts), final norm. */
export function countParams(shape: ArchitectureShape): ParamCount {
  const h = shape.hiddenSize;
  const embeddings = shape.vocabSize * h * (shape.tiedEmbeddings ? 1 : 2) + h;
  const perLayer = attentionParams(h, shape.attention) + 2 * h;
  const moe = shape.moe;
  const sparse = moe?.sparseLayers ?? 0;
  const dense = (shape.layers - sparse) * ffn(h, shape.intermediateSize, shape.mlpBias);
  let routed = 0;
  let sharedMoe = 0;
  let activeRouted = 0;
  if (moe) {
    const expert = ffn(h, moe.expertIntermediate, false);
    routed = sparse * moe.experts * expert;
    activeRouted = sparse * moe.expertsPerToken * expert;
    const shared = moe.sharedIntermediate > 0 ? ffn(h, moe.sharedIntermediate, false) : 0;
    sharedMoe = sparse * (h * moe.experts + shared + (moe.sharedGate ? h : 0));
  }
  const common = embeddings + shape.layers * perLayer + dense + sharedMoe;
  return { total: common + routed, routedExperts: routed, active: common + activeRouted };
}
