// Opens a study's journal: creates it with its header, or (resuming) reads it back through the codec.
import { existsSync } from 'node:fs';
import { JournalExistsError, JournalMismatchError } from '../../errors.js';
import type { StudyIdentity } from '../study-identity.js';
import type { TrialRecord } from '../trial-record.js';
import { journalTrials } from './journal-trials.js';
import { JOURNAL_FORMAT_VERSION } from './journal-types.js';
import { JournalWriter, type NewJournalHeader } from './journal-writer.js';
import { optionDifferences } from './option-differences.js';
import { readJournal } from './read-journal.js';
import { upgradeJournal } from './upgrade-journal.js';

/** An open study journal and the trials it already held. */
export interface OpenedJournal {
  writer: JournalWriter;
  history: TrialRecord[];
}

/**
 * Creates the journal, or resumes it when `resume` is set: a torn last line is repaired, a journal of
 * other options is refused (naming the options that differ), and an older format version is rewritten in the current one before appending.
 */
export async function openStudyJournal(
  identity: StudyIdentity,
  header: () => NewJournalHeader,
  resume: boolean,
): Promise<OpenedJournal> {
  const path = identity.journalPath;
  if (!existsSync(path)) return { writer: await JournalWriter.create(path, header()), history: [] };
  if (!resume) throw new JournalExistsError(path);
  const contents = await readJournal(path, { repair: true });
  if (contents.header.fingerprint !== identity.fingerprint)
    throw new JournalMismatchError(path, optionDifferences(contents.header.options, header().options));
  if (contents.header.formatVersion !== JOURNAL_FORMAT_VERSION) await upgradeJournal(path, contents);
  return { writer: await JournalWriter.reopen(path), history: journalTrials(contents.entries) };
}
