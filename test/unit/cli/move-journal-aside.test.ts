// `autotune run --force` renames the old journal (never deletes it), one name per start-over.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveJournalAside } from '../../../src/cli/move-journal-aside.js';
import { scratchDir } from '../../support/scratch-dir.js';

const dir = scratchDir('move-aside-', 'each');

describe('moveJournalAside', () => {
  it('renames to <journal>.<UTC time>.bak, adding -2 when that name is taken; nothing to move is not an error', async () => {
    const journal = join(dir(), 'study.jsonl');
    const at = new Date('2026-12-03T21:10:00.123Z');
    expect(await moveJournalAside(journal, at)).toBeUndefined();

    await writeFile(journal, 'first\n');
    const first = await moveJournalAside(journal, at);
    expect(first).toBe(`${journal}.2026-12-03T21-10-00-123Z.bak`);
    await writeFile(journal, 'second\n');
    const second = await moveJournalAside(journal, at);
    expect(second).toBe(`${journal}.2026-12-03T21-10-00-123Z-2.bak`);

    expect((await readdir(dir())).sort()).toEqual([
      'study.jsonl.2026-12-03T21-10-00-123Z-2.bak',
      'study.jsonl.2026-12-03T21-10-00-123Z.bak',
    ]);
    expect(await readFile(first as string, 'utf8')).toBe('first\n');
    expect(await readFile(second as string, 'utf8')).toBe('second\n');
  });
});
