import { describe, expect, it } from 'vitest';
import type { GpuProbe, GpuProbeResult } from '../../../src/gpu/gpu-probe.js';
import { NvidiaSmiProbe } from '../../../src/gpu/nvidia-smi-probe.js';
import { probeGpus } from '../../../src/gpu/probe-gpus.js';
import { StaticGpuProbe } from '../../../src/gpu/static-gpu-probe.js';
import { smiFixturePath } from './fixtures.js';

/** A probe that throws, standing in for a broken third-party library. */
const throwingProbe: GpuProbe = {
  source: 'systeminformation',
  probe: (): Promise<GpuProbeResult> => Promise.reject(new Error('library exploded\nstack...')),
};

describe('probeGpus', () => {
  it('returns the static inventory without probing the machine', async () => {
    const result = await probeGpus({
      static: Array.from({ length: 8 }, (_, index) => ({ index, memoryTotalMiB: 81_920 })),
    });
    expect(result.source).toBe('static');
    expect(result.gpus.map((g) => g.uuid)).toHaveLength(8);
  });

  it('validates the static inventory', async () => {
    await expect(probeGpus({ static: [{ index: -1, memoryTotalMiB: 1 }] })).rejects.toMatchObject({
      option: 'static[0].index',
    });
  });

  // Real probes on this machine: no nvidia-smi, no NVIDIA controller.
  it('says no NVIDIA GPUs are visible, with every probe reason, when nothing is found', async () => {
    const result = await probeGpus();
    expect(result.gpus).toStrictEqual([]);
    expect(result.source).toBe('none');
    expect(result.reason).toMatch(
      /^no NVIDIA GPUs visible \(nvidia-smi: nvidia-smi not found on PATH; systeminformation: systeminformation lists \d+ graphics controller/,
    );
  });

  it('uses the first probe that sees GPUs and notes why earlier ones were skipped', async () => {
    const result = await probeGpus({
      probes: [
        new NvidiaSmiProbe(),
        throwingProbe,
        new NvidiaSmiProbe({ command: smiFixturePath('fake-nvidia-smi-t4.sh') }),
      ],
    });
    expect(result.source).toBe('nvidia-smi');
    expect(result.gpus.map((g) => g.name)).toStrictEqual(['Tesla T4']);
    expect(result.reason).toBe(
      'nvidia-smi: nvidia-smi not found on PATH; systeminformation: library exploded',
    );
  });

  it('returns a successful first probe untouched', async () => {
    const result = await probeGpus({ probes: [new StaticGpuProbe([{ index: 0, memoryTotalMiB: 5 }])] });
    expect(result).toStrictEqual({ gpus: [expect.objectContaining({ memoryFreeMiB: 5 })], source: 'static' });
  });

  it('rejects with the signal reason when aborted', async () => {
    const reason = new Error('cancelled');
    await expect(probeGpus({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('says when no probe ran', async () => {
    expect(await probeGpus({ probes: [] })).toStrictEqual({
      gpus: [],
      source: 'none',
      reason: 'no NVIDIA GPUs visible (no probe ran)',
    });
  });
});
