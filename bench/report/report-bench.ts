// Report size and render time for studies of 50 and 1,000 trials (synthetic journals from the simulator model).
// Run: npx tsx bench/report/report-bench.ts
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { renderMarkdownSummary } from '../../src/report/markdown-summary.js';
import { writeReport } from '../../src/report/write-report.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { syntheticJournal } from './synthetic-journal.js';

const RUNS = 7;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

const dir = await mkdtemp(join(tmpdir(), 'report-bench-'));
try {
  console.log(
    '| search trials | journal | HTML file | HTML per trial | writeReport (read + render + write) | renderHtmlReport | renderMarkdownSummary |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const trials of [50, 1000]) {
    const journalPath = join(dir, `study-${trials}.jsonl`);
    await writeFile(journalPath, syntheticJournal({ trials, seed: 1 }));
    const journal = await readJournal(journalPath);
    const out = join(dir, `study-${trials}.html`);
    const writeMs = await timeMs(() => writeReport(journalPath, { out }));
    const renderMs = await timeMs(() => renderHtmlReport(journal));
    const markdownMs = await timeMs(() => renderMarkdownSummary(journal));
    const htmlBytes = (await stat(out)).size;
    const journalBytes = (await stat(journalPath)).size;
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `| ${trials} | ${kib(journalBytes)} | ${kib(htmlBytes)} | ${(htmlBytes / trials / 1024).toFixed(1)} KiB | ${writeMs.toFixed(0)} ms | ${renderMs.toFixed(0)} ms | ${markdownMs.toFixed(1)} ms |`,
    );
  }
  console.log(`\nmedian of ${RUNS} runs each; Node ${process.version}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
