// Cost of the dashboard for a large study: loading the study list and a study's live page, and pushing one new
// trial to an open page, for a journal of 50 and of 1000 search trials (bench/report/synthetic-journal.ts).
// Needs Debian's Chromium at /usr/bin/chromium. Command: npx tsx bench/ui/ui-bench.ts
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { decodeJournalEntry, decodeJournalHeader } from '../../src/tune/journal/journal-codec.js';
import type { JournalEntry } from '../../src/tune/journal/journal-types.js';
import { studyCharts, studyData, summarizeStudy } from '../../src/ui/study-summary.js';
import { startUi } from '../../src/ui/ui-server.js';
import { syntheticJournal } from '../report/synthetic-journal.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

const dir = await mkdtemp(join(tmpdir(), 'ui-bench-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const ui = await startUi({ folder: dir, port: 0 });
try {
  console.log(
    '| search trials | journal | list page (load to rows) | study page (load to every row) | first push | new trial: line to row | summary and charts per push (server) | push per trial |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const trials of [50, 1000]) {
    // Every line but the last trial: the last one is appended while the page is open.
    const lines = syntheticJournal({ trials, seed: 1, finished: false }).trimEnd().split('\n');
    const last = lines.pop() as string;
    const id = `study-${trials}.jsonl`;
    const file = join(dir, id);
    const header = decodeJournalHeader(lines[0] as string, { path: file, line: 1 });
    const entries: JournalEntry[] = lines
      .slice(1)
      .map((l, i) => decodeJournalEntry(l, header.formatVersion, { path: file, line: i + 2 }));
    const rowCount = entries.length;
    const listMs: number[] = [];
    const pageMs: number[] = [];
    const pushMs: number[] = [];
    const summaryMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await writeFile(file, `${lines.join('\n')}\n`);
      const page = await browser.newPage();
      let started = performance.now();
      await page.goto(ui.url);
      await page.locator(`#studies tr[data-journal="${id}"]`).waitFor();
      listMs.push(performance.now() - started);
      started = performance.now();
      await page.goto(`${ui.url}study?journal=${id}`);
      await page.locator(`body[data-trials="${rowCount}"]`).waitFor({ timeout: 120_000 });
      pageMs.push(performance.now() - started);
      started = performance.now();
      await appendFile(file, `${last}\n`);
      await page.locator(`body[data-trials="${rowCount + 1}"]`).waitFor({ timeout: 120_000 });
      pushMs.push(performance.now() - started);
      await page.close();
      const s = performance.now();
      const model = studyData({ header, entries });
      summarizeStudy(id, { header, entries }, Date.now(), model);
      studyCharts(model);
      summaryMs.push(performance.now() - s);
    }
    // What the server pushes: the first event (summary, charts, every trial), then one per new trial line.
    await writeFile(file, `${lines.join('\n')}\n`);
    const stream = new AbortController();
    const events = await fetch(`${ui.url}api/events?journal=${id}`, { signal: stream.signal });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let buffered = '';
    const nextEventBytes = async (): Promise<number> => {
      while (!buffered.includes('\n\n')) buffered += new TextDecoder().decode((await reader.read()).value);
      const at = buffered.indexOf('\n\n');
      const event = buffered.slice(0, at);
      buffered = buffered.slice(at + 2);
      return Buffer.byteLength(event);
    };
    const firstPushBytes = await nextEventBytes();
    await appendFile(file, `${last}\n`);
    const pushBytes = await nextEventBytes();
    stream.abort();
    const journalBytes = Buffer.byteLength(`${lines.join('\n')}\n`);
    console.log(
      `| ${trials} | ${kib(journalBytes)} | ${median(listMs).toFixed(0)} ms | ${median(pageMs).toFixed(0)} ms | ${kib(firstPushBytes)} | ${median(pushMs).toFixed(0)} ms | ${median(summaryMs).toFixed(1)} ms | ${(pushBytes / 1024).toFixed(1)} KiB |`,
    );
  }
  console.log(`\nmedian of ${RUNS} runs each; Node ${process.version}; journal polled every 250 ms`);
} finally {
  await ui.close();
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
