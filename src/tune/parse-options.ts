// Validates study options against the schema and reports every structural problem at once.
import { z } from 'zod';
import { editDistance } from '../util/edit-distance.js';
import { describeIssue, formatPath, valueAt } from '../util/zod-issues.js';
import { type OptionProblem, OptionsError } from './options-error.js';
import { type ParsedTuneOptions, tuneOptionsSchema } from './options-schema.js';

// The values a discriminated top-level option accepts for its discriminator, read from the schema.
function discriminatorValues(path: PropertyKey[], discriminator: string): string | undefined {
  const shape: Record<string, z.ZodType> = tuneOptionsSchema.shape;
  let schema: z.ZodType | undefined = path.length === 2 ? shape[String(path[0])] : undefined;
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional)
    schema = schema.unwrap() as z.ZodType;
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return undefined;
  const values = schema.options.flatMap((option) => {
    const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
    return literal instanceof z.ZodLiteral ? [...literal.values].map(String) : [];
  });
  return values.length > 0 ? values.join(', ') : undefined;
}

// For a failed union, report the branch the value was evidently meant for (its type matched),
// else list what each branch expects.
function unionProblems(
  issue: z.core.$ZodIssueInvalidUnion,
  input: unknown,
  path: PropertyKey[],
): OptionProblem[] {
  const atValue = valueAt(input, issue.path);
  if ('discriminator' in issue && issue.discriminator) {
    const key = formatPath(path);
    const accepted = discriminatorValues(path, issue.discriminator);
    return [{ path: key, value: atValue, expected: `one of ${accepted ?? 'the supported kinds'}` }];
  }
  const matching = issue.errors.filter(
    (branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'),
  );
  const best = matching.sort((a, b) => a.length - b.length)[0];
  if (best && best.length > 0)
    return problemsFromZod({ issues: best } as unknown as z.ZodError, atValue, path);
  const expectations = new Set(
    issue.errors.flatMap((branch) => branch.filter((i) => i.path.length === 0).map(describeIssue)),
  );
  return [
    {
      path: formatPath(path),
      value: atValue,
      expected: [...expectations].join(', or ') || 'one of the accepted forms',
    },
  ];
}

const unwrapped = (schema: z.ZodType | undefined): z.ZodType | undefined => {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
};

// The option names the schema accepts in the object at `path` of `input` (the branch its `kind` picks), if any.
function keysAt(path: readonly PropertyKey[], input: unknown): string[] | undefined {
  let schema: z.ZodType | undefined = tuneOptionsSchema;
  for (let i = 0; ; i++) {
    schema = unwrapped(schema);
    if (schema instanceof z.ZodDiscriminatedUnion) {
      const discriminator = schema.def.discriminator;
      const chosen = valueAt(input, [...path.slice(0, i), discriminator]);
      schema = schema.options.find((option) => {
        const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
        return literal instanceof z.ZodLiteral && literal.values.has(chosen as never);
      }) as z.ZodType | undefined;
    }
    if (!(schema instanceof z.ZodObject)) return undefined;
    if (i === path.length) return Object.keys(schema.shape);
    schema = (schema.shape as Record<string, z.ZodType>)[String(path[i])];
  }
}

// What an unknown option name was probably meant to be: a near spelling of a name accepted where it stands, or
// a top-level option written inside another.
function unknownKeyHint(path: readonly PropertyKey[], key: string, input: unknown): string {
  const known = keysAt(path, input) ?? [];
  const threshold = Math.max(2, Math.floor(key.length / 3));
  const near = known
    .map((name) => ({ name, distance: editDistance(key.toLowerCase(), name.toLowerCase()) }))
    .filter((c) => c.distance <= threshold)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))[0];
  if (near) return `; did you mean \`${near.name}\`?`;
  if (path.length > 0 && key in tuneOptionsSchema.shape) return `; \`${key}\` is a top-level option`;
  return '';
}

/** Turns zod issues into option problems (unknown keys become one problem per key). */
export function problemsFromZod(
  error: z.ZodError,
  input: unknown,
  prefix: PropertyKey[] = [],
): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // Hints only where the path is the options' own (not inside a union branch's value).
        const hint = prefix.length === 0 ? unknownKeyHint(issue.path, key, input) : '';
        problems.push({
          path: formatPath([...path, key]),
          value: valueAt(input, [...issue.path, key]),
          expected: `no such option (unknown key)${hint}`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      problems.push(...unionProblems(issue, input, path));
      continue;
    }
    problems.push({
      path: formatPath(path),
      value: valueAt(input, issue.path),
      expected: describeIssue(issue),
    });
  }
  return problems;
}

/** The options that passed the schema one by one (with their defaults), and every structural problem. */
export interface OptionParts {
  /** Each top-level option whose own schema accepted it; the others are absent. */
  parts: Partial<ParsedTuneOptions>;
  /** Every structural problem (empty when the whole input is valid). */
  problems: OptionProblem[];
  /** The whole input parsed, when it has no structural problem. */
  options?: ParsedTuneOptions;
}

/**
 * Structural validation that keeps going: the problems of the whole input, and the options that are valid on
 * their own, so that later checks can still judge those parts of an input whose other parts are broken.
 */
export function parseOptionParts(input: unknown): OptionParts {
  const result = tuneOptionsSchema.safeParse(input);
  if (result.success) return { parts: result.data, problems: [], options: result.data };
  const problems = problemsFromZod(result.error, input);
  const raw: Record<string, unknown> =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : {};
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(tuneOptionsSchema.shape)) {
    const part = (schema as z.ZodType).safeParse(raw[key]);
    if (part.success && part.data !== undefined) parts[key] = part.data;
  }
  return { parts: parts as Partial<ParsedTuneOptions>, problems };
}

/** Structural validation plus defaults; throws OptionsError listing every problem. */
export function parseOptionsSchema(input: unknown): ParsedTuneOptions {
  const result = tuneOptionsSchema.safeParse(input);
  if (!result.success) throw new OptionsError(problemsFromZod(result.error, input));
  return result.data;
}
