// Continuous-batching scheduler and KV block pool: admission limits, chunking, preemption, prefix reuse.
import { describe, expect, it } from 'vitest';
import { KvBlockPool } from '../../../src/sim/prefix-cache.js';
import { ReplicaScheduler } from '../../../src/sim/scheduler.js';
import { resolveSimConfig, type SimConfigInput } from '../../../src/sim/sim-config.js';

function scheduler(input: Partial<SimConfigInput>, kvTokens: number): ReplicaScheduler {
  return new ReplicaScheduler(resolveSimConfig({ model: 'llama-3.1-8b', gpu: 'h100', ...input }), kvTokens);
}

function enqueue(s: ReplicaScheduler, count: number, promptTokens: number, outputTokens: number): void {
  for (let id = 0; id < count; id++) s.enqueue({ id, promptTokens, outputTokens, arrivalMs: 0 });
}

describe('ReplicaScheduler', () => {
  it.each([
    [{ maxNumSeqs: 4 }, 10, 100, { seqs: 4, tokens: 400 }],
    [{ maxBatchedTokens: 250 }, 10, 100, { seqs: 3, tokens: 250 }],
    [{ maxBatchedTokens: 250, chunkedPrefill: false }, 10, 100, { seqs: 2, tokens: 200 }],
  ])('first step with %j and %i prompts of %i tokens', (input, count, prompt, expected) => {
    const s = scheduler(input, 100_000);
    enqueue(s, count, prompt, 10);
    const plan = s.plan(0);
    expect(plan?.seqs.length).toBe(expected.seqs);
    expect(plan?.shape.prefillTokens).toBe(expected.tokens);
  });

  it('chunks a long prompt over several steps and then decodes one token per step', () => {
    const s = scheduler({ maxBatchedTokens: 256 }, 100_000);
    enqueue(s, 1, 600, 3);
    const emitted: number[] = [];
    for (let step = 0; step < 6; step++) {
      const plan = s.plan(step);
      if (!plan) break;
      emitted.push(s.complete(plan).emitted.length);
    }
    // 256 + 256 + 88 prompt tokens, then two decode steps.
    expect(emitted).toEqual([0, 0, 1, 1, 1]);
    expect(s.counters.finished).toBe(1);
  });

  it('preempts the newest sequence when the KV cache runs out, and recomputes it later', () => {
    const s = scheduler({ maxNumSeqs: 8 }, 16 * 20);
    enqueue(s, 3, 90, 60);
    let finished = 0;
    for (let step = 0; step < 400 && finished < 3; step++) {
      const plan = s.plan(step);
      if (!plan) break;
      finished += s.complete(plan).finished.length;
    }
    expect(finished).toBe(3);
    expect(s.counters.preemptions).toBeGreaterThan(0);
    expect(s.pool.used()).toBe(0);
  });

  it('serves a repeated prompt prefix from the cache', () => {
    const s = scheduler({}, 100_000);
    const hashes = Array.from({ length: 10 }, (_, i) => i + 1);
    s.enqueue({ id: 1, promptTokens: 170, outputTokens: 1, arrivalMs: 0, blockHashes: hashes });
    let plan = s.plan(0);
    if (plan) s.complete(plan);
    s.enqueue({ id: 2, promptTokens: 170, outputTokens: 1, arrivalMs: 1, blockHashes: hashes });
    plan = s.plan(1);
    expect(plan?.shape.prefillTokens).toBe(10);
    expect(s.counters.prefixHitTokens).toBe(160);
  });
});

describe('KvBlockPool', () => {
  it('keeps released shared blocks cached until their memory is needed', () => {
    const pool = new KvBlockPool(4);
    expect(pool.allocate(2)).toBe(true);
    expect(pool.publish([11, 12])).toEqual([11, 12]);
    pool.release(0, [11, 12], true);
    expect(pool.used()).toBe(0);
    expect(pool.matchPrefix([11, 12, 13])).toBe(2);
    expect(pool.allocate(3)).toBe(true);
    // Two free blocks plus one evicted cached block: only one cached block survives.
    expect(pool.matchPrefix([11, 12])).toBeLessThan(2);
    expect(pool.allocate(2)).toBe(false);
  });
});
