import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GpuLease, GpuPool } from '../../../src/gpu/gpu-pool.js';
import { fakeGpu } from './fixtures.js';

type Op =
  | { kind: 'acquire'; count: number }
  | { kind: 'release'; pick: number }
  | { kind: 'abort'; pick: number };

interface Request {
  order: number;
  count: number;
  controller: AbortController;
  state: 'waiting' | 'granted' | 'aborted';
  lease?: GpuLease;
  rejection?: unknown;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const opArb = (size: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), count: fc.integer({ min: 1, max: size }) }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }),
  );

const scenarioArb = fc
  .integer({ min: 1, max: 8 })
  .chain((size) => fc.record({ size: fc.constant(size), ops: fc.array(opArb(size), { maxLength: 40 }) }));

function checkInvariants(pool: GpuPool, requests: Request[]): void {
  const active = requests.filter((r) => r.state === 'granted' && r.lease && !r.lease.released);
  const held = active.flatMap((r) => r.lease?.gpus.map((g) => g.uuid) ?? []);
  // No GPU in two live leases, and every GPU is either free or held.
  expect(new Set(held).size).toBe(held.length);
  expect(pool.available + held.length).toBe(pool.size);
  expect(pool.waiting).toBe(requests.filter((r) => r.state === 'waiting').length);
  for (const r of active) expect(r.lease?.gpus).toHaveLength(r.count);
  // First come, first served: nothing is granted while an earlier request still waits.
  const firstWaiting = requests.find((r) => r.state === 'waiting');
  // A later request granted (now or before) while this one still waits would have jumped the queue.
  if (firstWaiting)
    expect(requests.some((r) => r.state === 'granted' && r.order > firstWaiting.order)).toBe(false);
}

async function run(size: number, ops: Op[]): Promise<void> {
  const pool = new GpuPool(Array.from({ length: size }, (_, i) => fakeGpu(i, 80_000 - (i % 3) * 15_000)));
  const requests: Request[] = [];
  for (const op of ops) {
    if (op.kind === 'acquire') {
      const request: Request = {
        order: requests.length,
        count: op.count,
        controller: new AbortController(),
        state: 'waiting',
      };
      requests.push(request);
      pool.acquire(op.count, { signal: request.controller.signal }).then(
        (lease) => {
          request.state = 'granted';
          request.lease = lease;
        },
        (error: unknown) => {
          request.state = 'aborted';
          request.rejection = error;
        },
      );
    } else {
      const candidates =
        op.kind === 'release'
          ? requests.filter((r) => r.state === 'granted' && !r.lease?.released)
          : requests.filter((r) => r.state === 'waiting');
      const target = candidates[op.pick % Math.max(1, candidates.length)];
      if (target && op.kind === 'release') target.lease?.release();
      if (target && op.kind === 'abort') target.controller.abort(new Error(`abort ${target.order}`));
    }
    await tick();
    checkInvariants(pool, requests);
  }
  // Liveness: once leases are given back, every request still waiting is served.
  for (let round = 0; requests.some((r) => r.state === 'waiting'); round++) {
    expect(round).toBeLessThan(requests.length + 1);
    for (const r of requests) if (r.state === 'granted') r.lease?.release();
    await tick();
    checkInvariants(pool, requests);
  }
  for (const r of requests) {
    if (r.state === 'aborted') expect((r.rejection as Error).message).toBe(`abort ${r.order}`);
    r.lease?.release();
  }
  expect([pool.available, pool.waiting]).toStrictEqual([size, 0]);
}

describe('GpuPool properties', () => {
  it('never double-allocates, stays FIFO and serves every waiter under random acquire/release/abort', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, ({ size, ops }) => run(size, ops)),
      { numRuns: 300, seed: 20_261_122 },
    );
  });
});
