// NvidiaSmiSampler runs one real process (a stand-in for nvidia-smi's sampling loop) from start to stop.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { NvidiaSmiSampler } from '../../../src/gpu/nvidia-smi-sampler.js';
import { smiFixturePath } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  delete process.env['FAKE_NVIDIA_SMI_PID_FILE'];
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('NvidiaSmiSampler', () => {
  it('reads every listed GPU each loop from one process, and leaves no process behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-sampler-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pid');
    process.env['FAKE_NVIDIA_SMI_PID_FILE'] = pidFile;
    const sampler = new NvidiaSmiSampler({
      command: smiFixturePath('fake-nvidia-smi-loop.sh'),
      gpuIndices: [0, 3],
      intervalMs: 50,
    });
    sampler.start();
    await sleep(600);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    await sampler.stop();
    expect(alive(pid)).toBe(false);
    expect(sampler.problem()).toBeUndefined();
    expect(new Set(sampler.readings.map((r) => r.index))).toEqual(new Set([0, 3]));
    // ~12 loops at 50 ms; a busy machine manages fewer, but more than one.
    expect(sampler.readings.length).toBeGreaterThanOrEqual(4);
    expect(sampler.readings[0]).toMatchObject({ utilizationPct: 100, memoryUsedMiB: 19818, powerW: 631.95 });
  });

  it.each([
    ['a missing nvidia-smi', '/nonexistent/nvidia-smi', /not found/],
    [
      'one that ends at once',
      smiFixturePath('fake-nvidia-smi-no-driver.sh'),
      /ended during the run|no reading/,
    ],
  ])('says what went wrong with %s, without throwing', async (_name, command, problem) => {
    const sampler = new NvidiaSmiSampler({ command, gpuIndices: [0], intervalMs: 50 });
    sampler.start();
    await sleep(300);
    await sampler.stop();
    expect(sampler.readings).toEqual([]);
    expect(sampler.problem()).toMatch(problem);
  });

  it('refuses an empty GPU list, naming the option', () => {
    expect(() => new NvidiaSmiSampler({ gpuIndices: [] })).toThrow(/gpuIndices/);
  });
});
