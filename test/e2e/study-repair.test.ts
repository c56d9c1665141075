// SLO repair seen from the outside: a study whose engine defaults break the TPOT SLO repairs them on its
// second trial, says why in the events, the progress lines, the journal and the report.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineView } from '../../src/cli/progress.js';
import { escapeHtml } from '../../src/report/html-escape.js';
import { originSentence } from '../../src/report/trial-view.js';
import { writeReport } from '../../src/report/write-report.js';
import type { StudyEvent } from '../../src/tune/events.js';
import { study } from '../../src/tune/study.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-repair-');

describe('SLO repair in a study', () => {
  it('repairs broken defaults on trial 1 and explains it in events, progress lines, journal and report', async () => {
    const journal = join(dir(), 'repair.jsonl');
    const running = study(
      {
        name: 'repair',
        runtime: 'sim',
        model: 'llama-3.1-8b',
        sim: { gpu: 'l40s', numGpus: 2 },
        space: {
          'tensor-parallel-size': { values: [1, 2], default: 1 },
          'max-num-seqs': { values: [16, 32, 64, 128, 256, 512], default: 256 },
          'kv-cache-dtype': { values: ['auto', 'fp8'], default: 'auto' },
        },
        workload: { kind: 'synthetic', inputTokens: 2000, outputTokens: 300 },
        load: { kind: 'concurrency', levels: [48] },
        slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 45 }] },
        objective: 'maximize_throughput',
        budget: { maxTrials: 3 },
        baseline: false,
        confirm: { top: 0, repeats: 0 },
        journal,
      },
      { mode: 'estimate' },
    );
    const lines: string[] = [];
    const view = lineView(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const events: StudyEvent[] = [];
    for await (const event of running) {
      events.push(event);
      view.onEvent(event);
    }
    const result = await running.result;
    const [defaults, repaired] = result.trials;
    expect(defaults).toMatchObject({ origin: { kind: 'defaults' }, feasible: false });
    expect(repaired?.origin?.kind).toBe('repair');
    expect(repaired?.origin?.note).toMatch(/^SLO repair of trial 0 \(tpot \d+% over the SLO\): /);
    expect(repaired?.origin?.note).toContain('tensor-parallel-size 1 -> 2');
    expect(repaired?.feasible).toBe(true);

    const started = events.find((e) => e.type === 'trial-started' && e.trial === 1);
    expect(started).toMatchObject({ origin: { kind: 'repair' } });
    expect(lines.join('')).toContain(`  ${repaired?.origin?.note}\n`);
    const journaled = (await readFile(journal, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(journaled.find((r) => r.number === 1)?.origin).toEqual(repaired?.origin);

    const html = join(dir(), 'repair.html');
    await writeReport(journal, { out: html });
    const page = await readFile(html, 'utf8');
    expect(page).toContain('>search: SLO repair</td>');
    expect(page).toContain('title="SLO repair of trial 0 (tpot');
    // The winner section and the Markdown summary say how the winner was found.
    const found = originSentence(result.best?.record);
    expect(found).toBeDefined();
    expect(page).toContain(escapeHtml(found as string));
    const markdown = join(dir(), 'repair.md');
    await writeReport(journal, { out: markdown, format: 'markdown' });
    expect(await readFile(markdown, 'utf8')).toContain(`\n${found}\n`);
    if (result.best?.record.origin?.kind === 'repair')
      expect(found).toMatch(/^Found by SLO repair of trial \d+ /);
  });
});
