// A temporary directory for the tests of one file: made before them, removed with everything in it after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/**
 * Registers the directory's making and removal, once for the file's tests or (`each`) afresh for every test; the
 * returned function gives its path inside the tests.
 */
export function scratchDir(prefix: string, scope: 'file' | 'each' = 'file'): () => string {
  let dir: string | undefined;
  const make = async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  };
  const remove = async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  if (scope === 'each') {
    beforeEach(make);
    afterEach(remove);
  } else {
    beforeAll(make);
    afterAll(remove);
  }
  return () => {
    if (dir === undefined) throw new Error(`scratchDir('${prefix}') is read outside its tests`);
    return dir;
  };
}
