// `autotune run --force`: the old journal is renamed, never deleted, so a study started over by mistake is not lost.
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { JournalWriteError } from '../errors.js';

/**
 * Renames the journal at `path` to `<path>.<UTC time>.bak` (with `-2`, `-3`... when that name is taken);
 * resolves with the new name, or undefined when there was no journal.
 */
export async function moveJournalAside(path: string, now: Date = new Date()): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.${stamp}.bak`;
  for (let n = 2; existsSync(target); n++) target = `${path}.${stamp}-${n}.bak`;
  try {
    await rename(path, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JournalWriteError(path, { cause: error });
  }
  return target;
}
