import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFeasibleTrial } from '../../../../src/search/trial.js';
import { journalTrials } from '../../../../src/tune/journal/journal-trials.js';
import { openStudyJournal } from '../../../../src/tune/journal/open-study-journal.js';
import { readJournal } from '../../../../src/tune/journal/read-journal.js';
import type { TuneOptionsInput } from '../../../../src/tune/options-schema.js';
import { resolveOptions } from '../../../../src/tune/resolve-options.js';
import { tune } from '../../../../src/tune/study.js';
import { studyIdentity } from '../../../../src/tune/study-identity.js';
import type { TrialRecord } from '../../../../src/tune/trial-record.js';
import { scratchDir } from '../../../support/scratch-dir.js';

const dir = scratchDir('open-journal-', 'each');

const newHeader = () => ({
  studyId: 's',
  fingerprint: 'f1',
  seed: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  library: { name: 'inference-autotuner', version: '0.0.0' },
  options: {},
});

// A search trial that measured a winning throughput but whose SLO could not be checked (constraint Infinity).
const unchecked = (number: number, params: TrialRecord['params']): TrialRecord => ({
  number,
  params,
  state: 'complete',
  phase: 'search',
  values: [-1e9, 1],
  constraints: [Number.POSITIVE_INFINITY],
  objective: [1e9, 1],
  feasible: false,
  penalty: 1,
  worldSize: 1,
  gpuIndices: [0],
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  durationMs: 60_000,
});

describe('openStudyJournal', () => {
  it('refuses an existing journal unless resuming, and one written by other options', async () => {
    const identity = { studyId: 's', journalPath: join(dir(), 'j.jsonl'), fingerprint: 'f1' };
    (await openStudyJournal(identity, newHeader, false)).writer.close();
    await expect(openStudyJournal(identity, newHeader, false)).rejects.toMatchObject({
      name: 'JournalExistsError',
      code: 'ERR_JOURNAL_EXISTS',
    });
    await expect(openStudyJournal({ ...identity, fingerprint: 'f2' }, newHeader, true)).rejects.toMatchObject(
      {
        name: 'JournalMismatchError',
        code: 'ERR_JOURNAL_MISMATCH',
      },
    );
  });

  it('resumes a version-1 journal with its Infinity constraints kept, and rewrites it as version 2', async () => {
    const path = join(dir(), 'v1.jsonl');
    const trial = unchecked(0, { a: 1 });
    // Version 1 wrote JSON.stringify output: the Infinity constraint became null.
    const v1 = [
      { type: 'header', formatVersion: 1, ...newHeader() },
      { type: 'trial', ...trial },
    ];
    await writeFile(path, v1.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const identity = { studyId: 's', journalPath: path, fingerprint: 'f1' };

    const { writer, history } = await openStudyJournal(identity, newHeader, true);
    expect(history).toEqual([trial]);
    expect(isFeasibleTrial(history[0] as TrialRecord)).toBe(false);
    await writer.append({ type: 'trial', ...unchecked(1, { a: 2 }) });
    await writer.close();

    const contents = await readJournal(path);
    expect(contents.header.formatVersion).toBe(2);
    expect(journalTrials(contents.entries)).toEqual([trial, unchecked(1, { a: 2 })]);
    expect(await readFile(path, 'utf8')).toContain('"constraints":[{"$num":"Infinity"}]');
  });
});

describe('a resumed study', () => {
  it('keeps a journaled trial with an Infinity constraint exactly, and never counts it as feasible', async () => {
    const options: TuneOptionsInput = {
      name: 'resume-infinity',
      model: 'llama-3.1-8b',
      sim: { gpu: 'a100-40gb' },
      fixedParams: { 'max-model-len': 4096 },
      space: { 'max-num-seqs': [16, 32, 64, 128] },
      load: { kind: 'concurrency', levels: [64] },
      slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 50 }] },
      // Two objectives: the Pareto front is chosen by constraint values alone (isFeasibleTrial).
      objective: [{ kind: 'throughput' }, { kind: 'latency', metric: 'ttft', stat: 'p99' }],
      baseline: false,
      budget: { maxTrials: 3 },
      journal: join(dir(), 'study.jsonl'),
    };
    const identity = studyIdentity(resolveOptions(options).options);
    const first = await openStudyJournal(
      identity,
      () => ({ ...newHeader(), fingerprint: identity.fingerprint }),
      false,
    );
    const trial = unchecked(0, { 'max-num-seqs': 16 });
    await first.writer.append({ type: 'trial', ...trial });
    await first.writer.close();

    const result = await tune(options, { resume: true, mode: 'estimate' });
    expect(result.trials.find((t) => t.number === 0)).toEqual(trial);
    expect(result.trials.filter((t) => t.phase === 'search')).toHaveLength(3);
    expect(result.pareto.length).toBeGreaterThan(0);
    expect(result.pareto.map((t) => t.number)).not.toContain(0);
  });
});
