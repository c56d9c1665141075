// JSONL export of raw request records, so any metric can be recomputed elsewhere.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { BenchmarkResult } from './benchmark-result.js';
import type { RequestRecord } from './request-record.js';

/**
 * One JSON line per record, in send order. Times stay relative to the run clock; add `startedAtWallMs` (also
 * on every line as `runStartedAtWallMs`) for wall-clock times.
 */
export function recordsToJsonl(result: Pick<BenchmarkResult, 'records' | 'startedAtWallMs'>): string {
  const sorted = [...result.records].sort((a, b) => a.index - b.index);
  return (
    sorted.map((r) => JSON.stringify({ runStartedAtWallMs: result.startedAtWallMs, ...r })).join('\n') + '\n'
  );
}

/** Parses lines written by recordsToJsonl back into records. */
export function parseRecordsJsonl(text: string): RequestRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { runStartedAtWallMs: _ignored, ...record } = JSON.parse(line) as RequestRecord & {
        runStartedAtWallMs?: number;
      };
      return record;
    });
}

/** Writes the records of a run to a JSONL file. */
export async function exportRecordsJsonl(
  result: Pick<BenchmarkResult, 'records' | 'startedAtWallMs'>,
  path: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<void> {
  signal?.throwIfAborted();
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const finished = once(stream, 'finish');
  stream.end(recordsToJsonl(result));
  await finished;
}
