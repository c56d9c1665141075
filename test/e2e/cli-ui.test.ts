// `autotune ui` and `autotune submit` as a user runs them: a non-loopback address without a token is a usage
// error; a study file submitted to a running dashboard runs there; a bad one is refused with exit code 2.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiServer } from '../../src/ui/ui-server.js';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
let cwd: string;
let ui: UiServer;

function autotune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args],
      { cwd, timeout: 300_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-ui-'));
  await writeFile(
    join(cwd, 'study.yaml'),
    'name: submitted\nmodel: llama-3.1-8b\nsim: { timeScale: 20 }\nbudget: { maxTrials: 1 }\nconfirm: { top: 0, repeats: 0 }\nbenchmark: { requests: 20, warmupRequests: 1 }\n',
  );
  await writeFile(join(cwd, 'bad.yaml'), 'model: llama-3.1-8b\nbudget: { maxTrials: 0 }\n');
  ui = await startUi({ folder: cwd, port: 0 });
});
afterAll(async () => {
  await ui?.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('autotune ui and submit', () => {
  it('refuses to serve on a non-loopback address without a token (exit 2, naming --token)', async () => {
    const run = await autotune('ui', '.', '--host', '0.0.0.0', '--port', '0');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/host.*0\.0\.0\.0.*--token/);
  }, 300_000);

  it('submits a study file to the dashboard, which runs it; a file with problems exits 2', async () => {
    const ok = await autotune('submit', 'study.yaml', '--ui', ui.url);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(`${ui.url}study?journal=.autotune%2Fsubmitted.jsonl`);
    const bad = await autotune('submit', 'bad.yaml', '--ui', ui.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('budget.maxTrials');
    const studies = (await (await fetch(`${ui.url}api/studies`)).json()) as Array<{ id: string }>;
    expect(studies.map((s) => s.id)).toContain('.autotune/submitted.jsonl');
  }, 300_000);
});
