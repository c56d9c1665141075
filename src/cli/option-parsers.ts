// Parsers of numeric command-line values: commander reports a rejected value as a usage error naming the
// option and the value (`option '--max-trials <n>' argument '-1' is invalid. expected a positive integer`).
import { InvalidArgumentError } from 'commander';

/** A whole number above zero. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Appends a repeatable option's value to the ones before it. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
