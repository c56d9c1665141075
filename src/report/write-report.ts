// Writes the report of a journal to a file: the HTML page or the Markdown summary.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseRecordsJsonl } from '../benchmark/export-records.js';
import type { RequestRecord } from '../benchmark/request-record.js';
import { errorMessage, InvalidOptionError } from '../errors.js';
import { readJournal } from '../tune/journal/read-journal.js';
import { type HtmlReportOptions, renderHtmlReport } from './html-report.js';
import { renderMarkdownSummary } from './markdown-summary.js';

/** Options of writeReport. */
export interface WriteReportOptions {
  /** Output file. @default the journal path with `.html` (or `.md`) instead of its extension */
  out?: string;
  /** @default 'html' */
  format?: 'html' | 'markdown';
  /**
   * Raw request records per trial number: paths of JSONL files written by the load generator's record
   * export (`exportRecordsJsonl`). With records for the winner and the defaults, the latency charts show
   * full distributions instead of percentile ladders. @default {}
   */
  records?: Readonly<Record<number, string>>;
  /** Most points a chart draws per series. @default 400 */
  maxPoints?: number;
  signal?: AbortSignal;
}

/** Where writeReport wrote, and how much. */
export interface WrittenReport {
  path: string;
  bytes: number;
}

/** Reads the request-record files given per trial. */
export async function readTrialRecords(
  paths: Readonly<Record<number, string>>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Record<number, RequestRecord[]>> {
  const out: Record<number, RequestRecord[]> = {};
  for (const [trial, path] of Object.entries(paths)) {
    signal?.throwIfAborted();
    const number = Number(trial);
    if (!Number.isInteger(number) || number < 0) {
      throw new InvalidOptionError('records', trial, 'keys that are trial numbers');
    }
    let text: string;
    try {
      text = await readFile(path, { encoding: 'utf8', signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new InvalidOptionError(
        `records[${number}]`,
        path,
        `a readable JSONL file of request records (${errorMessage(error)})`,
        { cause: error },
      );
    }
    out[number] = parseRecordsJsonl(text);
  }
  return out;
}

function defaultOut(journalPath: string, format: 'html' | 'markdown'): string {
  const extension = format === 'html' ? '.html' : '.md';
  return /\.[^./]+$/.test(journalPath)
    ? journalPath.replace(/\.[^./]+$/, extension)
    : `${journalPath}${extension}`;
}

/** Renders the report of the journal at `journalPath` and writes it; resolves with the file written. */
export async function writeReport(
  journalPath: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const format = options.format ?? 'html';
  if (format !== 'html' && format !== 'markdown') {
    throw new InvalidOptionError('format', format, "'html' or 'markdown'");
  }
  options.signal?.throwIfAborted();
  const journal = await readJournal(journalPath);
  const records = await readTrialRecords(options.records ?? {}, { signal: options.signal });
  const htmlOptions: HtmlReportOptions = {
    records,
    ...(options.maxPoints ? { maxPoints: options.maxPoints } : {}),
  };
  const text = format === 'html' ? renderHtmlReport(journal, htmlOptions) : renderMarkdownSummary(journal);
  const path = options.out ?? defaultOut(journalPath, format);
  options.signal?.throwIfAborted();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { encoding: 'utf8', signal: options.signal });
  return { path, bytes: Buffer.byteLength(text) };
}
