// Schemas of the header and of the entries (trial, result) of a journal, per format version.
import { z } from 'zod';
import type { DefaultsVerdict } from '../result.js';
import { exactNumber, NULL_MEANS_UNKNOWN, type NumberField, nullableNumber } from './journal-numbers.js';
import type { JournalFormatVersion, ResultEntry, TrialEntry } from './journal-types.js';
import { trialRecordObject, trialRecordSchema } from './trial-schema.js';

/** Schema of the header line (the reader checks formatVersion first, to name an unknown one). */
export const headerSchema = z.looseObject({
  type: z.literal('header'),
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  studyId: z.string(),
  fingerprint: z.string(),
  seed: z.number(),
  createdAt: z.string(),
  library: z.looseObject({ name: z.string(), version: z.string() }),
  options: z.unknown(),
});

const count = z.number().int().nonnegative();

// The comparison with the defaults; journals written before verdicts were recorded have only the first three.
function defaultsSchema(value: z.ZodType<number>) {
  const runs = z
    .looseObject({ trials: z.array(count), mean: value.optional(), sd: value.optional() })
    .transform((r) => ({ ...r, mean: r.mean, sd: r.sd }));
  return z
    .looseObject({
      defaultsTrial: count,
      defaultsFeasible: z.boolean(),
      improvement: value.optional(),
      interval: z.looseObject({ low: value, high: value, confidence: value }).optional(),
      // A newer library may judge in words this one does not know yet: any string is read.
      verdict: z
        .custom<DefaultsVerdict>((v) => typeof v === 'string', { message: 'expected a string' })
        .optional(),
      keepDefaults: z.boolean().optional(),
      tunedTrial: count.optional(),
      tunedRuns: runs.optional(),
      defaultsRuns: runs.optional(),
      summary: z.string().optional(),
    })
    .transform((d) => ({ ...d, improvement: d.improvement }));
}

function resultEntrySchema(num: NumberField): z.ZodType<ResultEntry> {
  const value = num(NULL_MEANS_UNKNOWN);
  const record = trialRecordSchema(num);
  const best = z.looseObject({
    trial: count,
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    objective: z.array(value),
    confirmedMean: value.optional(),
    tiedWith: z.array(count),
    record,
    exports: z.looseObject({
      argv: z.string(),
      dockerRun: z.string(),
      compose: z.string(),
      kubernetes: z.string(),
    }),
    // Journals written before caveats were recorded have none.
    caveats: z.array(z.string()).optional(),
  });
  const confirmed = z
    .looseObject({
      trial: count,
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      runs: count,
      feasibleShare: value,
      mean: value.optional(),
      sd: value,
      meanValue: value.optional(),
      standardError: value,
    })
    // JSON drops undefined means; the type keeps them as present-but-undefined keys.
    .transform((c) => ({ ...c, mean: c.mean, meanValue: c.meanValue }));
  return z.looseObject({
    type: z.literal('result'),
    studyId: z.string().optional(),
    journalPath: z.string().optional(),
    stopReason: z.string(),
    objectiveNames: z.array(z.string()),
    directions: z.array(z.enum(['minimize', 'maximize'])),
    best: best.optional(),
    pareto: z.array(count),
    confirmation: z
      .looseObject({ configs: z.array(confirmed), winner: count.optional(), tiedWith: z.array(count) })
      .transform((c) => ({ ...c, winner: c.winner }))
      .optional(),
    defaults: defaultsSchema(value).optional(),
    elapsedMs: value,
    totalElapsedMs: value.optional(),
  });
}

/** Schemas of the lines after the header, by entry type. */
export interface EntrySchemas {
  trial: z.ZodType<TrialEntry>;
  result: z.ZodType<ResultEntry>;
}

function entrySchemasFor(num: NumberField): EntrySchemas {
  return {
    trial: trialRecordObject(num).extend({ type: z.literal('trial') }),
    result: resultEntrySchema(num),
  };
}

/** Entry schemas of each format version. */
export const entrySchemas: Record<JournalFormatVersion, EntrySchemas> = {
  1: entrySchemasFor(nullableNumber),
  2: entrySchemasFor(exactNumber),
};
