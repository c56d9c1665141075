// examples/llamacpp-docker.ts run as written: a study of a real llama-server (Debian's build) in Docker on CPU,
// serving a generated random-weight GGUF model, with a search budget of 8 trials.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalResult, journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import {
  ensureTestImage,
  LLAMA_IMAGE,
  managedContainers,
  requireDocker,
} from '../integration/docker/docker-env.js';
import { buildRandomLlamaGguf } from '../support/gguf/random-llama.js';
import { exampleEnv, runExample } from './support/run-example.js';

const enabled = await requireDocker('llama-server study in Docker');

if (enabled) {
  describe('examples/llamacpp-docker.ts: a study of llama-server in Docker', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'study-llamacpp-'));
    const name = `e2e-llama-${process.pid}`;
    const journal = path.join(dir, 'study.jsonl');
    const model = path.join(dir, 'models', 'random-llama.gguf');

    beforeAll(async () => {
      await ensureTestImage('llama-server');
      mkdirSync(path.dirname(model), { recursive: true });
      writeFileSync(model, buildRandomLlamaGguf({ weightType: 'f16' }));
    }, 600_000);

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('finishes 4 search trials with a feasible best configuration, every trial classified, no container left', async () => {
      const run = await runExample(
        'llamacpp-docker.ts',
        exampleEnv({
          LLAMA_IMAGE,
          LLAMA_MODEL: model,
          LLAMA_TRIALS: '4',
          AUTOTUNE_STUDY: name,
          AUTOTUNE_JOURNAL: journal,
        }),
        420_000,
      );
      expect(run.exitCode, run.output).toBe(0);
      expect(run.stdout).toContain('Best configuration');

      const contents = await readJournal(journal);
      expect(contents.header.studyId).toBe(name);
      const trials = journalTrials(contents.entries);
      expect(trials.filter((t) => t.phase === 'search')).toHaveLength(4);
      for (const trial of trials) {
        expect(['complete', 'failed', 'invalid', 'pruned']).toContain(trial.state);
        if (trial.state === 'failed' || trial.state === 'invalid') expect(trial.failure?.reason).toBeTruthy();
        if (trial.state === 'complete') expect(trial.manifest?.image).toBe(LLAMA_IMAGE);
      }
      expect(contents.entries.at(-1)?.type).toBe('result');
      const result = journalResult(contents.entries);
      expect(result?.best?.record.feasible).toBe(true);
      expect(result?.best?.record.state).toBe('complete');
      // The winner's own measurements keep the SLO the example sets (p90 TTFT 2 s, p90 TPOT 250 ms).
      expect(result?.best?.record.metrics?.ttftMs.p90).toBeLessThanOrEqual(2_000);
      expect(result?.best?.record.metrics?.tpotMs.p90).toBeLessThanOrEqual(250);
      expect(result?.best?.record.manifest?.argv).toEqual(expect.arrayContaining(['--n-gpu-layers', '0']));
      expect(result?.best?.exports.dockerRun).toContain(
        `--entrypoint llama-server ${LLAMA_IMAGE} -m /models/`,
      );

      expect(await managedContainers(name)).toEqual([]);
    }, 480_000);
  });
}
