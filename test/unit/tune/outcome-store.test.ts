// The outcome store: one file per engine, version, model and GPU; start failures read back by launch line; safe
// under concurrent writers; a foreign or corrupted file is ignored with a warning, never a crash.
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openOutcomeStore, outcomeStoreFile } from '../../../src/tune/outcome-store.js';
import { scratchDir } from '../../support/scratch-dir.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const key = { engine: 'vllm', engineVersion: 'vLLM 0.22.0', model: 'llama-3.1-8b-instruct', gpu: 'l4' };
const failure = (args: string[]) => ({
  kind: 'start-failed' as const,
  args,
  reason: 'oom' as const,
  message: 'CUDA out of memory',
  study: 's1',
  at: '2026-12-04T00:00:00.000Z',
});

function recordingLogger() {
  const warnings: string[] = [];
  const logger = {
    warn: (_obj: unknown, message?: string) => void warnings.push(message ?? ''),
    info: () => undefined,
    debug: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return { logger: logger as never, warnings };
}

const dir = scratchDir('outcome-store-', 'each');

describe('outcome store', () => {
  it('remembers start failures by launch line, across openings, per key', async () => {
    const first = await openOutcomeStore(dir(), key);
    await first.add(failure(['serve', 'm', '--gpu-memory-utilization', '0.5']));
    const again = await openOutcomeStore(dir(), key);
    expect(again.startFailure(['serve', 'm', '--gpu-memory-utilization', '0.5'])).toMatchObject({
      reason: 'oom',
    });
    expect(again.startFailure(['serve', 'm', '--gpu-memory-utilization', '0.9'])).toBeUndefined();
    const otherVersion = await openOutcomeStore(dir(), { ...key, engineVersion: 'vLLM 0.23.0' });
    expect(otherVersion.outcomes).toEqual([]);
    expect(otherVersion.file).not.toBe(again.file);
  });

  it('keeps every line whole when two processes write at once', async () => {
    const writer = join(root, 'test/support/outcome-store-writer.ts');
    await Promise.all(
      ['a', 'b'].map((name) =>
        run(process.execPath, ['--import', loader, writer, dir(), name, '150'], {
          cwd: root,
          timeout: 60_000,
        }),
      ),
    );
    const text = await readFile(outcomeStoreFile(dir(), key), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1 + 300);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const store = await openOutcomeStore(dir(), key);
    expect(store.outcomes).toHaveLength(300);
  }, 90_000);

  it('ignores a foreign file and skips corrupted lines, with a warning and without a crash', async () => {
    const file = outcomeStoreFile(dir(), key);
    await writeFile(file, '{"something":"else"}\n{"kind":"start-failed"}\n');
    const { logger, warnings } = recordingLogger();
    const foreign = await openOutcomeStore(dir(), key, logger);
    expect(foreign.outcomes).toEqual([]);
    expect(warnings.join('\n')).toMatch(
      /is not a store of vllm vLLM 0\.22\.0, llama-3\.1-8b-instruct on l4: ignored/,
    );
    // Left as it is: nothing is appended to a file that is not ours.
    await foreign.add(failure(['x']));
    expect(await readFile(file, 'utf8')).toBe('{"something":"else"}\n{"kind":"start-failed"}\n');

    await rm(file);
    const store = await openOutcomeStore(dir(), key);
    await store.add(failure(['serve', 'm']));
    await writeFile(file, `${await readFile(file, 'utf8')}{not json\n{"kind":"measured"}\n`);
    const { logger: second, warnings: later } = recordingLogger();
    const reopened = await openOutcomeStore(dir(), key, second);
    expect(reopened.startFailure(['serve', 'm'])).toBeDefined();
    expect(later).toEqual([expect.stringMatching(/2 unreadable line\(s\) skipped/)]);
  });

  it('says once that a folder cannot be used, and the study goes on without it', async () => {
    const blocked = join(dir(), 'file-not-folder');
    await writeFile(blocked, '');
    const { logger, warnings } = recordingLogger();
    const store = await openOutcomeStore(join(blocked, 'outcomes'), key, logger);
    expect(store.outcomes).toEqual([]);
    await store.add(failure(['a']));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot be used/);
  });
});
