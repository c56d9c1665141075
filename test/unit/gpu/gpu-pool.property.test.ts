import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolCapacityError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { chooseGpuSet } from '../../../src/gpu/gpu-placement.js';
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
  /** Later requests granted while this one was waiting. */
  overtaken: number;
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
  // Aborts are rarer than acquires and releases so that queues grow and backfilling reaches its bound.
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('acquire' as const),
        count: fc.integer({ min: 1, max: size }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
  );

const shapeArb: fc.Arbitrary<GpuShape> = fc.record({
  host: fc.constantFrom('a' as const, 'b' as const, undefined),
  mig: fc.boolean(),
});

const scenarioArb = fc.array(shapeArb, { minLength: 1, maxLength: 8 }).chain((shapes) =>
  fc.record({
    shapes: fc.constant(shapes),
    ops: fc.array(opArb(shapes.length), { maxLength: 40, size: 'max' }),
    // undefined: the default bound (the pool size).
    maxOvertakes: fc.constantFrom(0, 1, 2, 3, 8, Number.POSITIVE_INFINITY, undefined),
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

function checkInvariants(pool: GpuPool, requests: Request[], maxOvertakes: number): void {
  const active = requests.filter((r) => r.state === 'granted' && r.lease && !r.lease.released);
  const heldUuids = active.flatMap((r) => r.lease?.gpus.map((g) => g.uuid) ?? []);
  // No GPU in two live leases, and every GPU is either free or held.
  expect(new Set(heldUuids).size).toBe(heldUuids.length);
  expect(pool.available + heldUuids.length).toBe(pool.size);
  expect(pool.waiting).toBe(requests.filter((r) => r.state === 'waiting').length);
  for (const r of active) {
    const gpus = r.lease?.gpus ?? [];
    expect(gpus).toHaveLength(r.count);
    // One host per lease, and only whole GPUs when several are leased together.
    expect(new Set(gpus.map((g) => g.host)).size).toBe(1);
    if (r.count > 1) expect(gpus.some((g) => g.mig !== undefined)).toBe(false);
  }
  // Starvation bound: no request is overtaken more than maxOvertakes times (0: strict arrival order).
  for (const r of requests) expect(r.overtaken).toBeLessThanOrEqual(maxOvertakes);
  // Backfilling leaves no request waiting that fits the free GPUs, unless an earlier waiting request
  // has reached its bound (or it is the first one waiting and does not fit).
  const held = new Set(heldUuids);
  const free = pool.gpus.filter((g) => !held.has(g.uuid));
  for (const r of requests) {
    if (r.state !== 'waiting') continue;
    expect(chooseGpuSet(free, r.count)).toBeUndefined();
    if (r.overtaken >= maxOvertakes) break;
  }
}

async function run(shapes: GpuShape[], ops: Op[], maxOvertakes: number | undefined): Promise<void> {
  const pool = new GpuPool(inventory(shapes), maxOvertakes === undefined ? {} : { maxOvertakes });
  expect(pool.maxOvertakes).toBe(maxOvertakes ?? shapes.length);
  const requests: Request[] = [];
  for (const op of ops) {
    if (op.kind === 'acquire') {
      const request: Request = {
        order: requests.length,
        count: op.count,
        controller: new AbortController(),
        state: 'waiting',
        overtaken: 0,
      };
      requests.push(request);
      pool.acquire(op.count, { signal: request.controller.signal }).then(
        (lease) => {
          // Grants settle in the order they were made, so whoever still waits here was overtaken.
          for (const r of requests) if (r.state === 'waiting' && r.order < request.order) r.overtaken++;
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
    checkInvariants(pool, requests, pool.maxOvertakes);
  }
  // Liveness: once leases are given back, every request still waiting is served.
  for (let round = 0; requests.some((r) => r.state === 'waiting'); round++) {
    expect(round).toBeLessThan(requests.length + 1);
    for (const r of requests) if (r.state === 'granted') r.lease?.release();
    await tick();
    checkInvariants(pool, requests, pool.maxOvertakes);
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
  it('never double-allocates, backfills within the overtake bound (FIFO at 0) and serves every waiter', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, ({ shapes, ops, maxOvertakes }) => run(shapes, ops, maxOvertakes)),
      { numRuns: 800, seed: 20_261_122 },
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
