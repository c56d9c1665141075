// Builds a tiny llama-architecture GGUF model with seeded random weights (outputs are gibberish by design).
import { createRng, type Rng } from '../../../src/util/rng.js';
import { encodeGguf, GgmlType, type GgufMetadataValue, type GgufTensor } from './gguf-writer.js';
import { buildLlamaVocab } from './llama-vocab.js';
import { encodeF16, encodeF32, encodeQ8_0 } from './tensor-encoding.js';

/** Shape and encoding of the generated model. */
export interface RandomLlamaOptions {
  /** @default 1234 */
  seed?: number;
  /** Hidden size. @default 128 */
  embeddingLength?: number;
  /** @default 4 */
  blockCount?: number;
  /** @default 4 */
  headCount?: number;
  /** Key/value heads (grouped-query attention when below headCount). @default 2 */
  headCountKv?: number;
  /** @default 256 */
  feedForwardLength?: number;
  /** Training context length written to the metadata. @default 2048 */
  contextLength?: number;
  /** Encoding of the 2-D weight matrices; norms stay f32. @default 'f16' */
  weightType?: 'f16' | 'q8_0';
}

function randomValues(rng: Rng, count: number, std: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = rng.normal() * std;
  return values;
}

/** Encodes a complete random-weight llama GGUF v3 file; same options, same bytes. */
export function buildRandomLlamaGguf(options: RandomLlamaOptions = {}): Buffer {
  const nEmbd = options.embeddingLength ?? 128;
  const nLayer = options.blockCount ?? 4;
  const nHead = options.headCount ?? 4;
  const nHeadKv = options.headCountKv ?? 2;
  const nFf = options.feedForwardLength ?? 256;
  const weightType = options.weightType ?? 'f16';
  if (nEmbd % nHead !== 0 || nHead % nHeadKv !== 0) {
    throw new RangeError(
      `embeddingLength ${nEmbd} / headCount ${nHead} / headCountKv ${nHeadKv} do not divide`,
    );
  }
  const nEmbdKv = (nEmbd / nHead) * nHeadKv;
  const vocab = buildLlamaVocab();
  const nVocab = vocab.tokens.length;
  const rng = createRng(options.seed ?? 1234);

  const u32 = (value: number): GgufMetadataValue => ({ kind: 'uint32', value });
  const metadata = new Map<string, GgufMetadataValue>([
    ['general.architecture', { kind: 'string', value: 'llama' }],
    ['general.name', { kind: 'string', value: 'inference-autotuner random llama' }],
    ['general.alignment', u32(32)],
    // LLAMA_FTYPE_MOSTLY_F16 = 1, LLAMA_FTYPE_MOSTLY_Q8_0 = 7
    ['general.file_type', u32(weightType === 'f16' ? 1 : 7)],
    ['llama.context_length', u32(options.contextLength ?? 2048)],
    ['llama.embedding_length', u32(nEmbd)],
    ['llama.block_count', u32(nLayer)],
    ['llama.feed_forward_length', u32(nFf)],
    ['llama.attention.head_count', u32(nHead)],
    ['llama.attention.head_count_kv', u32(nHeadKv)],
    ['llama.rope.dimension_count', u32(nEmbd / nHead)],
    ['llama.rope.freq_base', { kind: 'float32', value: 10_000 }],
    ['llama.attention.layer_norm_rms_epsilon', { kind: 'float32', value: 1e-5 }],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', { kind: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { kind: 'array', itemKind: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.scores', { kind: 'array', itemKind: 'float32', values: vocab.scores }],
    ['tokenizer.ggml.token_type', { kind: 'array', itemKind: 'int32', values: vocab.tokenTypes }],
    ['tokenizer.ggml.unknown_token_id', u32(vocab.unknownId)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ['tokenizer.ggml.add_bos_token', { kind: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { kind: 'bool', value: false }],
  ]);

  const tensors: GgufTensor[] = [];
  const matrix = (name: string, cols: number, rows: number): void => {
    const values = randomValues(rng.fork(name), cols * rows, 0.02 * 4);
    tensors.push({
      name,
      dims: [cols, rows],
      type: weightType === 'f16' ? GgmlType.f16 : GgmlType.q8_0,
      data: weightType === 'f16' ? encodeF16(values) : encodeQ8_0(values),
    });
  };
  const norm = (name: string): void => {
    tensors.push({
      name,
      dims: [nEmbd],
      type: GgmlType.f32,
      data: encodeF32(new Float32Array(nEmbd).fill(1)),
    });
  };
  matrix('token_embd.weight', nEmbd, nVocab);
  norm('output_norm.weight');
  matrix('output.weight', nEmbd, nVocab);
  for (let layer = 0; layer < nLayer; layer++) {
    const p = `blk.${layer}.`;
    norm(`${p}attn_norm.weight`);
    matrix(`${p}attn_q.weight`, nEmbd, nEmbd);
    matrix(`${p}attn_k.weight`, nEmbd, nEmbdKv);
    matrix(`${p}attn_v.weight`, nEmbd, nEmbdKv);
    matrix(`${p}attn_output.weight`, nEmbd, nEmbd);
    norm(`${p}ffn_norm.weight`);
    matrix(`${p}ffn_gate.weight`, nEmbd, nFf);
    matrix(`${p}ffn_down.weight`, nFf, nEmbd);
    matrix(`${p}ffn_up.weight`, nEmbd, nFf);
  }
  return encodeGguf(metadata, tensors);
}
