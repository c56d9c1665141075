// Studies run by the dashboard's process: submitted over HTTP (checked like autotune run), two at once on one static
// 4-GPU inventory never holding the same GPU, stopped (resumable) and resumed to the end, then compared.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../../src/controllers/local/local-controller.js';
import { journalTrials } from '../../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../../src/tune/journal/read-journal.js';
import { startUi, type UiServer } from '../../../src/ui/ui-server.js';

let folder: string;
let ui: UiServer;

const inventory = [0, 1, 2, 3]
  .map((i) => `  - { index: ${i}, uuid: GPU-ui-${i}, name: NVIDIA H100 80GB HBM3, memoryTotalMiB: 81559 }`)
  .join('\n');

function studyFile(name: string, lines: string[] = []): string {
  return [
    `name: ${name}`,
    'model: llama-3.1-8b',
    'sim: { gpu: h100, timeScale: 20 }',
    'gpus:',
    inventory,
    'maxParallelTrials: 2',
    'fixedParams: { tensor-parallel-size: 2 }',
    'space: { max-num-seqs: [16, 32, 64, 128, 256, 512] }',
    'workload: { kind: synthetic, inputTokens: 256, outputTokens: 64 }',
    'load: { kind: concurrency, levels: [16] }',
    'baseline: false',
    'confirm: { top: 0, repeats: 0 }',
    `controller: { kind: local, stateDir: ${JSON.stringify(path.join(folder, 'state'))} }`,
    ...lines,
  ].join('\n');
}

const post = (route: string, body?: unknown, headers: Record<string, string> = { 'x-autotune-ui': '1' }) =>
  fetch(`${ui.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function state(id: string): Promise<{ running: boolean; ending?: { outcome: string } }> {
  return (await fetch(`${ui.url}api/run/state?journal=${encodeURIComponent(id)}`)).json() as never;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ui-runner-'));
  ui = await startUi({ folder, port: 0, pollMs: 100 });
});

afterAll(async () => {
  await ui?.close();
  await new LocalController({ stateDir: path.join(folder, 'state') }).cleanup();
  await rm(folder, { recursive: true, force: true });
});

describe('studies run by autotune ui', () => {
  it('refuses a request without the dashboard header, a foreign Host, and a study file with problems', async () => {
    expect((await post('api/run/submit', { file: studyFile('x') }, {})).status).toBe(403);
    // A page of another site whose name resolves to this machine (DNS rebinding) sends its own name as Host.
    const rebound = await new Promise<number | undefined>((resolve, reject) =>
      request(`${ui.url}api/studies`, { headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(403);
    const bad = await post('api/run/submit', { file: 'model: llama-3.1-8b\nbudget: { maxTrials: -1 }\n' });
    expect(bad.status).toBe(400);
    const answer = (await bad.json()) as { problems: Array<{ path: string }> };
    expect(answer.problems.map((p) => p.path)).toContain('budget.maxTrials');
    expect((await post('api/run/submit', { file: 'model: [' })).status).toBe(400);
  });

  // Without host-wide leases only the dashboard's one pool keeps the two studies apart.
  it.each([
    { leases: 'host-wide GPU leases', prefix: 'ui', extra: [] },
    { leases: 'no host-wide GPU leases', prefix: 'ui-unleased', extra: ['gpuLeases: { enabled: false }'] },
  ])(
    'runs two submitted studies at once on one 4-GPU inventory without sharing a GPU ($leases)',
    async ({ prefix, extra }) => {
      const ids: string[] = [];
      for (const name of [`${prefix}-first`, `${prefix}-second`]) {
        const response = await post('api/run/submit', {
          file: studyFile(name, ['budget: { maxTrials: 4 }', ...extra]),
        });
        expect(response.status, await response.clone().text()).toBe(201);
        ids.push(((await response.json()) as { id: string }).id);
      }
      expect(ids).toEqual([`.autotune/${prefix}-first.jsonl`, `.autotune/${prefix}-second.jsonl`]);
      // Submitting a name again is refused: resume it instead.
      expect((await post('api/run/submit', { file: studyFile(`${prefix}-first`) })).status).toBe(400);
      for (const id of ids) await until(`${id} to end`, async () => (await state(id)).ending !== undefined);
      const holds: Array<{ id: string; gpus: number[]; from: number; to: number }> = [];
      for (const id of ids) {
        expect((await state(id)).ending?.outcome).toBe('finished');
        const trials = journalTrials((await readJournal(path.join(folder, id))).entries);
        expect(trials).toHaveLength(4);
        for (const t of trials) {
          holds.push({
            id,
            gpus: t.gpuIndices,
            from: Date.parse(t.gpusHeldAt as string),
            to: Date.parse(t.finishedAt),
          });
        }
      }
      const clashes = holds.flatMap((a) =>
        holds.filter(
          (b) => a.id < b.id && a.from < b.to && b.from < a.to && a.gpus.some((g) => b.gpus.includes(g)),
        ),
      );
      expect(clashes).toEqual([]);
      // The studies ran side by side: some trials of one held GPUs while some of the other did.
      const overlapping = holds.some((a) => holds.some((b) => a.id < b.id && a.from < b.to && b.from < a.to));
      expect(overlapping).toBe(true);
    },
    600_000,
  );

  it('stops a study (resumable), resumes it to its end, and compares it with another', async () => {
    const response = await post('api/run/submit', {
      file: studyFile('ui-stopped', [
        'budget: { maxTrials: 6 }',
        'benchmark: { requests: 400, warmupRequests: 2 }',
      ]),
    });
    const { id } = (await response.json()) as { id: string };
    const journal = path.join(folder, id);
    const trialsSoFar = async () =>
      journalTrials((await readJournal(journal).catch(() => ({ entries: [] }))).entries).length;
    await until('a first trial', async () => (await trialsSoFar()) >= 1);
    expect((await post(`api/run/stop?journal=${encodeURIComponent(id)}`)).status).toBe(202);
    await until('the stop', async () => (await state(id)).ending?.outcome === 'stopped');
    const kept = journalTrials((await readJournal(journal)).entries).length;
    expect(kept).toBeLessThan(6);
    expect((await post(`api/run/stop?journal=${encodeURIComponent(id)}`)).status).toBe(409);

    expect((await post(`api/run/resume?journal=${encodeURIComponent(id)}`)).status).toBe(202);
    await until('the resumed study', async () => (await state(id)).ending !== undefined);
    expect((await state(id)).ending?.outcome).toBe('finished');
    const after = await readJournal(journal);
    expect(journalTrials(after.entries).filter((t) => t.phase === 'search')).toHaveLength(6);
    expect(after.entries.at(-1)?.type).toBe('result');
    expect((await post(`api/run/resume?journal=${encodeURIComponent(id)}`)).status).toBe(409);

    const compare = await fetch(
      `${ui.url}compare?a=${encodeURIComponent(id)}&b=${encodeURIComponent('.autotune/ui-first.jsonl')}`,
    );
    expect(compare.status).toBe(200);
    const html = await compare.text();
    expect(html).toContain('ui-stopped');
    expect(html).toContain('ui-first');
    expect(html).toContain('max-num-seqs');
    expect((await fetch(`${ui.url}compare?a=${encodeURIComponent(id)}&b=..%2Fx.jsonl`)).status).toBe(404);
  }, 600_000);

  it('does not resume a journal another process may be writing (changed within the last minute)', async () => {
    const text = await readFile(path.join(folder, '.autotune', 'ui-first.jsonl'), 'utf8');
    const unfinished = text
      .split('\n')
      .filter((line) => !line.includes('"type":"result"'))
      .join('\n');
    await writeFile(path.join(folder, 'elsewhere.jsonl'), unfinished);
    const response = await post('api/run/resume?journal=elsewhere.jsonl');
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toContain('no other process writes');
    expect((await state('elsewhere.jsonl')).running).toBe(false);
  });
});
