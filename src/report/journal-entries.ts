// Reads the trial records and the final result out of a study journal's entries.
import type { JournalEntry } from '../tune/journal.js';
import type { TrialRecord } from '../tune/trial-record.js';

/** The `result` entry a finished study writes last: TuneResult without the trials. */
export interface ResultEntry {
  type: 'result';
  stopReason?: string;
  objectiveNames?: string[];
  directions?: Array<'minimize' | 'maximize'>;
  best?: Record<string, unknown>;
  /** Pareto trials as numbers or records. */
  pareto?: Array<number | { number: number }>;
  confirmation?: unknown;
  defaults?: unknown;
  elapsedMs?: number;
  [key: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// A trial entry either wraps the record (`{ type, record }`) or spreads it next to `type`.
function asTrialRecord(entry: JournalEntry): TrialRecord | undefined {
  const inner = isObject(entry['record'])
    ? entry['record']
    : isObject(entry['trial'])
      ? entry['trial']
      : entry;
  const { type: _type, ...record } = inner as Record<string, unknown>;
  if (typeof record['number'] !== 'number' || typeof record['state'] !== 'string') return undefined;
  if (!isObject(record['params'])) return undefined;
  // JSON writes Infinity and NaN as null: a minimised value or a constraint that was not finite.
  for (const key of ['values', 'constraints'] as const) {
    const list = record[key];
    if (Array.isArray(list))
      record[key] = list.map((v) => (typeof v === 'number' ? v : Number.POSITIVE_INFINITY));
  }
  if (Array.isArray(record['objective'])) {
    record['objective'] = record['objective'].map((v) => (typeof v === 'number' ? v : Number.NaN));
  }
  return record as unknown as TrialRecord;
}

/** Trial records in number order (a later entry for the same number replaces an earlier one). */
export function trialsFromEntries(entries: readonly JournalEntry[]): TrialRecord[] {
  const byNumber = new Map<number, TrialRecord>();
  for (const entry of entries) {
    if (entry.type !== 'trial') continue;
    const record = asTrialRecord(entry);
    if (record) byNumber.set(record.number, record);
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/** The last `result` entry, when the study finished. */
export function resultFromEntries(entries: readonly JournalEntry[]): ResultEntry | undefined {
  let result: ResultEntry | undefined;
  for (const entry of entries) if (entry.type === 'result') result = entry as ResultEntry;
  return result;
}
