import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerController } from '../../../src/controllers/docker/docker-controller.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import { buildRandomLlamaGguf } from '../../support/gguf/random-llama.js';
import { ensureTestImage, LLAMA_IMAGE, managedContainers, requireDocker } from './docker-env.js';
import { streamCompletion } from './stream-completion.js';

const enabled = await requireDocker('llama-server in Docker');

if (enabled) {
  describe('llama-server (Debian sid) through the Docker controller with a generated GGUF model', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autotune-gguf-'));
    const controller = new DockerController({ stopGraceMs: 5_000 });

    beforeAll(async () => {
      await ensureTestImage('llama-server');
      writeFileSync(path.join(dir, 'random-f16.gguf'), buildRandomLlamaGguf({ weightType: 'f16' }));
      writeFileSync(path.join(dir, 'random-q8_0.gguf'), buildRandomLlamaGguf({ weightType: 'q8_0' }));
    }, 600_000);

    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      expect(await managedContainers('llama-')).toEqual([]);
    });

    it.each(['f16', 'q8_0'])('loads the %s model and streams exactly max_tokens tokens', async (weights) => {
      const spec = launchSpec({ 'ctx-size': 512, parallel: 2, threads: 2 }, [], {
        runtime: 'llamacpp',
        modelPath: path.join(dir, `random-${weights}.gguf`),
        studyId: `llama-${weights}-${process.pid}`,
        trialId: 't1',
        target: 'container',
        image: LLAMA_IMAGE,
        entrypoint: ['llama-server'],
        readinessTimeoutMs: 60_000,
      });
      await using handle = await controller.launch(spec);
      const models = await fetch(`${handle.endpoint}/v1/models`).then(
        (r) => r.json() as Promise<{ data: unknown[] }>,
      );
      expect(models.data).toHaveLength(1);
      const prompt = 'once upon a time the quick brown fox';
      // One request at a time: under concurrent streams llama-server may close a connection mid-stream, which the
      // load generator records as a failed request; this test is about launching and serving, not about that.
      const one = await streamCompletion(handle.endpoint, {
        prompt,
        max_tokens: 16,
        ignore_eos: true,
        temperature: 0,
      });
      const two = await streamCompletion(handle.endpoint, {
        prompt: 'hello world',
        max_tokens: 8,
        ignore_eos: true,
      });
      expect(one.completionTokens).toBe(16);
      expect(one.finishReason).toBe('length');
      // Byte tokens that are not complete UTF-8 yet arrive as empty text: count chunks, not characters.
      expect(one.chunks.length).toBeGreaterThan(0);
      expect(one.chunks.length).toBeLessThanOrEqual(16);
      expect(two.completionTokens).toBe(8);
      expect(await handle.logs()).toMatch(/model loaded|listening/);
    });
  });
}
