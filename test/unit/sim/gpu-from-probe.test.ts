// Product names as nvidia-smi prints them, mapped to the GPU catalogue (memory tells 40 GB from 80 GB parts).
import { describe, expect, it } from 'vitest';
import { findGpu } from '../../../src/sim/gpu-catalogue.js';
import { gpuFromProbe } from '../../../src/sim/gpu-from-probe.js';

describe('gpuFromProbe', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', 81_559, 'h100'],
    ['NVIDIA H100 PCIe', 81_559, 'h100-pcie'],
    ['NVIDIA H100 NVL', 95_830, 'h100-nvl'],
    ['NVIDIA H200', 143_771, 'h200'],
    ['NVIDIA B200', 183_359, 'b200'],
    ['NVIDIA A100-SXM4-40GB', 40_960, 'a100-40gb'],
    ['NVIDIA A100-SXM4-80GB', 81_920, 'a100-80gb'],
    ['NVIDIA A100-PCIE-40GB', 40_960, 'a100-pcie-40gb'],
    ['NVIDIA A100 80GB PCIe', 81_920, 'a100-pcie-80gb'],
    ['NVIDIA A100-SXM4', 40_536, 'a100-40gb'],
    ['NVIDIA A100-SXM4', 81_251, 'a100-80gb'],
    ['NVIDIA L4', 23_034, 'l4'],
    ['NVIDIA L40', 46_068, 'l40'],
    ['NVIDIA L40S', 46_068, 'l40s'],
    ['NVIDIA A10', 23_028, 'a10'],
    ['NVIDIA A10G', 23_028, 'a10g'],
    ['NVIDIA RTX 6000 Ada Generation', 49_140, 'rtx-6000-ada'],
    ['NVIDIA GeForce RTX 4090', 24_564, 'rtx-4090'],
  ])('%s with %i MiB is %s', (name, memoryTotalMiB, expected) => {
    const result = gpuFromProbe({ name, memoryTotalMiB });
    expect(result.reason).toBeUndefined();
    expect(result.gpu?.name).toBe(expected);
  });

  it.each([
    ['Tesla V100-SXM2-16GB', 16_160, /not a GPU of the catalogue/],
    ['NVIDIA A100-SXM4-40GB MIG 3g.20gb', 19_968, /MIG slice/],
    ['NVIDIA H200 NVL', 143_771, /H200 NVL/],
    ['NVIDIA GH200 480GB', 97_871, /not a GPU of the catalogue/],
    ['NVIDIA A100-SXM4-40GB', 81_920, /reports 80\.0 GiB but the catalogue's a100-40gb has 40 GiB/],
    ['NVIDIA Quadro RTX 6000', 24_576, /not a GPU of the catalogue/],
  ])('%s with %i MiB has no entry and says why', (name, memoryTotalMiB, reason) => {
    const result = gpuFromProbe({ name, memoryTotalMiB });
    expect(result.gpu).toBeUndefined();
    expect(result.reason).toMatch(reason);
  });

  it('maps a name without memory to the larger variant, like the catalogue alias', () => {
    expect(gpuFromProbe({ name: 'NVIDIA A100-SXM4' }).gpu?.name).toBe('a100-80gb');
    expect(findGpu('a100')?.name).toBe('a100-80gb');
  });

  it('finds the new GPUs by catalogue name, as the simulator options do', () => {
    for (const name of [
      'l4',
      'a10',
      'a10g',
      'l40',
      'h100-pcie',
      'h100-nvl',
      'a100-pcie-40gb',
      'rtx-6000-ada',
    ])
      expect(findGpu(name.toUpperCase())?.name).toBe(name);
  });
});
