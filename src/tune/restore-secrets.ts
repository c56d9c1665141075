// Puts real secrets back where options hold the placeholder a journal keeps instead (options read back
// from a journal header), so a resumed study never hands `[REDACTED]` to an engine.
import { MissingSecretError } from '../errors.js';
import { REDACTED } from '../util/redact.js';
import type { ParsedTuneOptions } from './options-schema.js';

// Where each secret option comes from when the journal's placeholder stands in for it.
const HF_TOKEN_VARIABLE = 'HF_TOKEN';

// Any placeholder left anywhere else in the options: those values can only come from the study file.
function firstRedactedPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(REDACTED) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstRedactedPath(item, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = firstRedactedPath(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Returns the options with every redacted secret replaced by the environment variable of the same name
 * (`hfToken` from HF_TOKEN, `env.X` from X); throws MissingSecretError naming the first one that is not set,
 * or any other redacted option (only the study file has it).
 */
export function restoreSecrets(
  options: ParsedTuneOptions,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): ParsedTuneOptions {
  const fromEnvironment = (option: string, variable: string): string => {
    const value = environment[variable];
    if (!value || value.includes(REDACTED)) throw new MissingSecretError(option, variable);
    return value;
  };
  const env = Object.fromEntries(
    Object.entries(options.env).map(([key, value]) => [
      key,
      value.includes(REDACTED) ? fromEnvironment(`env.${key}`, key) : value,
    ]),
  );
  const restored: ParsedTuneOptions = { ...options, env };
  if (options.hfToken?.includes(REDACTED)) restored.hfToken = fromEnvironment('hfToken', HF_TOKEN_VARIABLE);
  const left = firstRedactedPath(restored, '');
  if (left) throw new MissingSecretError(left, undefined);
  return restored;
}
