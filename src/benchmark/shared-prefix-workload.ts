// Shared-prefix workloads (N prefixes x M suffixes) to expose prefix-cache effects.
import { InvalidOptionError } from '../errors.js';
import { createRng } from '../util/rng.js';
import {
  DEFAULT_PROMPT_CALIBRATION,
  type PromptCalibration,
  randomWords,
  tokensForWords,
  wordsForTokens,
} from './prompt-text.js';
import type { Workload } from './workload.js';

/** Options of sharedPrefixWorkload. */
export interface SharedPrefixWorkloadOptions {
  /** Distinct prefixes. */
  prefixCount: number;
  /** Distinct suffixes per prefix; request i uses prefix i mod N and suffix (i div N) mod M. */
  suffixesPerPrefix: number;
  /** Prompt tokens of each shared prefix (server overhead included). */
  prefixTokens: number;
  /** Prompt tokens of each suffix. */
  suffixTokens: number;
  outputTokens: number;
  /** @default 0 */
  seed?: number;
  /** @default DEFAULT_PROMPT_CALIBRATION */
  calibration?: PromptCalibration;
}

/** Requests cycle through every prefix before reusing one, so consecutive requests hit different prefixes. */
export function sharedPrefixWorkload(options: SharedPrefixWorkloadOptions): Workload {
  for (const key of [
    'prefixCount',
    'suffixesPerPrefix',
    'prefixTokens',
    'suffixTokens',
    'outputTokens',
  ] as const) {
    const v = options[key];
    if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError(`workload.${key}`, v, 'an integer >= 1');
  }
  const calibration = options.calibration ?? DEFAULT_PROMPT_CALIBRATION;
  const root = createRng(options.seed ?? 0);
  const prefixWords = wordsForTokens(options.prefixTokens, calibration);
  const suffixWords = Math.max(1, Math.round(options.suffixTokens / calibration.tokensPerWord));
  const prefixes = Array.from({ length: options.prefixCount }, (_, p) =>
    randomWords(prefixWords, root.fork(`p${p}`)),
  );
  return {
    name: `shared-prefix(${options.prefixCount}x${options.suffixesPerPrefix}, ${options.prefixTokens}+${options.suffixTokens})`,
    request(index) {
      const p = index % options.prefixCount;
      const s = Math.floor(index / options.prefixCount) % options.suffixesPerPrefix;
      const suffix = randomWords(suffixWords, root.fork(`s${p}:${s}`));
      return {
        prompt: `${prefixes[p]} ${suffix}`,
        promptTokens: tokensForWords(prefixWords + suffixWords, calibration),
        maxTokens: options.outputTokens,
      };
    },
  };
}
