// The one codec of journal lines: encodes headers and entries (format version 2) and decodes, validating,
// the lines of every format version this library reads. Every other module goes through it.
import type { z } from 'zod';
import { JournalFormatError } from '../../errors.js';
import { entrySchemas, headerSchema } from './entry-schemas.js';
import { decodeJournalJson, encodeJournalJson } from './journal-json.js';
import type { JournalEntry, JournalFormatVersion, JournalHeader } from './journal-types.js';

/** Where a line comes from, for error messages. */
export interface LineSource {
  path: string;
  /** 1-based line number. */
  line: number;
}

/** Encodes a header or an entry as one journal line (without the newline), in format version 2. */
export function encodeJournalLine(value: JournalHeader | JournalEntry): string {
  return encodeJournalJson(value);
}

function parse(text: string, version: JournalFormatVersion, where: LineSource): unknown {
  try {
    return version === 1 ? JSON.parse(text) : decodeJournalJson(text);
  } catch (error) {
    throw new JournalFormatError(where.path, where.line, 'not valid JSON (truncated or garbled)', {
      cause: error,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// The first few problems zod found, each with the field it concerns.
function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${issues.join('; ')}${more}`;
}

/** Decodes the first line of a journal; a line that is not a header of a known format version is an error. */
export function decodeJournalHeader(text: string, where: LineSource): JournalHeader {
  const raw = parse(text, 1, where);
  if (!isObject(raw) || raw['type'] !== 'header') {
    throw new JournalFormatError(
      where.path,
      where.line,
      'not an inference-autotuner journal (no header line)',
    );
  }
  const version = raw['formatVersion'];
  if (version !== 1 && version !== 2) {
    throw new JournalFormatError(
      where.path,
      where.line,
      `format version ${JSON.stringify(version)} is not one this library reads (1 or 2); a newer inference-autotuner wrote it`,
    );
  }
  const parsed = headerSchema.safeParse(version === 1 ? raw : parse(text, version, where));
  if (!parsed.success) {
    throw new JournalFormatError(where.path, where.line, `invalid header: ${describeIssues(parsed.error)}`);
  }
  return { ...parsed.data, options: parsed.data.options };
}

/** Decodes one line after the header, read as the journal's format version. */
export function decodeJournalEntry(
  text: string,
  version: JournalFormatVersion,
  where: LineSource,
): JournalEntry {
  const raw = parse(text, version, where);
  if (!isObject(raw))
    throw new JournalFormatError(where.path, where.line, 'not a journal entry (not an object)');
  const type = raw['type'];
  if (type !== 'trial' && type !== 'result') {
    throw new JournalFormatError(
      where.path,
      where.line,
      `not a journal entry: type ${JSON.stringify(type)} (expected "trial" or "result")`,
    );
  }
  const parsed = entrySchemas[version][type].safeParse(raw);
  if (!parsed.success) {
    throw new JournalFormatError(
      where.path,
      where.line,
      `invalid ${type} entry: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}
