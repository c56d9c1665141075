// How each journal format version reads a number field: version 2 stores every number exactly, version 1
// wrote `null` for a number JSON cannot carry, so its reader needs to know what that field's `null` meant.
import { z } from 'zod';

/** Builds the schema of one number field; `nullMeans` is the value a version-1 `null` stood for there. */
export type NumberField = (nullMeans: number) => z.ZodType<number>;

// Any JS number, Infinity and NaN included (z.number() refuses them).
const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });

/** Version 2: numbers are exact on disk (see journal-json.ts), so `null` is an error. */
export const exactNumber: NumberField = () => anyNumber;

/** Version 1: `null` is the non-finite value the field held (Infinity for minimised values, NaN otherwise). */
export const nullableNumber: NumberField = (nullMeans) =>
  z.union([anyNumber, z.null().transform(() => nullMeans)]);

/** What a version-1 `null` meant in a field that holds a minimised value, constraint or penalty. */
export const NULL_MEANS_UNMET = Number.POSITIVE_INFINITY;
/** What a version-1 `null` meant in any other number field (a value that could not be computed). */
export const NULL_MEANS_UNKNOWN = Number.NaN;
