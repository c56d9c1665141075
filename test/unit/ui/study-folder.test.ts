import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { listJournals, resolveJournal } from '../../../src/ui/study-folder.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'ui-folder-'));
  root = path.join(base, 'studies');
  mkdirSync(path.join(root, '.autotune'), { recursive: true });
  mkdirSync(path.join(root, 'deeper'));
  writeFileSync(path.join(root, 'a.jsonl'), '');
  writeFileSync(path.join(root, '.autotune', 'b.jsonl'), '');
  writeFileSync(path.join(root, 'deeper', 'c.jsonl'), '');
  writeFileSync(path.join(root, 'notes.txt'), '');
  writeFileSync(path.join(base, 'outside.jsonl'), '');
  symlinkSync(path.join(base, 'outside.jsonl'), path.join(root, 'link.jsonl'));
  const old = new Date(Date.now() - 60_000);
  utimesSync(path.join(root, 'a.jsonl'), old, old);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the studies folder', () => {
  it('lists the journals of the folder and of its .autotune/, newest first', async () => {
    const ids = (await listJournals(root)).map((j) => j.id);
    expect(ids.sort()).toEqual(['.autotune/b.jsonl', 'a.jsonl', 'link.jsonl']);
    expect((await listJournals(root)).at(-1)?.id).toBe('a.jsonl');
  });

  it.each(['a.jsonl', '.autotune/b.jsonl'])('resolves %s inside the folder', async (id) => {
    expect(await resolveJournal(root, id)).toBe(path.join(root, id));
  });

  it.each([
    '../outside.jsonl',
    '.autotune/../../outside.jsonl',
    '/tmp/outside.jsonl',
    'link.jsonl',
    'deeper/c.jsonl',
    'notes.txt',
    '../../../../etc/passwd',
    'a.jsonl\0.txt',
    'missing.jsonl',
    './a.jsonl',
    '',
    42,
    undefined,
  ])('refuses %j with an error naming the journal', async (id) => {
    await expect(resolveJournal(root, id)).rejects.toThrow(InvalidOptionError);
    await expect(resolveJournal(root, id)).rejects.toThrow(/Invalid option journal/);
  });
});
