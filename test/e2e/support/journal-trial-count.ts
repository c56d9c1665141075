// How many trials a journal being written holds so far (0 while it does not exist yet).
import { readFile } from 'node:fs/promises';

/** Counts the trial lines of a journal that another process may still be writing. */
export async function trialsIn(path: string): Promise<number> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l.includes('"type":"trial"')).length;
  } catch {
    return 0;
  }
}
