// Command-line values read as the user typed them: numbers are checked after parsing, with the study's or the
// command's other problems, so that one error names every wrong flag and value at once.
import type { OptionProblem } from '../tune/options-error.js';

/**
 * The positive number (`integer`: whole) a flag's text gives; undefined for an absent flag, or with a problem
 * naming the flag and the text pushed to `problems` when the text is not one.
 */
export function positiveFlag(
  problems: OptionProblem[],
  option: string,
  raw: string | undefined,
  integer: boolean,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))) return n;
  problems.push({ path: option, value: raw, expected: integer ? 'a positive integer' : 'a positive number' });
  return undefined;
}

/** Appends a repeatable option's value to the ones before it. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
