// Synthetic workloads: token lengths drawn from fixed, uniform or normal distributions.
import { InvalidOptionError } from '../errors.js';
import { createRng, type Rng } from '../util/rng.js';
import {
  DEFAULT_PROMPT_CALIBRATION,
  type PromptCalibration,
  randomWords,
  tokensForWords,
  wordsForTokens,
} from './prompt-text.js';
import type { Workload } from './workload.js';

/** A token-length distribution; a bare number means fixed. Draws are rounded and clamped to >= 1. */
export type LengthSpec =
  | number
  | { kind: 'fixed'; tokens: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number; min?: number; max?: number };

/** Options of syntheticWorkload. */
export interface SyntheticWorkloadOptions {
  inputTokens: LengthSpec;
  outputTokens: LengthSpec;
  /** @default 0 */
  seed?: number;
  /** How prompt words map to tokens on the target server. @default DEFAULT_PROMPT_CALIBRATION */
  calibration?: PromptCalibration;
}

/** Throws InvalidOptionError naming the bad field of a length spec. */
export function validateLength(spec: LengthSpec, path: string): void {
  const ok = (v: unknown, min = 1): boolean => typeof v === 'number' && Number.isFinite(v) && v >= min;
  if (typeof spec === 'number') {
    if (!ok(spec)) throw new InvalidOptionError(path, spec, 'a token count >= 1');
  } else if (spec.kind === 'fixed') {
    if (!ok(spec.tokens)) throw new InvalidOptionError(`${path}.tokens`, spec.tokens, 'a token count >= 1');
  } else if (spec.kind === 'uniform') {
    if (!ok(spec.min)) throw new InvalidOptionError(`${path}.min`, spec.min, 'a token count >= 1');
    if (!ok(spec.max, spec.min))
      throw new InvalidOptionError(`${path}.max`, spec.max, `a token count >= min`);
  } else if (spec.kind === 'normal') {
    if (!ok(spec.mean)) throw new InvalidOptionError(`${path}.mean`, spec.mean, 'a token count >= 1');
    if (!ok(spec.sd, 0)) throw new InvalidOptionError(`${path}.sd`, spec.sd, 'a number >= 0');
  } else {
    throw new InvalidOptionError(
      `${path}.kind`,
      (spec as { kind: unknown }).kind,
      "'fixed', 'uniform' or 'normal'",
    );
  }
}

/** One draw from a length spec. */
export function drawLength(spec: LengthSpec, rng: Rng): number {
  let value: number;
  if (typeof spec === 'number') value = spec;
  else if (spec.kind === 'fixed') value = spec.tokens;
  else if (spec.kind === 'uniform') value = rng.int(Math.round(spec.min), Math.round(spec.max));
  else {
    value = spec.mean + spec.sd * rng.normal();
    if (spec.min !== undefined) value = Math.max(spec.min, value);
    if (spec.max !== undefined) value = Math.min(spec.max, value);
  }
  return Math.max(1, Math.round(value));
}

/**
 * Random-word prompts of drawn lengths. Request i uses its own fork of the seed, so it does not depend on which
 * other requests were generated. The intended prompt length is rounded to what whole words can reach.
 */
export function syntheticWorkload(options: SyntheticWorkloadOptions): Workload {
  validateLength(options.inputTokens, 'workload.inputTokens');
  validateLength(options.outputTokens, 'workload.outputTokens');
  const root = createRng(options.seed ?? 0);
  const calibration = options.calibration ?? DEFAULT_PROMPT_CALIBRATION;
  const describe = (s: LengthSpec): string => (typeof s === 'number' ? String(s) : JSON.stringify(s));
  return {
    name: `synthetic(in=${describe(options.inputTokens)}, out=${describe(options.outputTokens)})`,
    request(index) {
      const rng = root.fork(index);
      const words = wordsForTokens(drawLength(options.inputTokens, rng), calibration);
      const maxTokens = drawLength(options.outputTokens, rng);
      return { prompt: randomWords(words, rng), promptTokens: tokensForWords(words, calibration), maxTokens };
    },
  };
}
