// The dashboard's studies on the same GPUs take them from one pool: a GPU one holds is not handed to another, even
// with host-wide leases turned off, and the pool (with its host leases) goes once the last study using it ends.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import type { StudyEvent } from '../../../src/tune/events.js';
import { SharedGpuPools } from '../../../src/tune/shared-gpu-pools.js';

const gpu = (index: number, prefix = 'GPU-shared'): GpuInfo => ({
  index,
  uuid: `${prefix}-${index}`,
  name: 'NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
  memoryUsedMiB: 0,
  memoryFreeMiB: 81_559,
  utilizationPct: undefined,
  processes: [],
});
const four = [0, 1, 2, 3].map((i) => gpu(i));
const noLeases = { maxOvertakes: undefined, gpuLeases: { enabled: false } };
const context = (studyId: string, events: StudyEvent[] = []) => ({
  studyId,
  emit: (event: StudyEvent) => events.push(event),
});

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('SharedGpuPools', () => {
  it('gives studies on the same GPUs one pool, so they never hold the same GPU', async () => {
    const pools = new SharedGpuPools();
    // The second study lists its GPUs in another order: the same devices, the same pool.
    const a = pools.open(four, 'static', noLeases, context('a'));
    const b = pools.open([...four].reverse(), 'static', noLeases, context('b'));
    expect(b.pool).toBe(a.pool);
    expect(pools.size).toBe(1);
    const first = await a.pool.acquire(2);
    const second = await b.pool.acquire(2);
    const held = [...first.gpus, ...second.gpus].map((g) => g.uuid);
    expect(new Set(held).size).toBe(4);
    // All four are out: a third request waits until one of the studies gives its GPUs back.
    const third = b.pool.acquire(2);
    let granted = false;
    void third.then(() => {
      granted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(granted).toBe(false);
    first.release();
    expect((await third).gpus.map((g) => g.uuid).sort()).toEqual(first.gpus.map((g) => g.uuid).sort());
    a.close();
    b.close();
    expect(pools.size).toBe(0);
  });

  it('keeps separate pools for other GPUs and for the virtual GPUs of simulated studies', () => {
    const pools = new SharedGpuPools();
    const a = pools.open(four, 'static', noLeases, context('a'));
    const other = pools.open([gpu(0, 'GPU-other')], 'static', noLeases, context('b'));
    const virtualA = pools.open(four, 'virtual', noLeases, context('c'));
    const virtualB = pools.open(four, 'virtual', noLeases, context('d'));
    expect(other.pool).not.toBe(a.pool);
    expect(virtualA.pool).not.toBe(a.pool);
    expect(virtualB.pool).not.toBe(virtualA.pool);
    expect(pools.size).toBe(2);
    for (const p of [a, other, virtualA, virtualB]) p.close();
    expect(pools.size).toBe(0);
  });

  it('holds the host leases until the last study using the pool ends; closing twice changes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shared-pools-'));
    dirs.push(dir);
    const pools = new SharedGpuPools();
    const options = { maxOvertakes: undefined, gpuLeases: { enabled: true, dir } };
    const a = pools.open(four, 'static', options, context('a'));
    const b = pools.open(four, 'static', options, context('b'));
    const lease = await b.pool.acquire(1);
    expect(await readdir(dir)).toHaveLength(1);
    a.close();
    a.close();
    expect(pools.size).toBe(1);
    expect(await readdir(dir)).toHaveLength(1);
    b.close();
    expect(pools.size).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    lease.release();
  });
});
