import { describe, expect, it } from 'vitest';
import { readGguf } from './gguf-reader.js';
import { GGUF_ALIGNMENT, GgmlType } from './gguf-writer.js';
import { buildLlamaVocab, TokenType } from './llama-vocab.js';
import { buildRandomLlamaGguf } from './random-llama.js';
import { encodeQ8_0, toHalfBits } from './tensor-encoding.js';

describe('toHalfBits', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [65_504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -24, 0x0001],
    [2 ** -14, 0x0400],
    [1e-9, 0x0000],
    [Number.POSITIVE_INFINITY, 0x7c00],
  ])('%d -> 0x%s', (value, bits) => {
    expect(toHalfBits(value)).toBe(bits);
  });
});

describe('encodeQ8_0', () => {
  it('stores an f16 scale and 32 signed bytes per block', () => {
    const values = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 16);
    const bytes = Buffer.from(encodeQ8_0(values));
    expect(bytes.length).toBe(34);
    expect(bytes.readUInt16LE(0)).toBe(toHalfBits(1 / 127));
    expect(bytes.readInt8(2)).toBe(-127);
    expect(bytes.readInt8(2 + 16)).toBe(0);
  });

  it('refuses a length that is not a multiple of 32', () => {
    expect(() => encodeQ8_0(new Float32Array(33))).toThrow(/multiple of 32/);
  });
});

describe('buildLlamaVocab', () => {
  const vocab = buildLlamaVocab();

  it('has unique tokens, 256 byte tokens and scored word pieces', () => {
    expect(new Set(vocab.tokens).size).toBe(vocab.tokens.length);
    expect(vocab.tokenTypes.filter((t) => t === TokenType.byte)).toHaveLength(256);
    expect(vocab.tokens[3 + 0x0a]).toBe('<0x0A>');
    expect(vocab.tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(vocab.scores).toHaveLength(vocab.tokens.length);
    expect(vocab.tokenTypes).toHaveLength(vocab.tokens.length);
  });

  it('contains every prefix of every multi-character piece (needed by the SentencePiece merge)', () => {
    const pieces = new Set(vocab.tokens.filter((_, i) => vocab.tokenTypes[i] === TokenType.normal));
    for (const piece of pieces) {
      for (let end = 1; end < piece.length; end++) expect(pieces.has(piece.slice(0, end))).toBe(true);
    }
  });
});

describe('buildRandomLlamaGguf', () => {
  it.each(['f16', 'q8_0'] as const)('writes a readable GGUF v3 llama file with %s weights', (weightType) => {
    const file = buildRandomLlamaGguf({ weightType, blockCount: 2 });
    const summary = readGguf(file);
    expect(summary.version).toBe(3);
    expect(summary.metadata.get('general.architecture')).toBe('llama');
    expect(summary.metadata.get('tokenizer.ggml.model')).toBe('llama');
    expect(summary.metadata.get('llama.block_count')).toBe(2);
    const vocabSize = (summary.metadata.get('tokenizer.ggml.tokens') as string[]).length;
    expect(summary.tensors.map((t) => t.name)).toContain('blk.1.ffn_down.weight');
    expect(summary.tensors).toHaveLength(3 + 2 * 9);
    const embedding = summary.tensors.find((t) => t.name === 'token_embd.weight');
    expect(embedding?.dims).toEqual([128, vocabSize]);
    expect(embedding?.type).toBe(weightType === 'f16' ? GgmlType.f16 : GgmlType.q8_0);
    for (const tensor of summary.tensors) expect(tensor.offset % GGUF_ALIGNMENT).toBe(0);
    expect(summary.dataOffset % GGUF_ALIGNMENT).toBe(0);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = buildRandomLlamaGguf({ seed: 7, blockCount: 1 });
    expect(buildRandomLlamaGguf({ seed: 7, blockCount: 1 }).equals(a)).toBe(true);
    expect(buildRandomLlamaGguf({ seed: 8, blockCount: 1 }).equals(a)).toBe(false);
  });

  it('rejects head counts that do not divide the hidden size', () => {
    expect(() => buildRandomLlamaGguf({ embeddingLength: 100, headCount: 3 })).toThrow(RangeError);
  });
});
