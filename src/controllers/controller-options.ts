// Shared validation of controller options: a zod schema per controller, every problem reported at once as one
// typed error naming each option and its bad value.
import { z } from 'zod';
import { InvalidOptionsError, type OptionProblemInfo } from '../errors.js';
import { redactValue } from '../util/redact.js';
import { describeIssue, formatPath, valueAt } from '../util/zod-issues.js';

// Plain data is redacted before it reaches a message; clients and functions are shown by their type only.
function shown(value: unknown): unknown {
  if (typeof value === 'function') return '[function]';
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
      return `[${value.constructor?.name ?? 'object'}]`;
  }
  return redactValue(value);
}

/** The problems zod found in `input`, each with the option's path, its (redacted) value and what is accepted. */
export function optionProblems(error: z.ZodError, input: unknown): OptionProblemInfo[] {
  return error.issues.flatMap((issue): OptionProblemInfo[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        option: formatPath([...issue.path, key]),
        value: shown(valueAt(input, [...issue.path, key])),
        expected: 'no such option (unknown key)',
      }));
    return [
      {
        option: formatPath(issue.path),
        value: shown(valueAt(input, issue.path)),
        expected: describeIssue(issue),
      },
    ];
  });
}

/** Validates `input` against `schema`; throws `InvalidOptionsError` listing every problem. */
export function parseControllerOptions<Schema extends z.ZodType>(
  component: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new InvalidOptionsError(component, optionProblems(result.error, input));
  return result.data;
}

/** Building blocks the controllers' schemas share. */
export const optionTypes = {
  /** A finite number >= 0 (durations, grace periods). */
  nonNegativeMs: z.number().finite().min(0),
  /** A finite number > 0 (intervals). */
  positiveMs: z.number().finite().positive(),
  /** An integer >= 1 (counts, capacities). */
  count: z.number().int().min(1),
  /** A non-empty string. */
  text: z.string().min(1),
  /** A function (hooks, port pickers). */
  fn: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'a function'),
  /** An object given by the caller (a client, a logger). */
  object: z.custom<object>((v) => v !== null && typeof v === 'object', 'an object'),
  /** A clock: an object with `now()` and `wallMs()`. */
  clock: z.custom<object>(
    (v) =>
      v !== null &&
      typeof v === 'object' &&
      typeof (v as { now?: unknown }).now === 'function' &&
      typeof (v as { wallMs?: unknown }).wallMs === 'function',
    'a clock with now() and wallMs()',
  ),
} as const;
