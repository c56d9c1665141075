import { describe, expect, it } from 'vitest';
import { type GpuLease, GpuPool } from '../../../src/gpu/gpu-pool.js';
import { fakeGpu } from './fixtures.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pool8 = (maxOvertakes?: number): GpuPool =>
  new GpuPool(
    Array.from({ length: 8 }, (_, i) => fakeGpu(i)),
    maxOvertakes === undefined ? {} : { maxOvertakes },
  );

/** Records the order in which requests are granted. */
function recorder() {
  const granted: string[] = [];
  const leases = new Map<string, GpuLease>();
  const ask = (pool: GpuPool, name: string, count: number) =>
    pool.acquire(count).then((lease) => {
      granted.push(name);
      leases.set(name, lease);
    });
  return { granted, leases, ask };
}

describe('GpuPool backfilling', () => {
  it.each<[string, number | undefined, number, number, number, boolean]>([
    // name, maxOvertakes, GPUs held, large request, small request, small served while large waits
    ['tp 1 passes a blocked tp 8 (default bound)', undefined, 4, 8, 1, true],
    ['tp 4 passes a blocked tp 8 in the 4 free GPUs', 3, 4, 8, 4, true],
    ['tp 2 passes a blocked tp 4', 1, 6, 4, 2, true],
    ['a small request that does not fit waits too', undefined, 7, 8, 2, false],
    ['strict order at 0: tp 1 waits behind tp 8', 0, 4, 8, 1, false],
  ])('%s', async (_name, maxOvertakes, held, large, small, passes) => {
    const pool = pool8(maxOvertakes);
    const holder = await pool.acquire(held);
    const { granted, leases, ask } = recorder();
    const done = Promise.all([ask(pool, 'large', large), ask(pool, 'small', small)]);
    await tick();
    expect(granted).toStrictEqual(passes ? ['small'] : []);
    holder.release();
    leases.get('small')?.release();
    await tick();
    if (!passes) leases.get('large')?.release();
    await done;
    expect(granted).toStrictEqual(passes ? ['small', 'large'] : ['large', 'small']);
  });

  it('defaults the bound to the pool size', () => {
    expect([
      pool8().maxOvertakes,
      pool8(0).maxOvertakes,
      new GpuPool([fakeGpu(0)]).maxOvertakes,
    ]).toStrictEqual([8, 0, 1]);
  });

  it.each([0, 1, 3, 8])(
    'with maxOvertakes %i, a wide request is overtaken exactly that often by a stream of narrow ones',
    async (maxOvertakes) => {
      const pool = pool8(maxOvertakes);
      const { granted, leases, ask } = recorder();
      // One GPU stays busy, so the tp 8 request cannot start until everything is given back.
      const busy = await pool.acquire(1);
      const wide = ask(pool, 'wide', 8);
      const narrow: Array<Promise<void>> = [];
      for (let i = 0; i < 12; i++) {
        // Each narrow request ends as soon as it starts.
        narrow.push(ask(pool, `n${i}`, 1).then(() => leases.get(`n${i}`)?.release()));
        await tick();
      }
      busy.release();
      await wide;
      const wideAt = granted.indexOf('wide');
      expect(wideAt).toBe(maxOvertakes);
      expect(granted.slice(0, wideAt)).toStrictEqual(Array.from({ length: maxOvertakes }, (_, i) => `n${i}`));
      leases.get('wide')?.release();
      await Promise.all(narrow);
      expect(granted).toHaveLength(13);
      for (const lease of leases.values()) lease.release();
      expect([pool.available, pool.waiting]).toStrictEqual([8, 0]);
    },
  );

  it('an aborted wide request lets the narrow ones behind it start', async () => {
    const pool = pool8(0);
    const busy = await pool.acquire(6);
    const controller = new AbortController();
    const wide = pool.acquire(8, { signal: controller.signal });
    const { granted, ask } = recorder();
    const narrow = ask(pool, 'n', 2);
    await tick();
    expect(granted).toStrictEqual([]);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(wide).rejects.toBe(reason);
    await narrow;
    expect(granted).toStrictEqual(['n']);
    busy.release();
  });
});
