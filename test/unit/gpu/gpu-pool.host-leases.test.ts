// GpuPool with host-wide leases: GPUs another pool (standing for another process) holds are waited for, not shared.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GpuPool } from '../../../src/gpu/gpu-pool.js';
import { HostGpuLeases, type HostLeaseInfo } from '../../../src/gpu/host-gpu-leases.js';
import { fakeGpu } from './fixtures.js';

const gpus = [0, 1, 2, 3].map((i) => fakeGpu(i));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pool-leases-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function hostPool(studyId: string, told: HostLeaseInfo[][] = []) {
  return new GpuPool(gpus, {
    hostLeases: new HostGpuLeases({ dir, studyId }),
    hostLeasePollMs: 20,
    onHeldElsewhere: (holders) => told.push(holders),
  });
}

describe('GpuPool with host leases', () => {
  it('hands out only GPUs no other pool on the host holds, and waits for the rest', async () => {
    const told: HostLeaseInfo[][] = [];
    const first = hostPool('first');
    const second = hostPool('second', told);
    const a = await first.acquire(3);
    const b = await second.acquire(1);
    expect(b.gpus.map((g) => g.uuid)).not.toContain(a.gpus[0]?.uuid);
    expect(new Set([...a.gpus, ...b.gpus].map((g) => g.uuid)).size).toBe(4);
    // Both pools count their own GPUs as free; the lease files say otherwise.
    expect(second.available).toBe(3);
    let got = false;
    const waiting = second.acquire(2).then((lease) => {
      got = true;
      return lease;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(got).toBe(false);
    expect(told).toHaveLength(1);
    expect(told[0]?.map((h) => h.studyId)).toEqual(['first', 'first', 'first']);
    a.release();
    const c = await waiting;
    expect(c.gpus.map((g) => g.uuid)).not.toContain(b.gpus[0]?.uuid);
    b.release();
    c.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an aborted wait for GPUs held elsewhere leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const first = hostPool('first');
    const second = hostPool('second');
    const all = await first.acquire(4);
    const controller = new AbortController();
    const waiting = second.acquire(1, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers()).toBe(before + 1);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(second.waiting).toBe(0);
    // The pool looked again on a timer while it waited: gone with the wait.
    expect(timers()).toBe(before);
    all.release();
  });

  it('without host leases, two pools hand out the same GPUs (as before)', async () => {
    const a = await new GpuPool(gpus).acquire(4);
    const b = await new GpuPool(gpus).acquire(4);
    expect(b.gpus.map((g) => g.uuid).sort()).toEqual(a.gpus.map((g) => g.uuid).sort());
  });
});
