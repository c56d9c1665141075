import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalFormatError } from '../../../../src/errors.js';
import { isFeasibleTrial } from '../../../../src/search/trial.js';
import { decodeJournalEntry, encodeJournalLine } from '../../../../src/tune/journal/journal-codec.js';
import { journalResult, journalTrials } from '../../../../src/tune/journal/journal-trials.js';
import type { ResultEntry, TrialEntry } from '../../../../src/tune/journal/journal-types.js';
import { JournalWriter } from '../../../../src/tune/journal/journal-writer.js';
import { readJournal } from '../../../../src/tune/journal/read-journal.js';
import type { TrialRecord } from '../../../../src/tune/trial-record.js';
import { scratchDir } from '../../../support/scratch-dir.js';

const dir = scratchDir('journal-codec-', 'each');

const stats = (p50: number) => ({ mean: p50, p50, p90: p50, p95: p50, p99: Number.POSITIVE_INFINITY });

// A complete trial whose numbers include every value JSON cannot carry.
const hardTrial: TrialRecord = {
  number: 3,
  params: { 'max-num-seqs': 64, 'enable-chunked-prefill': true, 'kv-cache-dtype': 'fp8' },
  state: 'complete',
  phase: 'search',
  origin: { kind: 'model', note: 'expected improvement' },
  values: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  constraints: [-0.5, Number.POSITIVE_INFINITY, Number.NaN, -0],
  objective: [Number.NaN, Number.NEGATIVE_INFINITY],
  feasible: false,
  metrics: {
    ttftMs: stats(40),
    tpotMs: { ...stats(20), 'p99.9': Number.NaN },
    itlMs: stats(20),
    e2eMs: stats(900),
    requestsPerS: 3.5,
    inputTokensPerS: 1000,
    outputTokensPerS: 250,
    totalTokensPerS: 1250,
    errorRate: 0,
    goodputRps: 3.25,
    attainment: 0.9,
    requestCount: 100,
  },
  penalty: Number.POSITIVE_INFINITY,
  worldSize: 1,
  gpuIndices: [0],
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  durationMs: 60_000,
  startupMs: 12_000,
  benchmarkMs: 40_000,
};

const header = {
  studyId: 's1',
  fingerprint: 'abc',
  seed: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  library: { name: 'inference-autotuner', version: '0.0.0' },
  options: { model: 'm' },
};

const v1Header = JSON.stringify({ type: 'header', formatVersion: 1, ...header });
const v2Header = JSON.stringify({ type: 'header', formatVersion: 2, ...header });
const trialLine = (record: Partial<TrialRecord> = {}) =>
  encodeJournalLine({ type: 'trial', ...hardTrial, ...record });

describe('journal codec', () => {
  it('encodes Infinity, -Infinity, NaN and -0 as tagged numbers and decodes them exactly', () => {
    const line = encodeJournalLine({ type: 'trial', ...hardTrial });
    expect(line).toContain('"constraints":[-0.5,{"$num":"Infinity"},{"$num":"NaN"},{"$num":"-0"}]');
    expect(line).not.toContain('null');
    const decoded = decodeJournalEntry(line, 2, { path: 'j.jsonl', line: 2 });
    expect(decoded).toStrictEqual({ type: 'trial', ...hardTrial });
    expect(Object.is((decoded as TrialEntry).constraints?.[3], -0)).toBe(true);
  });

  it('round-trips every trial and the result through a journal file exactly', async () => {
    const path = join(dir(), 'j.jsonl');
    const feasible: TrialRecord = {
      ...hardTrial,
      number: 4,
      values: [-250],
      constraints: [-1],
      objective: [250],
      feasible: true,
      penalty: 1,
    };
    const result: ResultEntry = {
      type: 'result',
      stopReason: 'budget',
      objectiveNames: ['maximize output tok/s'],
      directions: ['maximize'],
      pareto: [4],
      confirmation: {
        configs: [
          {
            trial: 4,
            params: feasible.params,
            runs: 1,
            feasibleShare: 1,
            mean: 250,
            sd: 0,
            meanValue: -250,
            standardError: Number.POSITIVE_INFINITY,
          },
        ],
        winner: 4,
        tiedWith: [],
      },
      defaults: { defaultsTrial: 0, defaultsFeasible: false, improvement: undefined },
      elapsedMs: 1000,
    };
    const writer = await JournalWriter.create(path, header);
    await writer.append({ type: 'trial', ...hardTrial });
    await writer.append({ type: 'trial', ...feasible });
    await writer.append(result);
    await writer.close();

    const contents = await readJournal(path);
    expect(contents.header).toStrictEqual({ type: 'header', formatVersion: 2, ...header });
    expect(journalTrials(contents.entries)).toStrictEqual([hardTrial, feasible]);
    expect(journalResult(contents.entries)).toEqual(result);
    expect(isFeasibleTrial(journalTrials(contents.entries)[0] as TrialRecord)).toBe(false);
  });

  it('round-trips the comparison with the defaults, caveats, client-bound runs and the total wall time', async () => {
    const path = join(dir(), 'verdict.jsonl');
    const limited: TrialRecord = {
      ...hardTrial,
      number: 5,
      phase: 'confirm',
      confirmOf: 0,
      clientLimited: ['level 16: p99 send lag 31.0 ms over 10 ms'],
    };
    const result: ResultEntry = {
      type: 'result',
      stopReason: 'budget',
      objectiveNames: ['maximize output tok/s'],
      directions: ['maximize'],
      pareto: [],
      defaults: {
        defaultsTrial: 0,
        defaultsFeasible: true,
        improvement: 0.004,
        interval: { low: -0.03, high: Number.POSITIVE_INFINITY, confidence: 0.95 },
        verdict: 'within-noise',
        keepDefaults: true,
        tunedTrial: 3,
        tunedRuns: { trials: [6, 8], mean: 251, sd: 2 },
        defaultsRuns: { trials: [5, 7], mean: 250, sd: undefined },
        summary: 'Keep the engine defaults: ...',
      },
      elapsedMs: 8,
      totalElapsedMs: 250_000,
    };
    const writer = await JournalWriter.create(path, header);
    await writer.append({ type: 'trial', ...limited });
    await writer.append(result);
    await writer.close();
    const contents = await readJournal(path);
    expect(journalTrials(contents.entries)).toStrictEqual([limited]);
    expect(journalResult(contents.entries)).toEqual(result);
  });

  it('reads a version-1 journal: null is the non-finite value each field held', async () => {
    const path = join(dir(), 'v1.jsonl');
    // What version 1 wrote for hardTrial: plain JSON, every non-finite number as null.
    await writeFile(path, `${v1Header}\n${JSON.stringify({ type: 'trial', ...hardTrial })}\n`);
    const [trial] = journalTrials((await readJournal(path)).entries);
    expect(trial?.values).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(trial?.constraints).toEqual([-0.5, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0]);
    expect(trial?.objective).toEqual([Number.NaN, Number.NaN]);
    expect(trial?.penalty).toBe(Number.POSITIVE_INFINITY);
    expect(trial?.metrics?.ttftMs.p99).toBeNaN();
    // The bug version 1 readers had: null <= 0 holds, so the unmet constraint looked met.
    expect(isFeasibleTrial(trial as TrialRecord)).toBe(false);
  });

  it.each([
    [
      'a truncated line before the end',
      `${v2Header}\n${trialLine().slice(0, 40)}\n${trialLine()}\n`,
      2,
      /not valid JSON/,
    ],
    ['a garbled line', `${v2Header}\n${trialLine()}\n#!@ garbage\n${trialLine()}\n`, 3, /not valid JSON/],
    ['a foreign line', `${v2Header}\n{"type":"event","note":"hi"}\n`, 2, /type "event"/],
    [
      'a trial missing fields',
      `${v2Header}\n{"type":"trial","number":1}\n`,
      2,
      /invalid trial entry: params/,
    ],
    [
      'a trial with a wrong type',
      `${v2Header}\n${trialLine().replace('"state":"complete"', '"state":"done"')}\n`,
      2,
      /invalid trial entry: state/,
    ],
    [
      'null for a number in version 2',
      `${v2Header}\n${trialLine().replace('"penalty":{"$num":"Infinity"}', '"penalty":null')}\n`,
      2,
      /penalty/,
    ],
    [
      'a foreign file',
      '{"name":"package","version":"1.0.0"}\n{"a":1}\n',
      1,
      /not an inference-autotuner journal/,
    ],
    [
      'a newer format version',
      `${v2Header.replace('"formatVersion":2', '"formatVersion":3')}\n`,
      1,
      /format version 3/,
    ],
    ['an empty file', '', 1, /empty file/],
    ['a torn header', v2Header.slice(0, 30), 1, /header line is incomplete/],
  ])('rejects %s with a JournalFormatError naming the file and line', async (_name, text, line, problem) => {
    const path = join(dir(), 'bad.jsonl');
    await writeFile(path, text);
    const error = await readJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalFormatError);
    expect(error).toMatchObject({ code: 'ERR_JOURNAL_FORMAT', path, line });
    expect((error as Error).message).toContain(`${path} line ${line}:`);
    expect((error as Error).message).toMatch(problem);
  });

  it('repairs a torn last line (a crash mid-write) instead of failing', async () => {
    const path = join(dir(), 'torn.jsonl');
    await writeFile(path, `${v2Header}\n${trialLine()}\n`);
    await appendFile(path, trialLine({ number: 4 }).slice(0, 50));
    const contents = await readJournal(path, { repair: true });
    expect(contents.repairedTail).toBe(true);
    expect(journalTrials(contents.entries).map((t) => t.number)).toEqual([3]);
    expect(await readFile(path, 'utf8')).toBe(`${v2Header}\n${trialLine()}\n`);
  });
});
