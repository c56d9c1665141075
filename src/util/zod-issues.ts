// Reading zod's validation issues as option problems: the option's dotted path, its value and what is accepted.
import type { z } from 'zod';

// "1 item", "3 characters".
function count(n: number | bigint, origin: string): string {
  const noun = origin === 'array' ? 'item' : 'character';
  return `${String(n)} ${noun}${Number(n) === 1 ? '' : 's'}`;
}

// Whether the value is absent: zod carries the input only when asked (`reportInput`), its message says it always.
function isMissing(issue: z.core.$ZodIssue): boolean {
  if ('input' in issue) return issue.input === undefined;
  return /received undefined$/.test(issue.message);
}

/** What an issue says would have been accepted, in words. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return isMissing(issue)
        ? `a value of type ${issue.expected} (required)`
        : `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'a non-empty string';
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${count(issue.minimum, issue.origin)}`
        : `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${count(issue.maximum, issue.origin)}`
        : `a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `a value matching ${String(issue.pattern)}` : issue.message;
    case 'invalid_union':
      return 'one of the accepted forms (see the documentation of this option)';
    default:
      return issue.message;
  }
}

/** Formats a zod-style path (`['slo', 'terms', 0, 'maxMs']`) as `slo.terms[0].maxMs`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Reads the value at a path of a JSON-like object (undefined when absent). */
export function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
