// The performance model's description of a model built from its Hugging Face config.json (dense and MoE decoders).
import { ModelConfigError } from '../errors.js';
import { type ConfigFields, configFields } from './config-fields.js';
import { weightFormatOfConfig } from './config-quantization.js';
import type { ModelSpec } from './model-catalogue.js';
import { type ArchitectureShape, countParams, type MoeLayers } from './param-count.js';

/** `model_type` values of the config.json files `modelFromConfigJson` understands. */
export const SUPPORTED_MODEL_TYPES = [
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'qwen2_moe',
  'qwen3',
  'qwen3_moe',
  'deepseek_v2',
  'deepseek_v3',
] as const;

type ModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

/** Where a config.json came from, for the description and its errors. */
export interface ModelConfigOrigin {
  /** Path of the config.json, named in errors and kept as the description's `source`. @default the name */
  file?: string;
  /** Hugging Face repository ids that mean this model. @default [] */
  repoIds?: string[];
}

// Layers i = 0..layers-1 for which `sparse(i)` holds.
function countLayers(layers: number, sparse: (i: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < layers; i++) if (sparse(i)) count++;
  return count;
}

function moeOf(f: ConfigFields, type: ModelType, layers: number): MoeLayers | undefined {
  if (type === 'mixtral') {
    return {
      sparseLayers: layers,
      experts: f.int('num_local_experts'),
      expertsPerToken: f.int('num_experts_per_tok'),
      expertIntermediate: f.int('intermediate_size'),
      sharedIntermediate: 0,
      sharedGate: false,
    };
  }
  if (type === 'qwen2_moe' || type === 'qwen3_moe') {
    const step = f.int('decoder_sparse_step', 1);
    const dense = new Set(f.intList('mlp_only_layers'));
    const shared = type === 'qwen2_moe' ? (f.optionalInt('shared_expert_intermediate_size') ?? 0) : 0;
    return {
      sparseLayers: countLayers(layers, (i) => !dense.has(i) && (i + 1) % step === 0),
      experts: f.int('num_experts'),
      expertsPerToken: f.int('num_experts_per_tok'),
      expertIntermediate: f.int('moe_intermediate_size'),
      sharedIntermediate: shared,
      sharedGate: shared > 0,
    };
  }
  if (type === 'deepseek_v2' || type === 'deepseek_v3') {
    const experts = f.optionalInt('n_routed_experts');
    if (experts === undefined || experts === 0) return undefined;
    const firstDense = f.optionalInt('first_k_dense_replace') ?? 0;
    const frequency = f.int('moe_layer_freq', 1);
    const expertIntermediate = f.int('moe_intermediate_size');
    return {
      sparseLayers: countLayers(layers, (i) => i >= firstDense && i % frequency === 0),
      experts,
      expertsPerToken: f.int('num_experts_per_tok'),
      expertIntermediate,
      sharedIntermediate: (f.optionalInt('n_shared_experts') ?? 0) * expertIntermediate,
      sharedGate: false,
    };
  }
  return undefined;
}

function modelTypeOf(f: ConfigFields): ModelType {
  const type = f.str('model_type');
  if (type === undefined) throw new ModelConfigError(f.file, 'model_type', undefined, 'is missing');
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(type))
    throw new ModelConfigError(
      f.file,
      'model_type',
      type,
      `is not a supported architecture (one of ${SUPPORTED_MODEL_TYPES.join(', ')})`,
    );
  return type as ModelType;
}

/** Builds the performance model's description of a model from its parsed config.json; throws ModelConfigError. */
export function modelFromConfigJson(json: unknown, name: string, origin: ModelConfigOrigin = {}): ModelSpec {
  const file = origin.file ?? name;
  const f = configFields(json, file);
  const type = modelTypeOf(f);
  const hiddenSize = f.int('hidden_size');
  const layers = f.int('num_hidden_layers');
  const heads = f.int('num_attention_heads');
  const kvHeads = f.int('num_key_value_heads', heads);
  if (heads % kvHeads !== 0)
    throw new ModelConfigError(
      file,
      'num_key_value_heads',
      kvHeads,
      `must divide num_attention_heads (${heads})`,
    );
  const mla = type === 'deepseek_v2' || type === 'deepseek_v3';
  const shape: ArchitectureShape = {
    vocabSize: f.int('vocab_size'),
    hiddenSize,
    layers,
    tiedEmbeddings: f.bool('tie_word_embeddings', false),
    intermediateSize: f.int('intermediate_size'),
    mlpBias: type === 'llama' && f.bool('mlp_bias', false),
    attention: mla
      ? {
          kind: 'mla',
          heads,
          qLoraRank: f.optionalInt('q_lora_rank'),
          kvLoraRank: f.int('kv_lora_rank'),
          qkNopeHeadDim: f.int('qk_nope_head_dim'),
          qkRopeHeadDim: f.int('qk_rope_head_dim'),
          vHeadDim: f.int('v_head_dim'),
        }
      : {
          kind: 'gqa',
          heads,
          kvHeads,
          headDim: headDimOf(f, hiddenSize, heads),
          qkvBias: type === 'qwen2' || type === 'qwen2_moe' || f.bool('attention_bias', false),
          outputBias: type === 'llama' && f.bool('attention_bias', false),
          qkNorm: type === 'qwen3' || type === 'qwen3_moe',
        },
  };
  const moe = moeOf(f, type, layers);
  if (moe) shape.moe = moe;
  const params = countParams(shape);
  const billions = (count: number) => Math.round(count / 1e6) / 1e3;
  const spec: ModelSpec = {
    name: name.toLowerCase(),
    repoIds: origin.repoIds ?? [],
    layers,
    hiddenSize,
    attentionHeads: heads,
    kvHeads,
    headDim:
      shape.attention.kind === 'mla'
        ? shape.attention.qkNopeHeadDim + shape.attention.qkRopeHeadDim
        : shape.attention.headDim,
    intermediateSize: shape.intermediateSize,
    vocabSize: shape.vocabSize,
    paramsB: billions(params.total),
    activeParamsB: billions(params.active),
    maxContextTokens: f.int('max_position_embeddings'),
    weightFormat: weightFormatOfConfig(f),
    source: file,
  };
  if (moe)
    spec.moe = {
      numExperts: moe.experts,
      expertsPerToken: moe.expertsPerToken,
      expertParamsB: billions(params.routedExperts),
    };
  if (shape.attention.kind === 'mla')
    spec.kvLatentDim = shape.attention.kvLoraRank + shape.attention.qkRopeHeadDim;
  return spec;
}

// `head_dim` when the config gives it (Qwen3, Mistral Nemo), else hidden / heads.
function headDimOf(f: ConfigFields, hiddenSize: number, heads: number): number {
  const given = f.optionalInt('head_dim');
  if (given !== undefined && given > 0) return given;
  if (hiddenSize % heads !== 0)
    throw new ModelConfigError(
      f.file,
      'head_dim',
      undefined,
      `is missing and hidden_size ${hiddenSize} is not a multiple of ${heads} heads`,
    );
  return hiddenSize / heads;
}
