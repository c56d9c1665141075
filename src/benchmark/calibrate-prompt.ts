// Calibration of prompt lengths against a server's own tokenizer, through its reported usage.
import { BenchmarkError } from '../errors.js';
import { createRng } from '../util/rng.js';
import type { BenchmarkOptions } from './benchmark-options.js';
import { type PromptCalibration, randomWords } from './prompt-text.js';
import { runBenchmark } from './run-benchmark.js';
import type { Workload } from './workload.js';

/** What calibratePrompt measured. */
export interface PromptCalibrationResult extends PromptCalibration {
  /** Reported prompt tokens of each probe, keyed by its word count. */
  observed: { words: number; promptTokens: number }[];
  /** Largest |predicted - reported| over every probe (0 when the server counts words linearly). */
  maxResidualTokens: number;
}

/** Options of calibratePrompt: where to send the probes (load, workload and stop are fixed). */
export type CalibratePromptOptions = Pick<
  BenchmarkOptions,
  'endpoint' | 'model' | 'api' | 'apiKey' | 'extraBody' | 'timeoutMs' | 'logger'
> & {
  /** Word counts of the probes; the first two fit the line, every one checks it. @default [16, 64, 40] */
  probeWords?: number[];
};

/**
 * Sends a few one-token requests whose prompts are random single-token words and fits
 * `prompt_tokens = overheadTokens + tokensPerWord * words` to the server's reported usage (the first two probes
 * fix the line, all probes check it). The overhead captures a BOS token or a chat template. Throws
 * BenchmarkError when a probe fails or the server reports no usage.
 */
export async function calibratePrompt(
  options: CalibratePromptOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<PromptCalibrationResult> {
  const probeWords = options.probeWords ?? [16, 64, 40];
  const rng = createRng(0x5eed);
  const prompts = probeWords.map((w) => randomWords(w, rng.fork(w)));
  const workload: Workload = {
    name: 'prompt-calibration',
    request: (i) => ({ prompt: prompts[i] as string, maxTokens: 1 }),
  };
  const result = await runBenchmark(
    {
      ...options,
      workload,
      load: { kind: 'concurrency', concurrency: 1 },
      stop: { maxRequests: probeWords.length },
    },
    { signal },
  );
  const observed = [...result.records]
    .sort((a, b) => a.index - b.index)
    .map((r) => {
      if (r.status !== 'ok')
        throw new BenchmarkError(`prompt calibration request failed: ${r.error ?? r.status}`);
      if (!r.usageReported || r.promptTokens === undefined) {
        throw new BenchmarkError(
          'prompt calibration needs usage.prompt_tokens, which the server did not report',
        );
      }
      return { words: probeWords[r.index] as number, promptTokens: r.promptTokens };
    });
  const [a, b] = observed as [(typeof observed)[0], (typeof observed)[0]];
  const tokensPerWord = (b.promptTokens - a.promptTokens) / (b.words - a.words);
  const overheadTokens = a.promptTokens - tokensPerWord * a.words;
  const maxResidualTokens = Math.max(
    ...observed.map((o) => Math.abs(overheadTokens + tokensPerWord * o.words - o.promptTokens)),
  );
  return { overheadTokens, tokensPerWord, observed, maxResidualTokens };
}
