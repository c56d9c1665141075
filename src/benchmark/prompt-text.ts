// Prompts of a chosen token length without a tokenizer: repeated words that are one token each.
import { InvalidOptionError } from '../errors.js';
import type { Rng } from '../util/rng.js';

/**
 * How prompt words map to the server's prompt tokens: `tokens = overheadTokens + tokensPerWord * words`.
 * `overheadTokens` covers what the server adds (a BOS token, a chat template); `calibratePrompt` measures both
 * numbers against the server's reported usage.
 */
export interface PromptCalibration {
  /** Tokens the server adds to every prompt. @default 1 (a BOS token) */
  overheadTokens: number;
  /** Tokens per word of the generated text. @default 1 */
  tokensPerWord: number;
}

/** The calibration assumed before measuring: one BOS token, one token per word. */
export const DEFAULT_PROMPT_CALIBRATION: PromptCalibration = { overheadTokens: 1, tokensPerWord: 1 };

/**
 * Short, very frequent English words. Each is a single token (with its leading space) in the GPT-2, Llama and
 * SentencePiece vocabularies in common use, and in the random-weight test model's vocabulary, so a prompt of
 * `w` space-separated words is `w` tokens plus the server's fixed overhead.
 */
export const SINGLE_TOKEN_WORDS: readonly string[] = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'is',
  'that',
  'for',
  'it',
  'as',
  'with',
  'was',
  'on',
  'be',
  'at',
  'by',
  'this',
  'from',
  'or',
  'an',
  'are',
  'not',
  'but',
  'have',
  'we',
  'can',
];

/** Words needed for a prompt of `tokens` tokens under a calibration (at least one). */
export function wordsForTokens(tokens: number, calibration: PromptCalibration): number {
  return Math.max(1, Math.round((tokens - calibration.overheadTokens) / calibration.tokensPerWord));
}

/** Prompt tokens a text of `words` words is expected to be under a calibration. */
export function tokensForWords(words: number, calibration: PromptCalibration): number {
  return calibration.overheadTokens + Math.round(words * calibration.tokensPerWord);
}

/** `words` words drawn from SINGLE_TOKEN_WORDS with the RNG (random order defeats accidental prefix reuse). */
export function randomWords(words: number, rng: Rng): string {
  if (!Number.isInteger(words) || words < 0) throw new InvalidOptionError('words', words, 'an integer >= 0');
  const out = new Array<string>(words);
  for (let i = 0; i < words; i++) out[i] = rng.pick(SINGLE_TOKEN_WORDS);
  return out.join(' ');
}
