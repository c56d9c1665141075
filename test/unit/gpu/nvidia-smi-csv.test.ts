import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { NVIDIA_SMI_QUERY_GPU_FIELDS, parseNvidiaSmiCsv } from '../../../src/gpu/nvidia-smi-csv.js';
import { readSmiFixture } from './fixtures.js';

const MASKED_UUID = 'GPU-00000000-0000-0000-0000-000000000000';

const h100 = (
  used: number,
  free: number,
  util: number | undefined,
  processes: GpuInfo['processes'],
  mig: boolean,
): GpuInfo => ({
  index: 0,
  uuid: MASKED_UUID,
  name: 'NVIDIA H100 80GB HBM3',
  memoryTotalMiB: 81_559,
  memoryUsedMiB: used,
  memoryFreeMiB: free,
  utilizationPct: util,
  processes,
  driverVersion: '590.48.01',
  pciBusId: '00000000:00:09.0',
  ...(mig ? { migEnabled: true } : {}),
});

describe('parseNvidiaSmiCsv on real captures', () => {
  it.each<[string, string, GpuInfo]>([
    [
      'extracted__h100-80gb-hbm3__590.48.01__load__query-gpu.csv',
      'extracted__h100-80gb-hbm3__590.48.01__load__query-compute-apps.csv',
      h100(
        19_818,
        61_263,
        100,
        [
          { pid: 11_327, name: '/root/tools/memhog', usedMemoryMiB: 2566 },
          { pid: 11_328, name: '/root/tools/memhog', usedMemoryMiB: 1542 },
          { pid: 11_345, name: './gpu_burn', usedMemoryMiB: 15_690 },
        ],
        false,
      ),
    ],
    [
      'extracted__h100-mig__590.48.01__load__query-gpu.csv',
      'extracted__h100-mig__590.48.01__load__query-compute-apps.csv',
      h100(
        11_125,
        69_956,
        undefined,
        [
          { pid: 21_180, name: '/root/tools/memhog', usedMemoryMiB: 2296 },
          { pid: 21_181, name: '/root/tools/memhog', usedMemoryMiB: 1272 },
          { pid: 21_198, name: './gpu_burn', usedMemoryMiB: 7484 },
        ],
        true,
      ),
    ],
  ])('%s: every field read', (gpuFile, appsFile, expected) => {
    expect(parseNvidiaSmiCsv(readSmiFixture(gpuFile), readSmiFixture(appsFile))).toStrictEqual([expected]);
  });

  it('leaves processes empty without the compute-apps capture', () => {
    const [gpu] = parseNvidiaSmiCsv(
      readSmiFixture('extracted__h100-80gb-hbm3__590.48.01__load__query-gpu.csv'),
    );
    expect(gpu?.processes).toStrictEqual([]);
  });
});

const HEADER =
  'index, uuid, name, memory.total [MiB], memory.used [MiB], memory.free [MiB], utilization.gpu [%]';

describe('parseNvidiaSmiCsv on edge cases', () => {
  it('reads several GPUs, with or without units, and quoted cells', () => {
    const csv = [
      HEADER,
      '0, GPU-a, NVIDIA A10, 23028 MiB, 10 MiB, 22500 MiB, 3 %',
      '1, GPU-b, "NVIDIA A10, rev 2", 23028, 28, 22482, [N/A]',
    ].join('\n');
    expect(
      parseNvidiaSmiCsv(csv).map((g) => [g.index, g.uuid, g.name, g.memoryFreeMiB, g.utilizationPct]),
    ).toStrictEqual([
      [0, 'GPU-a', 'NVIDIA A10', 22_500, 3],
      [1, 'GPU-b', 'NVIDIA A10, rev 2', 22_482, undefined],
    ]);
  });

  it('keeps a process name that contains commas and ignores processes of unknown GPUs', () => {
    const apps = [
      'gpu_uuid, pid, process_name, used_gpu_memory [MiB]',
      'GPU-a, 7, python -m vllm, serve, 100 MiB',
      'GPU-zzz, 8, other, 5 MiB',
    ].join('\r\n');
    const [gpu] = parseNvidiaSmiCsv(`${HEADER}\n0, GPU-a, A10, 100, 10, 90, 0`, apps);
    expect(gpu?.processes).toStrictEqual([{ pid: 7, name: 'python -m vllm, serve', usedMemoryMiB: 100 }]);
  });

  it('lists the fields a caller should query, required ones first', () => {
    expect(NVIDIA_SMI_QUERY_GPU_FIELDS.slice(0, 6)).toStrictEqual([
      'index',
      'uuid',
      'name',
      'memory.total',
      'memory.used',
      'memory.free',
    ]);
  });

  it.each([
    ['no header', '0, GPU-a, A10, 100, 10, 90', undefined, 'queryGpuCsv'],
    ['a missing column', 'index, uuid, name, memory.total', undefined, 'queryGpuCsv'],
    ['a bad index', `${HEADER}\nx, GPU-a, A10, 100, 10, 90, 0`, undefined, 'queryGpuCsv[0].index'],
    ['an N/A uuid', `${HEADER}\n0, [N/A], A10, 100, 10, 90, 0`, undefined, 'queryGpuCsv[0].uuid'],
    [
      'memory in GiB',
      `${HEADER}\n0, GPU-a, A10, 100 GiB, 10, 90, 0`,
      undefined,
      'queryGpuCsv[0].memory.total',
    ],
    ['an empty name', `${HEADER}\n0, GPU-a, , 100, 10, 90, 0`, undefined, 'queryGpuCsv[0].name'],
    [
      'apps without pid',
      `${HEADER}\n0, GPU-a, A10, 100, 10, 90, 0`,
      'gpu_uuid, process_name, used_memory',
      'computeAppsCsv',
    ],
    [
      'apps with a bad pid',
      `${HEADER}\n0, GPU-a, A10, 100, 10, 90, 0`,
      'gpu_uuid, pid, process_name, used_memory\nGPU-a, ?, p, 1',
      'computeAppsCsv[0].pid',
    ],
  ])('rejects %s with InvalidOptionError naming %s', (_name, csv, apps, option) => {
    let error: unknown;
    try {
      parseNvidiaSmiCsv(csv, apps);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
  });
});
