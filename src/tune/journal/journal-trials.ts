// The trial records and the result held by decoded journal entries.
import type { TrialRecord } from '../trial-record.js';
import type { JournalEntry, ResultEntry } from './journal-types.js';

/** Trial records in journal order (a later entry for the same number replaces an earlier one in place). */
export function journalTrials(entries: readonly JournalEntry[]): TrialRecord[] {
  const byNumber = new Map<number, TrialRecord>();
  for (const entry of entries) {
    if (entry.type !== 'trial') continue;
    const { type: _type, ...record } = entry;
    byNumber.set(record.number, record);
  }
  return [...byNumber.values()];
}

/** The last `result` entry, when the study finished. */
export function journalResult(entries: readonly JournalEntry[]): ResultEntry | undefined {
  let result: ResultEntry | undefined;
  for (const entry of entries) if (entry.type === 'result') result = entry;
  return result;
}
