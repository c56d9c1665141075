// A tuner killed with SIGKILL mid-trial leaves its server running; resuming the study removes it before the
// resumed study launches its first trial (Docker containers and local process groups alike).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_KEYS } from '../../src/controllers/labels.js';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { markedGroupMembers } from '../../src/controllers/local/proc.js';
import { ProcessRegistry, type RegistryEntry } from '../../src/controllers/local/process-registry.js';
import { requireDocker, SIM_IMAGE } from '../integration/docker/docker-env.js';
import { trialsIn } from './support/journal-trial-count.js';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  // A failed assertion may leave a tuner running: end it (its own teardown stops its servers) before its files go.
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}, 120_000);

// Engines inherit the tuner's environment: with this preload the simulated engine, like a Python engine,
// outlives the tuner that reads its output, so only the reaper can remove it.
const survive = pathToFileURL(join(root, 'test/support/survive-closed-stdout.mjs')).href;

function autotune(cwd: string, ...args: string[]): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args], {
    cwd,
    env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error', NODE_OPTIONS: `--import ${survive}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const done = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { child, done };
}

/** Writes a study file and returns its directory and journal path. */
async function studyDir(name: string, lines: string[]): Promise<{ cwd: string; journal: string }> {
  const cwd = await mkdtemp(join(tmpdir(), 'cli-reap-'));
  dirs.push(cwd);
  await writeFile(
    join(cwd, 'study.yaml'),
    [
      `name: ${name}`,
      'model: llama-3.1-8b',
      'fixedParams: { max-model-len: 4096 }',
      'space: { max-num-seqs: [16, 32, 64, 128] }',
      'workload: { kind: synthetic, inputTokens: 128, outputTokens: 32 }',
      'load: { kind: concurrency, levels: [16] }',
      'budget: { maxTrials: 2 }',
      'baseline: false',
      'confirm: { top: 0, repeats: 0 }',
      'timeouts: { startupMs: 120000, trialMs: 300000 }',
      ...lines,
      '',
    ].join('\n'),
  );
  return { cwd, journal: join(cwd, `.autotune/${name}.jsonl`) };
}

/** Polls until `check` returns a value (not undefined), within a wide real-time bound. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const dockerEnabled = await requireDocker('reaping after a killed Docker study');

describe.runIf(dockerEnabled)('resume after SIGKILL with the Docker controller', () => {
  const docker = new Docker();
  const name = `e2e-reap-docker-${process.pid}`;
  const containers = async () =>
    docker.listContainers({ all: true, filters: { label: [`${LABEL_KEYS.study}=${name}`] } });

  afterAll(async () => {
    // Only this test's study: other suites run containers on the same daemon.
    for (const info of await containers()) await docker.getContainer(info.Id).remove({ force: true });
  });

  it('removes the dead run’s container before the resumed study launches its first trial', async () => {
    const { cwd, journal } = await studyDir(name, [
      'runtime: sim',
      `image: ${JSON.stringify(SIM_IMAGE)}`,
      'sim: { gpu: a100-40gb, timeScale: 10 }',
      'benchmark: { requests: 600, warmupRequests: 2 }',
      'controller: { kind: docker }',
    ]);
    const run = autotune(cwd, 'run', 'study.yaml');
    const killedPid = run.child.pid as number;
    // Mid-trial: a container of this run is up and the trial is not journaled yet.
    const orphans = await until('a running container of the first trial', async () => {
      const running = (await containers()).filter((c) => c.State === 'running');
      return running.length > 0 ? running : undefined;
    });
    await sleep(1_000);
    run.child.kill('SIGKILL');
    await run.done;
    expect(await trialsIn(journal)).toBe(0);
    const orphanIds = orphans.map((c) => c.Id);
    expect(orphans.every((c) => c.Labels[LABEL_KEYS.ownerPid] === String(killedPid))).toBe(true);
    // Nothing removes it on its own.
    await sleep(1_000);
    const stillRunning = (await containers()).filter((c) => c.State === 'running').map((c) => c.Id);
    expect(stillRunning).toEqual(expect.arrayContaining(orphanIds));

    const resumed = autotune(cwd, 'resume', journal);
    const resumedPid = String(resumed.child.pid);
    let exitCode: number | null | undefined;
    void resumed.done.then((code) => {
      exitCode = code;
    });
    // The moment the resumed run's first container exists, no container of the dead run may be left.
    const leftAtFirstLaunch = await until('the resumed run’s first container', async () => {
      const now = await containers();
      if (exitCode !== undefined) return ['(resume ended before a container was seen)'];
      if (!now.some((c) => c.Labels[LABEL_KEYS.ownerPid] === resumedPid)) return undefined;
      return now.filter((c) => orphanIds.includes(c.Id)).map((c) => `${c.Names[0]} ${c.State}`);
    });
    expect(leftAtFirstLaunch).toEqual([]);
    expect([0, 3]).toContain(await resumed.done);
    expect(await trialsIn(journal)).toBe(2);
    expect(await containers()).toEqual([]);
  }, 420_000);
});

describe('resume after SIGKILL with the local controller', () => {
  it('kills the dead run’s process group before the resumed study launches its first server', async () => {
    const name = `e2e-reap-local-${process.pid}`;
    const { cwd, journal } = await studyDir(name, [
      'sim: { timeScale: 10 }',
      'benchmark: { requests: 600, warmupRequests: 2 }',
      `controller: { kind: local, stateDir: ${JSON.stringify('state')} }`,
    ]);
    const registry = new ProcessRegistry(join(cwd, 'state'));
    const alive = (entry: RegistryEntry) => (markedGroupMembers(entry.pgid, entry.id) ?? []).length > 0;
    const run = autotune(cwd, 'run', 'study.yaml');
    const killedPid = run.child.pid as number;
    const orphans = await until('the first trial’s server', async () => {
      const entries = registry.list().filter((e) => e.ownerPid === killedPid && alive(e));
      return entries.length > 0 ? entries : undefined;
    });
    await sleep(1_000);
    run.child.kill('SIGKILL');
    await run.done;
    expect(await trialsIn(journal)).toBe(0);
    await sleep(1_000);
    expect(orphans.every(alive)).toBe(true);

    const resumed = autotune(cwd, 'resume', journal);
    let exitCode: number | null | undefined;
    void resumed.done.then((code) => {
      exitCode = code;
    });
    const aliveAtFirstLaunch = await until('the resumed run’s first server', async () => {
      if (exitCode !== undefined) return ['(resume ended before a server was seen)'];
      if (!registry.list().some((e) => e.ownerPid === resumed.child.pid)) return undefined;
      return orphans.filter(alive).map((e) => `process group ${e.pgid}`);
    });
    expect(aliveAtFirstLaunch).toEqual([]);
    expect([0, 3]).toContain(await resumed.done);
    expect(await trialsIn(journal)).toBe(2);
    expect(await new LocalController({ stateDir: join(cwd, 'state') }).running(name)).toEqual([]);
  }, 420_000);
});
