// Appends durable journal lines through the codec: a header, then entries, each redacted and fsync'd.
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JournalExistsError, JournalWriteError } from '../../errors.js';
import { redactValue } from '../../util/redact.js';
import { encodeJournalLine } from './journal-codec.js';
import { JOURNAL_FORMAT_VERSION, type JournalEntry, type JournalHeader } from './journal-types.js';

/** What a new journal's header says; the writer adds the line type and the format version. */
export type NewJournalHeader = Omit<JournalHeader, 'type' | 'formatVersion'>;

type FileHandle = Awaited<ReturnType<typeof open>>;

/** An open journal that appends durable lines. */
export class JournalWriter implements AsyncDisposable {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates a new journal (refusing to overwrite one) and writes its header. */
  static async create(path: string, header: NewJournalHeader): Promise<JournalWriter> {
    let handle: FileHandle;
    try {
      await mkdir(dirname(path), { recursive: true });
      handle = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new JournalExistsError(path, { cause: error });
      throw new JournalWriteError(path, { cause: error });
    }
    const writer = new JournalWriter(path, handle);
    await writer.writeLine({ ...header, type: 'header', formatVersion: JOURNAL_FORMAT_VERSION });
    return writer;
  }

  /** Opens an existing journal of the current format version for appending (after readJournal repaired it). */
  static async reopen(path: string): Promise<JournalWriter> {
    try {
      return new JournalWriter(path, await open(path, 'a'));
    } catch (error) {
      throw new JournalWriteError(path, { cause: error });
    }
  }

  /** Appends one entry (redacted) and waits until it is on disk. */
  async append(entry: JournalEntry): Promise<void> {
    await this.writeLine(entry);
  }

  private async writeLine(line: JournalHeader | JournalEntry): Promise<void> {
    try {
      await this.handle.appendFile(`${encodeJournalLine(redactValue(line))}\n`, 'utf8');
      await this.handle.datasync();
    } catch (error) {
      throw new JournalWriteError(this.path, { cause: error });
    }
  }

  /** Closes the file; closing twice is harmless. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
