// Append-only JSON-lines study journal: a header, then one line per finished trial, each fsync'd.
import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JournalError } from '../errors.js';
import { redactValue } from '../util/redact.js';

/** First line of every journal: identifies the study and the options it was written with. */
export interface JournalHeader {
  type: 'header';
  formatVersion: 1;
  studyId: string;
  /** Fingerprint of the options that decide what the study computes (resume refuses a different one). */
  fingerprint: string;
  seed: number;
  createdAt: string;
  library: { name: string; version: string };
  /** The study options (redacted), for humans and reports. */
  options: unknown;
}

/** Any later journal line. */
export interface JournalEntry {
  type: string;
  [key: string]: unknown;
}

/** What a journal holds after reading: the header and every complete entry. */
export interface JournalContents {
  header: JournalHeader;
  entries: JournalEntry[];
  /** True when a torn last line (a crash mid-write) was dropped. */
  repairedTail: boolean;
}

/** Reads a journal; a torn final line is ignored (and cut off when `repair` is set). */
export async function readJournal(
  path: string,
  options: { repair?: boolean } = {},
): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new JournalError(`Cannot read journal ${path}: ${(error as Error).message}`, 'ERR_JOURNAL_READ', {
      cause: error,
    });
  }
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  let header: JournalHeader | undefined;
  let validBytes = 0;
  let repairedTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const isLast = i === lines.length - 1;
    if (line.trim() === '') {
      if (!isLast) validBytes += Buffer.byteLength(line) + 1;
      continue;
    }
    let parsed: JournalEntry;
    try {
      parsed = JSON.parse(line) as JournalEntry;
    } catch (error) {
      // Only the last line may be torn by a crash; anything earlier is corruption.
      if (isLast || (i === lines.length - 2 && lines[lines.length - 1] === '')) {
        repairedTail = true;
        break;
      }
      throw new JournalError(`Journal ${path} line ${i + 1} is not valid JSON`, 'ERR_JOURNAL_CORRUPT', {
        cause: error,
      });
    }
    if (isLast) {
      // A complete record always ends with a newline; a last line without one was torn.
      repairedTail = true;
      break;
    }
    validBytes += Buffer.byteLength(line) + 1;
    if (header === undefined) {
      if (parsed.type !== 'header' || parsed['formatVersion'] !== 1) {
        throw new JournalError(
          `${path} is not an inference-autotuner journal (no header line)`,
          'ERR_JOURNAL_CORRUPT',
        );
      }
      header = parsed as unknown as JournalHeader;
    } else {
      entries.push(parsed);
    }
  }
  if (!header) throw new JournalError(`Journal ${path} is empty`, 'ERR_JOURNAL_CORRUPT');
  if (repairedTail && options.repair) await truncate(path, validBytes);
  return { header, entries, repairedTail };
}

/** An open journal that appends durable lines. */
export class JournalWriter implements AsyncDisposable {
  private constructor(
    readonly path: string,
    private readonly handle: Awaited<ReturnType<typeof open>>,
  ) {}

  /** Creates a new journal (refusing to overwrite one) and writes its header. */
  static async create(path: string, header: JournalHeader): Promise<JournalWriter> {
    await mkdir(dirname(path), { recursive: true });
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new JournalError(
          `Journal ${path} already exists; resume it or choose another journal path`,
          'ERR_JOURNAL_EXISTS',
          { cause: error },
        );
      }
      throw new JournalError(
        `Cannot create journal ${path}: ${(error as Error).message}`,
        'ERR_JOURNAL_WRITE',
        { cause: error },
      );
    }
    const writer = new JournalWriter(path, handle);
    await writer.append(header as unknown as JournalEntry);
    return writer;
  }

  /** Opens an existing journal for appending (after readJournal repaired its tail). */
  static async reopen(path: string): Promise<JournalWriter> {
    return new JournalWriter(path, await open(path, 'a'));
  }

  /** Appends one entry (redacted) and waits until it is on disk. */
  async append(entry: JournalEntry): Promise<void> {
    await this.handle.appendFile(`${JSON.stringify(redactValue(entry))}\n`, 'utf8');
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
