// A SentencePiece-style ("llama") vocabulary: <unk>, <s>, </s>, 256 <0xNN> byte tokens, then scored word pieces.
import { SINGLE_TOKEN_WORDS } from '../../../src/benchmark/prompt-text.js';

/** llama.cpp token types (tokenizer.ggml.token_type values). */
export const TokenType = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** The three parallel arrays GGUF stores for a vocabulary. */
export interface LlamaVocab {
  tokens: string[];
  scores: number[];
  tokenTypes: number[];
  unknownId: number;
  bosId: number;
  eosId: number;
}

/** SentencePiece marks a preceding space with U+2581. */
const SPACE = '\u2581';

// The load generator builds prompts from SINGLE_TOKEN_WORDS: each must be one token of this vocabulary.
const WORDS = [
  ...SINGLE_TOKEN_WORDS,
  'model',
  'server',
  'token',
  'tokens',
  'tune',
  'fast',
  'slow',
  'batch',
  'cache',
  'memory',
  'latency',
  'throughput',
  'request',
  'engine',
  'hello',
  'world',
  'once',
  'upon',
  'time',
  'there',
  'story',
  'quick',
  'brown',
  'fox',
  'jumps',
  'over',
  'lazy',
  'dog',
];
const CHARS = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'"-()`;

/**
 * Builds the vocabulary. Every multi-character piece has all its prefixes in the vocabulary too, because the
 * SentencePiece BPE merge in llama.cpp only joins adjacent symbols whose concatenation is itself a piece.
 * Scores grow with piece length so longer merges win.
 */
export function buildLlamaVocab(): LlamaVocab {
  const tokens = ['<unk>', '<s>', '</s>'];
  const tokenTypes: number[] = [TokenType.unknown, TokenType.control, TokenType.control];
  const scores = [0, 0, 0];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    tokenTypes.push(TokenType.byte);
    scores.push(0);
  }
  const pieces = new Set<string>([SPACE]);
  for (const char of CHARS) {
    pieces.add(char);
    pieces.add(SPACE + char);
  }
  for (const word of WORDS) {
    for (const text of [SPACE + word, word]) {
      for (let end = 2; end <= text.length; end++) pieces.add(text.slice(0, end));
    }
  }
  const ordered = [...pieces].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  ordered.forEach((piece, rank) => {
    tokens.push(piece);
    tokenTypes.push(TokenType.normal);
    // Negative log-probability-like scores, higher (closer to 0) for longer pieces.
    scores.push(-1000 + piece.length * 100 - rank / ordered.length);
  });
  return { tokens, scores, tokenTypes, unknownId: 0, bosId: 1, eosId: 2 };
}
