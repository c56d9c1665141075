import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolCapacityError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
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
  state: 'waiting' | 'granted' | 'aborted' | 'refused';
  lease?: GpuLease;
  rejection?: unknown;
}

/** One GPU of a generated inventory: which host it is on and whether it is a MIG instance. */
interface GpuShape {
  host: 'a' | 'b' | undefined;
  mig: boolean;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const opArb = (size: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), count: fc.integer({ min: 1, max: size }) }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }),
  );

const shapeArb: fc.Arbitrary<GpuShape> = fc.record({
  host: fc.constantFrom('a' as const, 'b' as const, undefined),
  mig: fc.boolean(),
});

const scenarioArb = fc.array(shapeArb, { minLength: 1, maxLength: 8 }).chain((shapes) =>
  fc.record({
    shapes: fc.constant(shapes),
    ops: fc.array(opArb(shapes.length), { maxLength: 40 }),
  }),
);

function inventory(shapes: GpuShape[]): GpuInfo[] {
  return shapes.map((shape, i) =>
    fakeGpu(i, 80_000 - (i % 3) * 15_000, {
      ...(shape.host ? { host: shape.host } : {}),
      ...(shape.mig ? { uuid: `MIG-${i}`, mig: { parentUuid: 'GPU-parent' } } : {}),
    }),
  );
}

function checkInvariants(pool: GpuPool, requests: Request[]): void {
  const active = requests.filter((r) => r.state === 'granted' && r.lease && !r.lease.released);
  const held = active.flatMap((r) => r.lease?.gpus.map((g) => g.uuid) ?? []);
  // No GPU in two live leases, and every GPU is either free or held.
  expect(new Set(held).size).toBe(held.length);
  expect(pool.available + held.length).toBe(pool.size);
  expect(pool.waiting).toBe(requests.filter((r) => r.state === 'waiting').length);
  for (const r of active) {
    const gpus = r.lease?.gpus ?? [];
    expect(gpus).toHaveLength(r.count);
    // One host per lease, and only whole GPUs when several are leased together.
    expect(new Set(gpus.map((g) => g.host)).size).toBe(1);
    if (r.count > 1) expect(gpus.some((g) => g.mig !== undefined)).toBe(false);
  }
  // A later request granted (now or before) while an earlier one still waits jumped the queue.
  const firstWaiting = requests.find((r) => r.state === 'waiting');
  if (firstWaiting) {
    expect(requests.some((r) => r.state === 'granted' && r.order > firstWaiting.order)).toBe(false);
  }
}

async function run(shapes: GpuShape[], ops: Op[]): Promise<void> {
  const pool = new GpuPool(inventory(shapes));
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
          request.state = error instanceof PoolCapacityError ? 'refused' : 'aborted';
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
    // Refused only when no host could ever hold that many (whole GPUs for a multi-GPU request).
    if (r.state === 'refused') expect(r.count).toBeGreaterThan((r.rejection as PoolCapacityError).capacity);
    r.lease?.release();
  }
  expect([pool.available, pool.waiting]).toStrictEqual([shapes.length, 0]);
}

describe('GpuPool properties', () => {
  it('never double-allocates, stays FIFO and serves every waiter under random acquire/release/abort', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, ({ shapes, ops }) => run(shapes, ops)),
      { numRuns: 600, seed: 20_261_122 },
    );
  });

  it('on one host of whole GPUs, refuses nothing up to the pool size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 8 })
          .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 1, max: size }))),
        async ([size, count]) => {
          const pool = new GpuPool(Array.from({ length: size }, (_, i) => fakeGpu(i)));
          const lease = await pool.acquire(count);
          expect(lease.gpus).toHaveLength(count);
          lease.release();
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });
});
