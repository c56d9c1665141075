// Two `autotune run` processes on one host share a static 4-GPU inventory through host-wide GPU leases: no GPU is
// held by both at once (from the journals' lease times), and the leases of a SIGKILLed run are taken back.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
let cwd: string;

const inventory = [0, 1, 2, 3]
  .map(
    (i) => `  - { index: ${i}, uuid: GPU-shared-${i}, name: NVIDIA H100 80GB HBM3, memoryTotalMiB: 81559 }`,
  )
  .join('\n');

function studyYaml(name: string, lines: string[]): string {
  return [
    `name: ${name}`,
    'model: llama-3.1-8b',
    'sim: { gpu: h100, timeScale: 20 }',
    'gpus:',
    inventory,
    'workload: { kind: synthetic, inputTokens: 256, outputTokens: 64 }',
    'load: { kind: concurrency, levels: [16] }',
    'strategy: random',
    'baseline: false',
    'confirm: { top: 0, repeats: 0 }',
    `controller: { kind: local, stateDir: state-${name} }`,
    'gpuLeases: { dir: leases }',
    `journal: ${name}.jsonl`,
    ...(lines.some((l) => l.startsWith('benchmark:'))
      ? []
      : ['benchmark: { requests: 32, warmupRequests: 2 }']),
    ...lines,
  ].join('\n');
}

function run(file: string): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(
    process.execPath,
    ['--import', loader, join(root, 'src/cli/autotune.ts'), 'run', file],
    {
      cwd,
      env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolveDone) =>
    child.on('close', (code) => resolveDone({ code, output })),
  );
  return { child, done };
}

interface Hold {
  study: string;
  trial: number;
  gpus: number[];
  fromMs: number;
  toMs: number;
}

async function holds(study: string): Promise<Hold[]> {
  const { entries } = await readJournal(join(cwd, `${study}.jsonl`));
  return journalTrials(entries)
    .filter((t) => t.gpusHeldAt !== undefined)
    .map((t) => ({
      study,
      trial: t.number,
      gpus: t.gpuIndices,
      fromMs: Date.parse(t.gpusHeldAt as string),
      toMs: Date.parse(t.finishedAt),
    }));
}

// Lease files of the shared directory, as { gpu uuid: owner pid }.
async function leaseOwners(): Promise<Record<string, number>> {
  const dir = join(cwd, 'leases');
  const files = await readdir(dir).catch(() => [] as string[]);
  const owners: Record<string, number> = {};
  for (const file of files.filter((f) => f.endsWith('.lease'))) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    if (text)
      owners[decodeURIComponent(file.replace(/\.lease$/, ''))] = (JSON.parse(text) as { pid: number }).pid;
  }
  return owners;
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-leases-'));
});
afterAll(async () => {
  for (const name of ['first', 'second', 'interrupted', 'killed', 'survivor']) {
    await new LocalController({ stateDir: join(cwd, `state-${name}`) }).cleanup();
  }
  await rm(cwd, { recursive: true, force: true });
});

describe('two autotune run processes on one static 4-GPU inventory', () => {
  it('never hold the same GPU at once, the later one waiting and saying so', async () => {
    const space = [
      'maxParallelTrials: 3',
      'space: { tensor-parallel-size: [1, 2], max-num-seqs: [32, 64, 128, 256] }',
      'budget: { maxTrials: 5 }',
    ];
    await writeFile(join(cwd, 'first.yaml'), studyYaml('first', [...space, 'seed: 1']));
    await writeFile(join(cwd, 'second.yaml'), studyYaml('second', [...space, 'seed: 2']));
    const runs = [run('first.yaml'), run('second.yaml')];
    const ended = await Promise.all(runs.map((r) => r.done));
    for (const end of ended) expect(end.code, end.output).toBe(0);
    expect(ended.map((e) => e.output).join('\n')).toContain('waiting for GPUs held by other studies');

    const all = [...(await holds('first')), ...(await holds('second'))];
    expect(all.length).toBeGreaterThanOrEqual(8);
    const clashes: string[] = [];
    for (const a of all) {
      for (const b of all) {
        if (a.study >= b.study || a.toMs <= b.fromMs || b.toMs <= a.fromMs) continue;
        const shared = a.gpus.filter((g) => b.gpus.includes(g));
        if (shared.length > 0)
          clashes.push(`GPU ${shared} in ${a.study} #${a.trial} and ${b.study} #${b.trial}`);
      }
    }
    expect(clashes).toEqual([]);
    expect(await leaseOwners()).toEqual({});
  }, 600_000);

  it('give their leases back when interrupted (SIGINT)', async () => {
    await writeFile(
      join(cwd, 'interrupted.yaml'),
      studyYaml('interrupted', [
        'fixedParams: { tensor-parallel-size: 2 }',
        'benchmark: { requests: 5000, warmupRequests: 2 }',
        'budget: { maxTrials: 2 }',
      ]),
    );
    const interrupted = run('interrupted.yaml');
    const pid = interrupted.child.pid as number;
    while (!Object.values(await leaseOwners()).includes(pid)) await sleep(100);
    interrupted.child.kill('SIGINT');
    const end = await interrupted.done;
    expect(end.code, end.output).toBe(130);
    expect(await leaseOwners()).toEqual({});
  }, 600_000);

  it('take back the leases of a SIGKILLed run', async () => {
    await writeFile(
      join(cwd, 'killed.yaml'),
      studyYaml('killed', [
        'maxParallelTrials: 2',
        'fixedParams: { tensor-parallel-size: 2 }',
        'benchmark: { requests: 5000, warmupRequests: 2 }',
        'budget: { maxTrials: 4 }',
      ]),
    );
    await writeFile(
      join(cwd, 'survivor.yaml'),
      studyYaml('survivor', ['fixedParams: { tensor-parallel-size: 4 }', 'budget: { maxTrials: 2 }']),
    );
    const killed = run('killed.yaml');
    const pid = killed.child.pid as number;
    let exited = false;
    void killed.done.then(() => {
      exited = true;
    });
    let held: string[] = [];
    while (held.length < 2 && !exited) {
      await sleep(100);
      held = Object.entries(await leaseOwners())
        .filter(([, owner]) => owner === pid)
        .map(([gpu]) => gpu);
    }
    expect(held.length, exited ? (await killed.done).output : '').toBeGreaterThanOrEqual(2);
    killed.child.kill('SIGKILL');
    await killed.done;
    // Its lease files stay behind: nobody released them.
    expect(Object.values(await leaseOwners())).toContain(pid);

    const survivor = await run('survivor.yaml').done;
    expect(survivor.code, survivor.output).toBe(0);
    const trials = await holds('survivor');
    expect(trials.length).toBe(2);
    for (const trial of trials) expect(trial.gpus.sort()).toEqual([0, 1, 2, 3]);
    expect(await leaseOwners()).toEqual({});
  }, 600_000);
});
