import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import { ensureTestImage, managedContainers, requireDocker, SIM_IMAGE } from './docker-env.js';
import { streamCompletion } from './stream-completion.js';

const simCli = fileURLToPath(new URL('../../../src/cli/inference-sim.ts', import.meta.url));
const enabled = await requireDocker('simulated engine in Docker');
if (enabled && !existsSync(simCli))
  it.skip('simulated engine in Docker: src/cli/inference-sim.ts is missing', () => {});

if (enabled && existsSync(simCli)) {
  describe('simulated engine in the sim image, launched from its runtime adapter through the Docker controller', () => {
    const controller = new DockerController({ stopGraceMs: 3_000 });
    const studyId = `simimg-${process.pid}`;

    beforeAll(async () => {
      await ensureTestImage('sim');
    }, 600_000);

    afterAll(async () => {
      expect(await managedContainers(studyId)).toEqual([]);
    });

    it('becomes ready, streams a completion of max_tokens tokens and stops', async () => {
      const spec = launchSpec({ 'max-num-seqs': 64 }, [], {
        runtime: 'sim',
        model: 'llama-3.1-8b',
        studyId,
        trialId: 't1',
        target: 'container',
        image: SIM_IMAGE,
        sim: { gpu: 'h100', timeScale: 50, seed: 1 },
      });
      await using handle = await controller.launch(spec);
      const result = await streamCompletion(handle.endpoint, {
        model: 'llama-3.1-8b',
        prompt: 'hello world',
        max_tokens: 6,
        ignore_eos: true,
      });
      expect(result.completionTokens ?? result.chunks.length).toBe(6);
      expect(result.finishReason).toBe('length');
      expect(await handle.logs()).toContain('inference-sim listening');
    });
  });
}
