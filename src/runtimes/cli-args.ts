// The one command-line argument builder for every engine (registry-driven boolean, list and JSON encoding).

import { assertNoErrors } from './param-problem.js';
import type { RuntimeAdapter } from './runtime-adapter.js';
import type { RuntimeName } from './runtime-name.js';
import { toAdapter } from './runtimes.js';
import { type CheckedParam, checkParams } from './validate-params.js';

// The spelling that turns a switch off: vLLM's `--no-x`, llama.cpp's long negation (`--no-cont-batching`).
function negativeSpelling(param: CheckedParam): string | undefined {
  const { flag } = param;
  const negations = flag.negations ?? [];
  const long = negations.find((n) => n.startsWith('--')) ?? negations[0];
  if (long) return long;
  if (flag.action === 'BooleanOptionalAction') return `--no-${flag.name.replace(/^-+/, '')}`;
  return undefined;
}

/** Encodes one checked parameter into argv words. */
export function encodeParam(param: CheckedParam): string[] {
  const { flag, checked } = param;
  if (checked.kind === 'bool') {
    if (checked.on) return [flag.name];
    const negative = negativeSpelling(param);
    // Switches that are off by default need nothing to stay off (never `--flag false`).
    return negative ? [negative] : [];
  }
  if (checked.kind === 'text') return [flag.name, checked.text];
  if (flag.action === 'append') return checked.items.flatMap((item) => [flag.name, item]);
  return [flag.name, ...checked.items];
}

/**
 * Builds the engine flags for a configuration: names in any spelling (`max_num_seqs`, `--max-num-seqs`),
 * presets expanded, booleans in the engine's own style, lists and JSON encoded, sorted by flag name.
 * Throws InvalidParameterError when validation finds an error; warnings do not stop it.
 */
export function buildCliArgs(
  params: Record<string, unknown>,
  runtime: RuntimeName | RuntimeAdapter,
): string[] {
  const adapter = toAdapter(runtime);
  const { params: checked, problems } = checkParams(params, adapter);
  assertNoErrors(problems, params);
  return checked.flatMap(encodeParam);
}
