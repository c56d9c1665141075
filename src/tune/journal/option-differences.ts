// Which fingerprinted options differ between a journal's header and the options resuming it.
import type { OptionDifference } from '../../errors.js';
import { redactValue } from '../../util/redact.js';
import { canonicalJson } from '../canonical-json.js';
import type { ParsedTuneOptions } from '../options-schema.js';
import { fingerprintedOptions } from '../study-identity.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function collect(path: string, journal: unknown, options: unknown, out: OptionDifference[]): void {
  if (canonicalJson(journal) === canonicalJson(options)) return;
  if (isRecord(journal) && isRecord(options)) {
    const keys = [...new Set([...Object.keys(journal), ...Object.keys(options)])].sort();
    for (const key of keys) collect(path ? `${path}.${key}` : key, journal[key], options[key], out);
    return;
  }
  out.push({ path, journal, options });
}

/**
 * The leaves (dotted paths) where the options a study fingerprints differ, both sides redacted first so that
 * no secret reaches the message; a secret that differs only in its hidden value is not listed.
 */
export function optionDifferences(journal: unknown, options: unknown): OptionDifference[] {
  // Headers type their options loosely: the journal's are as read back, not re-validated.
  const picked = (value: unknown) =>
    redactValue(isRecord(value) ? fingerprintedOptions(value as ParsedTuneOptions) : {});
  const out: OptionDifference[] = [];
  collect('', picked(journal), picked(options), out);
  return out;
}
