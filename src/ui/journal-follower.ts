// Follows a journal as a study appends to it: the header, then every complete entry line once, as it lands.
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJournalEntry, decodeJournalHeader } from '../tune/journal/journal-codec.js';
import type { JournalEntry, JournalHeader } from '../tune/journal/journal-types.js';

/** Options of followJournal. */
export interface FollowOptions {
  /** Ends the following. */
  signal: AbortSignal;
  /** How often the file is looked at for new lines. @default 250 */
  pollMs?: number;
  /** Every batch of new entries (the first holds everything already written). */
  onEntries: (entries: JournalEntry[], header: JournalHeader) => void;
}

/**
 * Reads the journal from its start, then the lines appended to it, until the signal aborts. Only complete lines
 * (ending in a newline) are decoded, through the journal codec. Resolves when aborted; rejects on a bad line.
 */
export async function followJournal(path: string, options: FollowOptions): Promise<void> {
  const { signal, pollMs = 250, onEntries } = options;
  let offset = 0;
  let carry = '';
  let header: JournalHeader | undefined;
  let line = 0;
  const handle = await open(path, 'r');
  try {
    while (!signal.aborted) {
      const { size } = await handle.stat();
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        const lines = (carry + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
        carry = lines.pop() ?? '';
        const entries: JournalEntry[] = [];
        for (const text of lines) {
          line++;
          if (text.trim() === '') continue;
          if (header === undefined) header = decodeJournalHeader(text, { path, line });
          else entries.push(decodeJournalEntry(text, header.formatVersion, { path, line }));
        }
        if (header && (entries.length > 0 || line === lines.length)) onEntries(entries, header);
      }
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await handle.close();
  }
}
