// Reads a journal through the codec: every line validated, a torn last line dropped (and cut off on repair).
import { readFile, truncate } from 'node:fs/promises';
import { JournalFormatError, JournalReadError } from '../../errors.js';
import { decodeJournalEntry, decodeJournalHeader } from './journal-codec.js';
import type { JournalContents, JournalEntry, JournalHeader } from './journal-types.js';

/**
 * Reads a journal. Only the last line may be torn (a crash mid-write: no newline, or not JSON); it is
 * dropped, and cut off the file when `repair` is set. Any other bad line is a JournalFormatError.
 */
export async function readJournal(
  path: string,
  options: { repair?: boolean } = {},
): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new JournalReadError(path, { cause: error });
  }
  // Every complete line ends with '\n', so the last element is '' or a line torn before its newline.
  const lines = text.split('\n');
  const torn = lines.pop() ?? '';
  let repairedTail = torn !== '';
  // A line that is not JSON but was the last one written (a torn write followed by nothing) is torn too.
  const last = lines.length - 1;
  let header: JournalHeader | undefined;
  const entries: JournalEntry[] = [];
  let validBytes = 0;
  for (const [i, line] of lines.entries()) {
    const where = { path, line: i + 1 };
    if (line.trim() === '') {
      validBytes += Buffer.byteLength(line) + 1;
      continue;
    }
    try {
      if (header === undefined) header = decodeJournalHeader(line, where);
      else entries.push(decodeJournalEntry(line, header.formatVersion, where));
    } catch (error) {
      const unparsable = error instanceof JournalFormatError && error.cause instanceof SyntaxError;
      if (i === last && !repairedTail && unparsable && header !== undefined) {
        repairedTail = true;
        break;
      }
      throw error;
    }
    validBytes += Buffer.byteLength(line) + 1;
  }
  if (header === undefined) {
    const problem =
      text.trim() === ''
        ? 'empty file: no journal header'
        : 'the header line is incomplete (torn while the study started)';
    throw new JournalFormatError(path, 1, problem);
  }
  if (repairedTail && options.repair) await truncate(path, validBytes);
  return { header, entries, repairedTail };
}
