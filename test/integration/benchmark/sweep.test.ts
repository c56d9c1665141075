import { afterEach, describe, expect, it } from 'vitest';
import { sweep } from '../../../src/benchmark/sweep.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('sweep', () => {
  it('runs one benchmark per level on fresh prompts', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 2, gapMs: 2, tokens: 3 }));
    const points = await sweep(
      {
        endpoint: server.url,
        model: 'm',
        workload: syntheticWorkload({ inputTokens: 30, outputTokens: 3 }),
        stop: { maxRequests: 4 },
      },
      { dimension: 'concurrency', levels: [1, 2, 4] },
    );
    expect(points.map((p) => p.level)).toEqual([1, 2, 4]);
    expect(points.map((p) => p.result.load)).toEqual([
      { kind: 'concurrency', concurrency: 1 },
      { kind: 'concurrency', concurrency: 2 },
      { kind: 'concurrency', concurrency: 4 },
    ]);
    for (const p of points) expect(p.result.counts.ok).toBe(4);
    // No level replays another level's prompts (they would hit a prefix cache).
    const prompts = server.requests.map((r) => r.body['prompt']);
    expect(new Set(prompts).size).toBe(12);
  });

  it('rejects an empty level list', async () => {
    await expect(
      sweep(
        {
          endpoint: 'http://127.0.0.1:1',
          model: 'm',
          workload: syntheticWorkload({ inputTokens: 3, outputTokens: 1 }),
          stop: { maxRequests: 1 },
        },
        { levels: [] },
      ),
    ).rejects.toThrow('sweep.levels');
  });
});
