import { afterEach, describe, expect, it } from 'vitest';
import { calibratePrompt } from '../../../src/benchmark/calibrate-prompt.js';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { BenchmarkError } from '../../../src/errors.js';
import {
  countScriptedPromptTokens,
  type ScriptedServer,
  startScriptedServer,
} from '../../support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('calibratePrompt', () => {
  it.each([
    // [server's counting rule, expected overhead, tokens per word]
    [
      'one BOS token plus one per word',
      (body: Record<string, unknown>) => countScriptedPromptTokens(body),
      1,
      1,
    ],
    [
      'a 12-token chat template, two tokens per word',
      (body: Record<string, unknown>) => 2 * (countScriptedPromptTokens(body) - 1) + 12,
      12,
      2,
    ],
  ])(
    'fits %s, and prompts built with it match the usage exactly',
    async (_name, count, overhead, perWord) => {
      server = await startScriptedServer((body) => ({
        kind: 'stream',
        ttftMs: 1,
        gapMs: 1,
        tokens: 1,
        promptTokens: count(body),
      }));
      const calibration = await calibratePrompt({ endpoint: server.url, model: 'm', api: 'chat' });
      expect(calibration).toMatchObject({
        overheadTokens: overhead,
        tokensPerWord: perWord,
        maxResidualTokens: 0,
      });
      const result = await runBenchmark({
        endpoint: server.url,
        model: 'm',
        api: 'chat',
        workload: syntheticWorkload({
          inputTokens: { kind: 'uniform', min: 30, max: 300 },
          outputTokens: 2,
          calibration,
        }),
        load: { kind: 'concurrency', concurrency: 4 },
        stop: { maxRequests: 12 },
      });
      expect(result.promptTokenCheck).toEqual({ compared: 12, mismatched: 0, maxAbsErrorTokens: 0 });
    },
  );

  it('refuses to guess when the server reports no usage', async () => {
    server = await startScriptedServer(() => ({
      kind: 'stream',
      ttftMs: 1,
      gapMs: 1,
      tokens: 1,
      usage: false,
    }));
    await expect(calibratePrompt({ endpoint: server.url, model: 'm' })).rejects.toThrow(BenchmarkError);
  });
});
