// Rewrites a journal of an older format version in the current one, atomically (temp file, fsync, rename).
import { open, rename, rm } from 'node:fs/promises';
import { JournalWriteError } from '../../errors.js';
import { encodeJournalLine } from './journal-codec.js';
import { JOURNAL_FORMAT_VERSION, type JournalContents } from './journal-types.js';

/** Rewrites decoded contents as a current-version journal at `path`, so appended lines share its format. */
export async function upgradeJournal(path: string, contents: JournalContents): Promise<void> {
  const header = { ...contents.header, formatVersion: JOURNAL_FORMAT_VERSION };
  const lines = [header, ...contents.entries].map((line) => `${encodeJournalLine(line)}\n`);
  const temporary = `${path}.upgrade-${process.pid}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(lines.join(''), 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new JournalWriteError(path, { cause: error });
  }
}
