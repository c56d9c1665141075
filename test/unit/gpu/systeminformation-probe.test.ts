import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import {
  gpusFromGraphicsControllers,
  SystemInformationProbe,
} from '../../../src/gpu/systeminformation-probe.js';

const controller = (
  fields: Partial<Systeminformation.GraphicsControllerData>,
): Systeminformation.GraphicsControllerData => ({
  vendor: 'NVIDIA Corporation',
  model: 'GH100 [H100 SXM5 80GB]',
  bus: 'PCI',
  vram: 81_559,
  vramDynamic: false,
  ...fields,
});

describe('gpusFromGraphicsControllers', () => {
  it('maps NVIDIA controllers with live figures (as systeminformation reads them from nvidia-smi)', () => {
    const { gpus, notes } = gpusFromGraphicsControllers([
      controller({ vendor: 'Intel Corporation', model: 'UHD 630', vram: 1024 }),
      controller({
        name: 'NVIDIA H100 80GB HBM3',
        pciBus: '00000000:00:09.0',
        driverVersion: '590.48.01',
        memoryTotal: 81_559,
        memoryUsed: 19_818,
        memoryFree: 61_263,
        utilizationGpu: 100,
      }),
    ]);
    expect(notes).toStrictEqual([]);
    expect(gpus).toStrictEqual([
      {
        index: 0,
        uuid: 'PCI-00000000:00:09.0',
        name: 'NVIDIA H100 80GB HBM3',
        memoryTotalMiB: 81_559,
        memoryUsedMiB: 19_818,
        memoryFreeMiB: 61_263,
        utilizationPct: 100,
        processes: [],
        driverVersion: '590.48.01',
        pciBusId: '00000000:00:09.0',
      },
    ]);
  });

  it.each<
    [string, Partial<Systeminformation.GraphicsControllerData>, [number, number] | undefined, string[]]
  >([
    [
      'only vram known (lspci)',
      { busAddress: '01:00.0' },
      [0, 81_559],
      ['memory usage not reported for 1 GPU(s) (taken as all free)'],
    ],
    ['free known, used derived', { memoryTotal: 1000, memoryFree: 600 }, [400, 600], []],
    ['no memory size', { vram: null }, undefined, ['1 NVIDIA controller(s) without a memory size skipped']],
    [
      'vendor id only',
      { vendor: '', vendorId: '10DE', memoryTotal: 100, memoryUsed: 1, memoryFree: 99 },
      [1, 99],
      [],
    ],
  ])('%s', (_name, fields, memory, notes) => {
    const result = gpusFromGraphicsControllers([controller(fields)]);
    expect(result.notes).toStrictEqual(notes);
    expect(result.gpus.map((g) => [g.memoryUsedMiB, g.memoryFreeMiB])).toStrictEqual(memory ? [memory] : []);
  });

  it('names GPUs without a bus address by position', () => {
    const { gpus } = gpusFromGraphicsControllers([controller({}), controller({})]);
    expect(gpus.map((g) => [g.index, g.uuid, g.name])).toStrictEqual([
      [0, 'systeminformation-0', 'GH100 [H100 SXM5 80GB]'],
      [1, 'systeminformation-1', 'GH100 [H100 SXM5 80GB]'],
    ]);
  });
});

describe('SystemInformationProbe', () => {
  // The real library on this GPU-less machine.
  it('reports no NVIDIA GPUs visible here, with a reason', async () => {
    const result = await new SystemInformationProbe().probe();
    expect(result.gpus).toStrictEqual([]);
    expect(result.source).toBe('systeminformation');
    expect(result.reason).toMatch(/^no NVIDIA GPUs visible: systeminformation lists \d+ graphics controller/);
  });

  it('rejects with the signal reason when aborted', async () => {
    const reason = new Error('stop');
    await expect(new SystemInformationProbe().probe({ signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });
});
