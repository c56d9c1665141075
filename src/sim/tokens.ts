// The simulator's tokenizer: one token per whitespace-separated word, so load generators can size prompts exactly.
import type { Rng } from '../util/rng.js';

/**
 * Counts prompt tokens: the number of whitespace-separated words (at least 1).
 * An array of integers is taken as token ids and counts one token each.
 */
export function countTokens(prompt: string | readonly number[]): number {
  if (typeof prompt !== 'string') return Math.max(1, prompt.length);
  let count = 0;
  let inWord = false;
  for (let i = 0; i < prompt.length; i++) {
    const code = prompt.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return Math.max(1, count);
}

/** Chained hashes of the full `blockSize`-token blocks of a prompt (FNV-1a), for prefix-cache hits. */
export function promptBlockHashes(prompt: string | readonly number[], blockSize: number): number[] {
  const tokens =
    typeof prompt === 'string' ? prompt.split(/\s+/).filter((word) => word.length > 0) : prompt.map(String);
  const hashes: number[] = [];
  let hash = 0x811c9dc5;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    for (let j = 0; j < token.length; j++) hash = Math.imul(hash ^ token.charCodeAt(j), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ 0x20, 0x01000193) >>> 0;
    if ((i + 1) % blockSize === 0) hashes.push(hash);
  }
  return hashes;
}

// Plain ASCII words: no JSON escaping is ever needed when streaming them.
const WORDS = (
  'the of and to in is was for on that with as by at from his her an be this are which or had it not but ' +
  'were they one all their have has new more been would can when there who also into its time first only ' +
  'two may after over other some such these most made used where many then them out could than about'
).split(' ');

/** The text of generated token `index` of a request: a leading space and one word (one token per word). */
export function tokenText(seed: number, index: number): string {
  const word = WORDS[(Math.imul(seed + index, 0x9e3779b1) >>> 7) % WORDS.length] as string;
  return ` ${word}`;
}

/** Output length without ignore_eos: an exponential draw (mean 256) clipped to [minTokens, maxTokens]. */
export function naturalOutputTokens(rng: Rng, maxTokens: number, minTokens = 0): number {
  const drawn = Math.ceil(rng.exponential(1 / 256));
  return Math.max(Math.min(minTokens, maxTokens), Math.min(maxTokens, Math.max(1, drawn)));
}
