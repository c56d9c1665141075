// The lines of a study journal (JSON lines): one header, then trial entries, then the result of a finished study.
import type { Confirmation } from '../confirm.js';
import type { BestConfig, DefaultsComparison } from '../result.js';
import type { TrialRecord } from '../trial-record.js';

/** Format version this library writes (version 1 journals are still read). */
export const JOURNAL_FORMAT_VERSION = 2 as const;

/** Format versions this library reads. */
export type JournalFormatVersion = 1 | 2;

/** First line of every journal: identifies the study and the options it was written with. */
export interface JournalHeader {
  type: 'header';
  formatVersion: JournalFormatVersion;
  studyId: string;
  /** Fingerprint of the options that decide what the study computes (resume refuses a different one). */
  fingerprint: string;
  seed: number;
  createdAt: string;
  library: { name: string; version: string };
  /** The study options (redacted), for humans and reports. */
  options: unknown;
}

/** One finished trial: the record spread beside `type`. */
export type TrialEntry = { type: 'trial' } & TrialRecord;

/** The recommendation as journaled (journals written before caveats were recorded have none). */
export type JournaledBestConfig = Omit<BestConfig, 'caveats'> & { caveats?: string[] | undefined };

/** The comparison with the defaults as journaled: journals written before verdicts hold only its first three fields. */
export type JournaledDefaultsComparison = Pick<
  DefaultsComparison,
  'defaultsTrial' | 'defaultsFeasible' | 'improvement'
> &
  Partial<Omit<DefaultsComparison, 'defaultsTrial' | 'defaultsFeasible' | 'improvement'>>;

/** The last line of a finished study: its result without the trials, the Pareto front as trial numbers. */
export interface ResultEntry {
  type: 'result';
  studyId?: string | undefined;
  journalPath?: string | undefined;
  stopReason: string;
  objectiveNames: string[];
  directions: Array<'minimize' | 'maximize'>;
  best?: JournaledBestConfig | undefined;
  pareto: number[];
  confirmation?: Confirmation | undefined;
  defaults?: JournaledDefaultsComparison | undefined;
  /** Wall time of the run that finished the study. */
  elapsedMs: number;
  /** Wall time across every run of the study (journals written before it was recorded have none). */
  totalElapsedMs?: number | undefined;
}

/** Any journal line after the header. */
export type JournalEntry = TrialEntry | ResultEntry;

/** What a journal holds after reading: the header and every complete entry, decoded. */
export interface JournalContents {
  header: JournalHeader;
  entries: JournalEntry[];
  /** True when a torn last line (a crash mid-write) was dropped. */
  repairedTail: boolean;
}
