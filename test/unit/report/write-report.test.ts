import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordsToJsonl } from '../../../src/benchmark/export-records.js';
import { writeReport } from '../../../src/report/write-report.js';
import { fixturePath } from './report-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-'));
  await copyFile(fixturePath('finished-study'), join(dir, 'study.jsonl'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReport', () => {
  it.each([
    ['html', 'study.html', '<!DOCTYPE html>'],
    ['markdown', 'study.md', '## Study study-7f3a'],
  ] as const)('writes %s next to the journal by default', async (format, file, start) => {
    const written = await writeReport(join(dir, 'study.jsonl'), { format });
    expect(written.path).toBe(join(dir, file));
    const text = await readFile(written.path, 'utf8');
    expect(text.startsWith(start)).toBe(true);
    expect(written.bytes).toBe(Buffer.byteLength(text));
  });

  it('writes to the given path, creating folders, and reads request records', async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({
      index: i,
      warmup: false,
      status: 'ok' as const,
      sentMs: i,
      firstTokenMs: i + 30,
      tokenChunkMs: [i + 30, i + 50],
      endMs: i + 50,
      maxTokens: 2,
      outputTokens: 2,
      usageReported: true,
    }));
    await writeFile(join(dir, 'r27.jsonl'), recordsToJsonl({ records, startedAtWallMs: 0 }));
    await writeFile(join(dir, 'r0.jsonl'), recordsToJsonl({ records, startedAtWallMs: 0 }));
    const out = join(dir, 'nested', 'report.html');
    await writeReport(join(dir, 'study.jsonl'), {
      out,
      records: { 27: join(dir, 'r27.jsonl'), 0: join(dir, 'r0.jsonl') },
    });
    expect(await readFile(out, 'utf8')).toContain('from request records');
  });

  it.each([
    [{ format: 'pdf' as never }, 'ERR_INVALID_OPTION_VALUE', /format/],
    [{ records: { 3: '/nonexistent/records.jsonl' } }, 'ERR_INVALID_OPTION_VALUE', /records\[3\]/],
    [{ records: { x: '/tmp/r.jsonl' } as never }, 'ERR_INVALID_OPTION_VALUE', /records/],
  ])('rejects bad options (%o)', async (options, code, message) => {
    await expect(writeReport(join(dir, 'study.jsonl'), options)).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('fails with a journal error for a missing journal and honours an aborted signal', async () => {
    await expect(writeReport(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ERR_JOURNAL_READ' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(writeReport(join(dir, 'study.jsonl'), { signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });
});
