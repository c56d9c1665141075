import { describe, expect, it } from 'vitest';
import { InvalidOptionError, PoolCapacityError } from '../../../src/errors.js';
import { GpuPool, type GpuPoolOptions } from '../../../src/gpu/gpu-pool.js';
import { StaticGpuProbe } from '../../../src/gpu/static-gpu-probe.js';
import { fakeGpu } from './fixtures.js';

const pool4 = (options: GpuPoolOptions = {}): GpuPool =>
  new GpuPool(
    [0, 1, 2, 3].map((i) => fakeGpu(i)),
    options,
  );
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet, for asserting that a request is still waiting. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  return { settled: () => done, promise };
}

describe('GpuPool', () => {
  it('hands out free GPUs at once and counts them', async () => {
    const pool = pool4();
    expect([pool.size, pool.available, pool.waiting]).toStrictEqual([4, 4, 0]);
    const lease = await pool.acquire(3);
    expect(lease.gpus).toHaveLength(3);
    expect(Object.isFrozen(lease.gpus)).toBe(true);
    expect([pool.available, pool.waiting]).toStrictEqual([1, 0]);
    lease.release();
    expect(pool.available).toBe(4);
  });

  it('waits until enough GPUs are released, and release is idempotent', async () => {
    const pool = pool4();
    const first = await pool.acquire(3);
    const second = track(pool.acquire(2));
    await tick();
    expect([second.settled(), pool.waiting]).toStrictEqual([false, 1]);
    first.release();
    first.release();
    const lease = await second.promise;
    expect(lease.gpus).toHaveLength(2);
    expect([pool.available, pool.waiting, first.released]).toStrictEqual([2, 0, true]);
  });

  it('never gives one GPU to two leases', async () => {
    const pool = pool4();
    const a = await pool.acquire(2);
    const b = await pool.acquire(2);
    const uuids = [...a.gpus, ...b.gpus].map((g) => g.uuid);
    expect(new Set(uuids).size).toBe(4);
  });

  it('with maxOvertakes 0, serves requests strictly in arrival order', async () => {
    const pool = pool4({ maxOvertakes: 0 });
    const held = await pool.acquire(3);
    const large = track(pool.acquire(4));
    const small = track(pool.acquire(1));
    await tick();
    // One GPU is free, but the small request arrived after the large one.
    expect([large.settled(), small.settled(), pool.available]).toStrictEqual([false, false, 1]);
    held.release();
    const bigLease = await large.promise;
    await tick();
    expect(small.settled()).toBe(false);
    bigLease.release();
    expect((await small.promise).gpus).toHaveLength(1);
  });

  it('releases on dispose (using and await using)', async () => {
    const pool = pool4();
    {
      using lease = await pool.acquire(2);
      expect(lease.gpus).toHaveLength(2);
      expect(pool.available).toBe(2);
    }
    expect(pool.available).toBe(4);
    {
      await using lease = await pool.acquire(4);
      expect(lease.released).toBe(false);
    }
    expect(pool.available).toBe(4);
  });

  it('rejects a request larger than the pool at once', async () => {
    const pool = pool4();
    await expect(pool.acquire(5)).rejects.toBeInstanceOf(PoolCapacityError);
    await expect(pool.acquire(5)).rejects.toMatchObject({
      requested: 5,
      capacity: 4,
      code: 'ERR_POOL_CAPACITY',
    });
    expect(pool.waiting).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, '2'])('rejects count %j as an invalid option', async (count) => {
    await expect(pool4().acquire(count as number)).rejects.toMatchObject({ option: 'count' });
    await expect(pool4().acquire(count as number)).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('rejects with the signal reason unchanged and drops the waiter when aborted', async () => {
    const pool = pool4();
    const held = await pool.acquire(4);
    const controller = new AbortController();
    const waiting = pool.acquire(1, { signal: controller.signal });
    await tick();
    expect(pool.waiting).toBe(1);
    const reason = new Error('trial cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(pool.waiting).toBe(0);
    held.release();
    expect(pool.available).toBe(4);
  });

  it('rejects at once when the signal is already aborted, even with GPUs free', async () => {
    const reason = new Error('stop');
    await expect(pool4().acquire(1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('serves the next waiter when an aborted head request leaves', async () => {
    const pool = pool4({ maxOvertakes: 0 });
    const held = await pool.acquire(2);
    const controller = new AbortController();
    const large = pool.acquire(4, { signal: controller.signal });
    const small = track(pool.acquire(2));
    await tick();
    expect(small.settled()).toBe(false);
    controller.abort();
    await expect(large).rejects.toBeInstanceOf(DOMException);
    expect((await small.promise).gpus).toHaveLength(2);
    held.release();
  });

  it('ignores an abort after the GPUs were handed out', async () => {
    const pool = pool4();
    const controller = new AbortController();
    const lease = await pool.acquire(2, { signal: controller.signal });
    controller.abort();
    expect([lease.released, pool.available]).toStrictEqual([false, 2]);
  });

  it('prefers a balanced set when several fit', async () => {
    const pool = new GpuPool([fakeGpu(0, 80_000), fakeGpu(1, 40_000), fakeGpu(2, 39_000)]);
    const lease = await pool.acquire(2);
    expect(lease.gpus.map((g) => g.index)).toStrictEqual([1, 2]);
  });

  it('still hands out an unbalanced set rather than wait forever', async () => {
    const pool = new GpuPool([fakeGpu(0, 80_000), fakeGpu(1, 10_000)]);
    expect((await pool.acquire(2)).gpus.map((g) => g.index)).toStrictEqual([0, 1]);
  });

  it('works on an 8-GPU static inventory of fake GPUs', async () => {
    const { gpus } = await new StaticGpuProbe(
      Array.from({ length: 8 }, (_, index) => ({ index, memoryTotalMiB: 81_920, name: 'H100' })),
    ).probe();
    const pool = new GpuPool(gpus);
    const leases = await Promise.all([pool.acquire(4), pool.acquire(2), pool.acquire(2)]);
    expect(new Set(leases.flatMap((l) => l.gpus.map((g) => g.uuid))).size).toBe(8);
    expect(pool.available).toBe(0);
    for (const lease of leases) lease.release();
    expect(pool.available).toBe(8);
  });

  it.each<[string, unknown[], unknown, string]>([
    ['a repeated uuid', [fakeGpu(0), fakeGpu(0)], {}, 'gpus[1].uuid'],
    ['a missing uuid', [{ ...fakeGpu(0), uuid: '' }], {}, 'gpus[0].uuid'],
    ['a bad balance ratio', [fakeGpu(0)], { minBalanceRatio: 0 }, 'minBalanceRatio'],
    ['a negative overtake bound', [fakeGpu(0)], { maxOvertakes: -1 }, 'maxOvertakes'],
    ['a fractional overtake bound', [fakeGpu(0)], { maxOvertakes: 1.5 }, 'maxOvertakes'],
    ['a NaN overtake bound', [fakeGpu(0)], { maxOvertakes: Number.NaN }, 'maxOvertakes'],
    ['an overtake bound given as text', [fakeGpu(0)], { maxOvertakes: '2' }, 'maxOvertakes'],
  ])('rejects %s', (_name, gpus, options, option) => {
    expect(() => new GpuPool(gpus as never, options as never)).toThrow(expect.objectContaining({ option }));
  });

  it('keeps a lease on one host and refuses a set larger than any host', async () => {
    const pool = new GpuPool([
      fakeGpu(0, 80_000, { host: 'a', uuid: 'a0' }),
      fakeGpu(1, 80_000, { host: 'a', uuid: 'a1' }),
      fakeGpu(0, 80_000, { host: 'b', uuid: 'b0' }),
    ]);
    await expect(pool.acquire(3)).rejects.toMatchObject({ requested: 3, capacity: 2 });
    // Best fit: the single GPU comes from host b, so host a can still hold a pair.
    const single = await pool.acquire(1);
    expect(single.gpus.map((g) => g.uuid)).toStrictEqual(['b0']);
    const pair = await pool.acquire(2);
    expect(pair.gpus.map((g) => g.uuid)).toStrictEqual(['a0', 'a1']);
    single.release();
    // One GPU free on b and none on a: a pair must wait for host a.
    const next = track(pool.acquire(2));
    await tick();
    expect([next.settled(), pool.available]).toStrictEqual([false, 1]);
    pair.release();
    expect((await next.promise).gpus.map((g) => g.host)).toStrictEqual(['a', 'a']);
  });

  it('may span hosts when sameHost is false', async () => {
    const pool = new GpuPool(
      [fakeGpu(0, 80_000, { host: 'a' }), fakeGpu(0, 80_000, { host: 'b', uuid: 'b0' })],
      {
        sameHost: false,
      },
    );
    expect((await pool.acquire(2)).gpus.map((g) => g.host)).toStrictEqual(['a', 'b']);
  });

  it('leases MIG instances one at a time only', async () => {
    const mig = (i: number) => fakeGpu(0, 20_000, { uuid: `MIG-${i}`, mig: { parentUuid: 'GPU-p' } });
    const pool = new GpuPool([mig(0), mig(1), fakeGpu(1, 80_000)]);
    await expect(pool.acquire(2)).rejects.toMatchObject({ requested: 2, capacity: 1 });
    const leases = await Promise.all([pool.acquire(1), pool.acquire(1), pool.acquire(1)]);
    expect(leases.map((l) => l.gpus[0]?.uuid).sort()).toStrictEqual(['GPU-fake-1', 'MIG-0', 'MIG-1']);
  });

  it('an empty pool refuses every request', async () => {
    await expect(new GpuPool([]).acquire(1)).rejects.toBeInstanceOf(PoolCapacityError);
  });
});
