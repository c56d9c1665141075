// Whole studies through the Kubernetes controller on a fake cluster of 3 nodes x 4 GPUs that schedules: the study
// reads the nodes' GPUs, packs 6 parallel trials of 1, 2 and 4 GPUs onto nodes without oversubscribing one, every
// pod requests exactly its world size, a SIGKILLed tuner resumes, nothing is left behind; a trial that no node
// can hold is refused before launch naming the largest node, and a pod the cluster cannot place for now waits
// for room instead of being scored.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER_RULES } from '../../src/controllers/kubernetes/tuner-job.js';
import type { ServerHandle } from '../../src/controllers/types.js';
import { ClusterCapacityError } from '../../src/errors.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { study } from '../../src/tune/study.js';
import { FAKE_IMAGES, k8sFixtureSpec } from '../integration/controllers/k8s-fixture.js';
import { type FakeKubernetes, startFakeKubernetes } from '../support/fake-k8s-server.js';
import { clusterStudyOptions, fakeClusterController, SIM_IMAGES } from './support/k8s-study.js';

type Obj = Record<string, unknown>;
const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const CHILD = join(root, 'test/e2e/support/k8s-study-child.ts');
const H100 = 'NVIDIA-H100-80GB-HBM3';

let fake: FakeKubernetes;
let dir: string;
// Every pod seen while it existed: its GPU limit, its trial and its node.
const seenPods = new Map<string, { limit: unknown; trial: unknown; owner: unknown }>();
let sampler: NodeJS.Timeout | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-k8s-'));
  fake = await startFakeKubernetes({
    images: { ...SIM_IMAGES, ...FAKE_IMAGES },
    namespaces: ['default'],
    nodes: ['gpu-a', 'gpu-b', 'gpu-c'].map((name) => ({
      name,
      gpus: 4,
      labels: { 'nvidia.com/gpu.product': H100 },
    })),
  });
  sampler = setInterval(() => {
    for (const pod of fake.list('pods', 'default/')) {
      const meta = pod['metadata'] as Obj;
      const labels = (meta['labels'] ?? {}) as Obj;
      const container = ((pod['spec'] as Obj)['containers'] as Obj[])[0] as Obj;
      const limits = ((container['resources'] as Obj | undefined)?.['limits'] ?? {}) as Obj;
      seenPods.set(String(meta['name']), {
        limit: limits['nvidia.com/gpu'],
        trial: labels['inference-autotuner.io/trial'],
        owner: labels['inference-autotuner.io/owner-pid'],
      });
    }
  }, 25);
});
afterAll(async () => {
  clearInterval(sampler);
  const leftover = fake.livePids();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
  expect(leftover).toEqual([]);
});

function startChild(journal: string): { child: ChildProcess; lines: string[]; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', loader, CHILD, fake.url, journal], {
    env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<number | null>((ok) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      ok(code);
    }),
  );
  return { child, lines, done };
}

const objectsLeft = () =>
  ['pods', 'services', 'secrets'].flatMap((kind) => fake.list(kind, 'default/').map(() => kind));

function maxConcurrent(
  placements: readonly { boundAtMs: number; releasedAtMs: number | undefined }[],
): number {
  const edges = placements.flatMap((p) => [
    [p.boundAtMs, 1],
    [p.releasedAtMs ?? Number.POSITIVE_INFINITY, -1],
  ]);
  edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let peak = 0;
  for (const [, step] of edges) {
    now += step as number;
    peak = Math.max(peak, now);
  }
  return peak;
}

describe('a study through the Kubernetes controller on 3 nodes x 4 GPUs', () => {
  it('packs 12 trials of 1, 2 and 4 GPUs 6 at a time, survives SIGKILL and resumes, leaves nothing', async () => {
    const journal = join(dir, 'k8s-e2e.jsonl');
    const first = startChild(journal);
    const deadline = Date.now() + 120_000;
    while (first.lines.filter((l) => l.startsWith('TRIAL')).length < 3 && Date.now() < deadline)
      await sleep(100);
    expect(first.lines.filter((l) => l.startsWith('TRIAL')).length).toBeGreaterThanOrEqual(3);
    first.child.kill('SIGKILL');
    await first.done;
    const before = journalTrials((await readJournal(journal)).entries);
    expect(before.length).toBeLessThan(12);

    const second = startChild(journal);
    expect(await second.done).toBe(0);
    expect(second.lines.at(-1)).toBe('DONE 12');

    const trials = journalTrials((await readJournal(journal)).entries);
    expect(trials).toHaveLength(12);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    expect(new Set(trials.map((t) => t.worldSize))).toEqual(new Set([1, 2, 4]));
    for (const t of trials) {
      expect(t.node).toMatch(/^gpu-[abc]$/);
      expect(t.via).toBe('pod-ip');
    }
    // Every pod of the study requested exactly its trial's world size, and was bound with that many GPUs. The
    // killed run's trials still in flight were never journaled: their numbers went to other trials on resume.
    const runs = [String(first.child.pid), String(second.child.pid)];
    const worldSize = new Map(trials.map((t) => [`trial-${t.number}`, t.worldSize]));
    const kept = new Set(before.map((t) => `trial-${t.number}`));
    const studyPods = [...seenPods.entries()].filter(([, p]) => runs.includes(String(p.owner)));
    const checked = studyPods.filter(([, p]) => p.owner === runs[1] || kept.has(String(p.trial)));
    expect(checked.length).toBeGreaterThanOrEqual(12);
    for (const [, pod] of checked) expect(pod.limit).toBe(String(worldSize.get(String(pod.trial))));
    for (const [, pod] of studyPods) expect(['1', '2', '4']).toContain(pod.limit);
    const placements = fake.placements.filter((p) => studyPods.some(([name]) => name === p.pod));
    expect(placements.length).toBe(studyPods.length);
    for (const p of placements) expect(String(p.gpus)).toBe(seenPods.get(p.pod)?.limit);
    // Parallel, and never more GPUs bound on a node than it has.
    expect(maxConcurrent(placements)).toBeGreaterThanOrEqual(2);
    const allocatable = fake.allocatableGpus();
    for (const [node, peak] of Object.entries(fake.peakGpuUsage()))
      expect(peak).toBeLessThanOrEqual(allocatable[node] ?? 0);
    // Every object the controller sent was accepted (the fake validates against the Kubernetes 1.33 schema).
    expect(fake.requests.filter((r) => r.method === 'POST' && r.status >= 400)).toEqual([]);
    expect(objectsLeft()).toEqual([]);
    expect(fake.livePids()).toEqual([]);
  }, 300_000);

  it('refuses a fixed 8-GPU trial before launch, naming the largest node, and records an 8-GPU space value', async () => {
    const placed = fake.placements.length;
    const controller = fakeClusterController(fake.url);
    const error = await study(
      clusterStudyOptions(join(dir, 'too-big.jsonl'), {
        name: 'k8s-too-big',
        fixedParams: { 'max-model-len': 4096, 'tensor-parallel-size': 8 },
        space: { 'max-num-seqs': [32, 64] },
      }),
      { controller },
    ).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterCapacityError);
    expect((error as Error).message).toBe(
      'A server needing 8 nvidia.com/gpu cannot run on this cluster: the largest node its pods may use, gpu-a, has 4',
    );
    expect(fake.placements.length).toBe(placed);

    const result = await study(
      clusterStudyOptions(join(dir, 'space-8.jsonl'), {
        name: 'k8s-space-8',
        space: { 'tensor-parallel-size': [4, 8] },
        budget: { maxTrials: 2 },
      }),
      { controller },
    ).result;
    const bySize = new Map(result.trials.map((t) => [t.worldSize, t]));
    expect(bySize.get(4)?.state).toBe('complete');
    expect(bySize.get(8)).toMatchObject({ state: 'invalid', failureReason: 'no-capacity', gpuIndices: [] });
    expect(bySize.get(8)?.failure?.message).toMatch(/largest node its pods may use, gpu-a, has 4/);
    expect(fake.placements.filter((p) => p.gpus === 8)).toEqual([]);
    expect(objectsLeft()).toEqual([]);
  }, 120_000);

  it('waits for room when a pod cannot be scheduled now, and never scores that as the configuration', async () => {
    // Something outside the study holds every GPU when its trials start.
    const outside = fakeClusterController(fake.url);
    const holders: ServerHandle[] = await Promise.all(
      ['gpu-a', 'gpu-b', 'gpu-c'].map((node, i) =>
        outside.launch({
          ...k8sFixtureSpec('serve', { studyId: 'outside', trialId: `h${i}` }),
          args: ['--ready-after-ms', '50'],
          gpuCount: 4,
          node,
        }),
      ),
    );
    const running = study(
      clusterStudyOptions(join(dir, 'waits.jsonl'), {
        name: 'k8s-waits',
        fixedParams: { 'max-model-len': 4096, 'tensor-parallel-size': 1 },
        space: { 'max-num-seqs': [32, 64] },
        budget: { maxTrials: 2 },
        maxParallelTrials: 2,
      }),
      { controller: fakeClusterController(fake.url) },
    );
    await sleep(3_000);
    await Promise.all(holders.map((h) => h.stop()));
    const result = await running.result;
    expect(result.trials).toHaveLength(2);
    for (const t of result.trials) {
      expect(t.state).toBe('complete');
      expect(t.feasible).toBe(true);
      expect(t.capacityWaits).toBeGreaterThanOrEqual(1);
    }
    expect(objectsLeft()).toEqual([]);
  }, 120_000);

  it('without leave to list nodes, leaves placement to the scheduler, one trial at a time, pods still sized', async () => {
    fake.restrictTo(CONTROLLER_RULES);
    try {
      const placed = fake.placements.length;
      const result = await study(
        clusterStudyOptions(join(dir, 'no-nodes.jsonl'), {
          name: 'k8s-no-nodes',
          fixedParams: { 'max-model-len': 4096, 'tensor-parallel-size': 2 },
          space: { 'max-num-seqs': [32, 64] },
          budget: { maxTrials: 2 },
          maxParallelTrials: undefined,
        }),
        { controller: fakeClusterController(fake.url) },
      ).result;
      expect(result.trials.map((t) => [t.state, t.worldSize, t.node])).toEqual([
        ['complete', 2, undefined],
        ['complete', 2, undefined],
      ]);
      const mine = fake.placements.slice(placed);
      expect(mine.map((p) => p.gpus)).toEqual([2, 2]);
      expect(maxConcurrent(mine)).toBe(1);
    } finally {
      fake.allow();
    }
    expect(objectsLeft()).toEqual([]);
  }, 120_000);
});
