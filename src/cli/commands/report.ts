// `autotune report <journal>`: writes the HTML report, or prints the Markdown summary.
import { renderMarkdownSummary } from '../../report/markdown-summary.js';
import { writeReport } from '../../report/write-report.js';
import { readJournal } from '../../tune/journal/read-journal.js';
import { EXIT } from '../exit-codes.js';

/** Renders the report of a journal; Markdown without `--out` goes to stdout. */
export async function reportCommand(
  journalPath: string,
  options: { out?: string | undefined; format: 'html' | 'markdown' },
): Promise<number> {
  if (options.format === 'markdown' && !options.out) {
    process.stdout.write(renderMarkdownSummary(await readJournal(journalPath)));
    return EXIT.ok;
  }
  const written = await writeReport(journalPath, {
    format: options.format,
    ...(options.out ? { out: options.out } : {}),
  });
  process.stderr.write(`report written to ${written.path} (${written.bytes} bytes)\n`);
  return EXIT.ok;
}
