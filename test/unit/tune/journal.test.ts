import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalFormatError } from '../../../src/errors.js';
import { fingerprint } from '../../../src/tune/canonical-json.js';
import { EventChannel } from '../../../src/tune/event-channel.js';
import { journalTrials } from '../../../src/tune/journal/journal-trials.js';
import type { JournalHeader, TrialEntry } from '../../../src/tune/journal/journal-types.js';
import { JournalWriter } from '../../../src/tune/journal/journal-writer.js';
import { readJournal } from '../../../src/tune/journal/read-journal.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';
import { scratchDir } from '../../support/scratch-dir.js';

const dir = scratchDir('journal-', 'each');

const header: JournalHeader = {
  type: 'header',
  formatVersion: 2,
  studyId: 's1',
  fingerprint: 'abc',
  seed: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  library: { name: 'inference-autotuner', version: '0.0.0' },
  options: { hfToken: 'hf_secretsecretsecret' },
};

// A minimal trial entry as the study writes it.
function entry(number: number, extra: Partial<TrialRecord> = {}): TrialEntry {
  return {
    type: 'trial',
    number,
    params: {},
    state: 'failed',
    phase: 'search',
    feasible: false,
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    ...extra,
  };
}

describe('journal', () => {
  it('writes a header and entries that read back in order, redacted', async () => {
    const path = join(dir(), 'j.jsonl');
    const writer = await JournalWriter.create(path, header);
    await writer.append(entry(0, { failure: { reason: 'crash', message: 'token hf_secretsecretsecret' } }));
    await writer.append(entry(1));
    await writer.close();
    const contents = await readJournal(path);
    expect(contents.header.studyId).toBe('s1');
    expect(contents.header.formatVersion).toBe(2);
    expect(journalTrials(contents.entries).map((t) => t.number)).toEqual([0, 1]);
    expect(await readFile(path, 'utf8')).not.toContain('secretsecret');
    expect(journalTrials(contents.entries)[0]?.failure?.message).toBe('token [REDACTED]');
  });

  it('refuses to overwrite an existing journal', async () => {
    const path = join(dir(), 'j.jsonl');
    await (await JournalWriter.create(path, header)).close();
    await expect(JournalWriter.create(path, header)).rejects.toMatchObject({ code: 'ERR_JOURNAL_EXISTS' });
  });

  it('drops and repairs a torn last line', async () => {
    const path = join(dir(), 'j.jsonl');
    const writer = await JournalWriter.create(path, header);
    await writer.append(entry(0));
    await writer.close();
    await appendFile(path, '{"type":"trial","num');
    const contents = await readJournal(path, { repair: true });
    expect(contents.repairedTail).toBe(true);
    expect(contents.entries).toHaveLength(1);
    const again = await readJournal(path);
    expect(again.repairedTail).toBe(false);
    const reopened = await JournalWriter.reopen(path);
    await reopened.append(entry(1));
    await reopened.close();
    expect(journalTrials((await readJournal(path)).entries).map((t) => t.number)).toEqual([0, 1]);
  });

  it.each([
    ['an empty file', ''],
    ['a file without header', '{"type":"trial"}\n'],
    ['corruption before the end', `${JSON.stringify(header)}\nnot json\n{"type":"trial"}\n`],
  ])('rejects %s', async (_name, text) => {
    const path = join(dir(), 'bad.jsonl');
    await writeFile(path, text);
    await expect(readJournal(path)).rejects.toBeInstanceOf(JournalFormatError);
  });

  it('fingerprints ignore key order', () => {
    expect(fingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(fingerprint({ b: { d: 3, c: 2 }, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});

describe('EventChannel', () => {
  it('delivers every event to every reader, including late ones, and ends on close', async () => {
    const channel = new EventChannel<number>();
    const early = (async () => {
      const seen: number[] = [];
      for await (const e of channel) seen.push(e);
      return seen;
    })();
    channel.publish(1);
    channel.publish(2);
    await new Promise((r) => setImmediate(r));
    const late = (async () => {
      const seen: number[] = [];
      for await (const e of channel) seen.push(e);
      return seen;
    })();
    channel.publish(3);
    channel.close();
    expect(await early).toEqual([1, 2, 3]);
    expect(await late).toEqual([1, 2, 3]);
  });
});
