// A whole study against the simulated engine in containers: the sim test image, the Docker controller the
// options describe, real HTTP through published ports, and no container left behind.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { study } from '../../src/tune/study.js';
import {
  ensureTestImage,
  managedContainers,
  requireDocker,
  SIM_IMAGE,
} from '../integration/docker/docker-env.js';

const enabled = await requireDocker('simulated study in Docker');

if (enabled) {
  describe('a simulated study through the Docker controller', () => {
    const name = `e2e-docker-${process.pid}`;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'study-docker-'));
      await ensureTestImage('sim');
    }, 600_000);

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('finds a best configuration, journals every trial and leaves no container', async () => {
      const journal = join(dir, 'study.jsonl');
      const running = study({
        name,
        runtime: 'sim',
        model: 'llama-3.1-8b',
        image: SIM_IMAGE,
        controller: { kind: 'docker' },
        sim: { gpu: 'a100-40gb', timeScale: 20 },
        fixedParams: { 'max-model-len': 4096 },
        space: { 'max-num-seqs': [8, 16, 32, 64], 'enable-chunked-prefill': [true, false] },
        workload: { kind: 'synthetic', inputTokens: 128, outputTokens: 32 },
        load: { kind: 'concurrency', levels: [16] },
        benchmark: { requests: 40, warmupRequests: 2 },
        // Wide margins: the simulated figures scale with real time on a busy machine.
        slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 2_000 }], maxErrorRate: 0.1 },
        objective: 'maximize_throughput',
        strategy: 'random',
        budget: { maxTrials: 4 },
        confirm: { top: 1, repeats: 1 },
        timeouts: { startupMs: 120_000, trialMs: 300_000 },
        journal,
        seed: 7,
      });
      const types: string[] = [];
      for await (const event of running) types.push(event.type);
      const result = await running.result;

      expect(result.studyId).toBe(name);
      expect(result.best).toBeDefined();
      expect(result.best?.record.feasible).toBe(true);
      expect(result.best?.record.manifest?.image).toBe(SIM_IMAGE);
      expect(result.best?.record.manifest?.controller).toBe('docker');
      expect(result.best?.record.manifest?.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.best?.objective[0]).toBeGreaterThan(0);
      expect(result.best?.exports.dockerRun).toContain(SIM_IMAGE);
      // baseline + 4 search trials + 1 confirmation run of the defaults and 1 of the best configuration
      expect(result.trials.map((t) => t.phase)).toEqual([
        'baseline',
        'search',
        'search',
        'search',
        'search',
        'confirm',
        'confirm',
      ]);
      for (const trial of result.trials) {
        expect(trial.state, JSON.stringify(trial.failure)).toBe('complete');
        expect(trial.metrics?.requestCount).toBe(40);
        expect(trial.startupMs).toBeGreaterThan(0);
      }
      expect(types[0]).toBe('study-started');
      expect(types).toContain('trial-ready');
      expect(types.at(-1)).toBe('study-finished');

      expect(existsSync(journal)).toBe(true);
      const contents = await readJournal(journal);
      expect(contents.header.studyId).toBe(name);
      expect(contents.entries.filter((e) => e.type === 'trial')).toHaveLength(result.trials.length);
      expect(contents.entries.at(-1)?.type).toBe('result');
      expect(await managedContainers(name)).toEqual([]);
    }, 300_000);
  });
}
