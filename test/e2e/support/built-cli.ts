// The autotune command as installed: dist/cli/autotune.js, built from the current sources when the build is
// missing or older than any file under src/ (so a test never judges a stale build).
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');

/** Path of the built `autotune` executable script. */
export const BUILT_AUTOTUNE = join(root, 'dist/cli/autotune.js');

async function newestMtimeMs(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestMtimeMs(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/** Builds the package unless dist/ is newer than every source file. */
export async function ensureBuilt(): Promise<void> {
  const built = await stat(BUILT_AUTOTUNE).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built > (await newestMtimeMs(join(root, 'src')))) return;
  await run('npm', ['run', 'build'], { cwd: root, timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
}

/** Runs the built `autotune` with arguments; resolves with its exit code and output (never rejects on exit codes). */
export function builtAutotune(
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BUILT_AUTOTUNE, ...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' },
      },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
