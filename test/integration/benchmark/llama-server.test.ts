import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibratePrompt } from '../../../src/benchmark/calibrate-prompt.js';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import { buildRandomLlamaGguf } from '../../support/gguf/random-llama.js';
import { ensureTestImage, LLAMA_IMAGE, requireDocker } from '../docker/docker-env.js';

const enabled = await requireDocker('load generator against llama-server');

if (enabled) {
  describe('the load generator against a real llama-server (random-weight GGUF, real tokenizer)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loadgen-gguf-'));
    const controller = new DockerController({ stopGraceMs: 5_000 });

    beforeAll(async () => {
      await ensureTestImage('llama-server');
      writeFileSync(path.join(dir, 'model.gguf'), buildRandomLlamaGguf({ weightType: 'q8_0' }));
    }, 600_000);

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('calibrates prompt lengths against the tokenizer and records every request, failed or not', async () => {
      const spec = launchSpec({ 'ctx-size': 1024, parallel: 2, threads: 2 }, [], {
        runtime: 'llamacpp',
        modelPath: path.join(dir, 'model.gguf'),
        studyId: `loadgen-llama-${process.pid}`,
        trialId: 't1',
        target: 'container',
        image: LLAMA_IMAGE,
        entrypoint: ['llama-server'],
        readinessTimeoutMs: 60_000,
      });
      await using handle = await controller.launch(spec);
      const target = { endpoint: handle.endpoint, model: 'random', timeoutMs: 60_000 };
      const calibration = await calibratePrompt(target);
      // Every word of the prompt generator is one piece of the model's vocabulary; BOS is the overhead.
      expect(calibration).toMatchObject({ overheadTokens: 1, tokensPerWord: 1, maxResidualTokens: 0 });
      const result = await runBenchmark({
        ...target,
        workload: syntheticWorkload({
          inputTokens: { kind: 'uniform', min: 20, max: 120 },
          outputTokens: 8,
          calibration,
        }),
        load: { kind: 'concurrency', concurrency: 2 },
        stop: { maxRequests: 6 },
        extraBody: { temperature: 0 },
      });
      expect(result.counts.ok + result.counts.error).toBe(6);
      // llama-server may drop a connection mid-stream under concurrent load: a record, not an exception.
      for (const r of result.records.filter((x) => x.status === 'error'))
        expect(r.error).toMatch(/mid-stream|ended|socket hang up|ECONNRESET/);
      expect(result.counts.ok).toBeGreaterThan(0);
      for (const r of result.records.filter((x) => x.status === 'ok')) {
        expect(r.outputTokens).toBe(8);
        expect(r.usageReported).toBe(true);
        expect(r.firstTokenMs).toBeDefined();
      }
      expect(result.promptTokenCheck.mismatched).toBe(0);
      expect(result.metrics.ttftMs.p50).toBeGreaterThan(0);
    }, 180_000);
  });
}
