// The benchmark workload of a study, built from its options.
import { loadDatasetWorkload } from '../benchmark/dataset-workload.js';
import { sharedPrefixWorkload } from '../benchmark/shared-prefix-workload.js';
import { type LengthSpec, syntheticWorkload } from '../benchmark/synthetic-workload.js';
import type { Workload } from '../benchmark/workload.js';
import type { ParsedTuneOptions } from './options-schema.js';

function fixedTokens(spec: LengthSpec): number {
  if (typeof spec === 'number') return spec;
  if (spec.kind === 'fixed') return spec.tokens;
  if (spec.kind === 'uniform') return Math.round((spec.min + spec.max) / 2);
  return Math.round(spec.mean);
}

/** Builds the workload; the seed makes synthetic draws repeatable per trial. */
export async function buildWorkload(
  spec: ParsedTuneOptions['workload'],
  seed: number,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Workload> {
  switch (spec.kind) {
    case 'synthetic':
      return syntheticWorkload({ inputTokens: spec.inputTokens, outputTokens: spec.outputTokens, seed });
    case 'jsonl':
    case 'sharegpt':
      return loadDatasetWorkload(
        spec.path,
        spec.outputTokens !== undefined ? { defaultOutputTokens: fixedTokens(spec.outputTokens) } : {},
        {
          ...(signal ? { signal } : {}),
        },
      );
    case 'shared-prefix':
      return sharedPrefixWorkload({
        prefixCount: spec.prefixes,
        suffixesPerPrefix: spec.suffixesPerPrefix,
        prefixTokens: spec.prefixTokens,
        suffixTokens: spec.suffixTokens,
        outputTokens: fixedTokens(spec.outputTokens),
        seed,
      });
  }
}
