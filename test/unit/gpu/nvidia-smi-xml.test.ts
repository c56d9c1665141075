import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { parseNvidiaSmiXml } from '../../../src/gpu/nvidia-smi-xml.js';
import { readSmiFixture } from './fixtures.js';

const A100_UUID = 'GPU-513536b6-7d19-9063-b049-1e69664bb298';

const a100Instance = (deviceIndex: number, gpuInstanceId: number): GpuInfo => ({
  index: 0,
  uuid: `MIG-${A100_UUID}/${gpuInstanceId}/0`,
  name: `NVIDIA A100-SXM4-80GB MIG ${gpuInstanceId}/0`,
  memoryTotalMiB: 19_968,
  memoryUsedMiB: 12,
  memoryFreeMiB: 19_955,
  utilizationPct: undefined,
  processes: [],
  driverVersion: '535.54.03',
  pciBusId: '00000000:01:00.0',
  mig: { parentUuid: A100_UUID, deviceIndex, gpuInstanceId, computeInstanceId: 0 },
});

describe('parseNvidiaSmiXml on real captures', () => {
  it.each<[string, GpuInfo[]]>([
    [
      'telegraf__tesla-t4.xml',
      [
        {
          index: 0,
          uuid: 'GPU-d37e67a5-91dd-3774-a5cb-99096249601a',
          name: 'Tesla T4',
          memoryTotalMiB: 15_360,
          memoryUsedMiB: 1032,
          memoryFreeMiB: 13_939,
          utilizationPct: 0,
          processes: [
            { pid: 675, name: '/usr/lib/xorg/Xorg', usedMemoryMiB: 22 },
            { pid: 5762, name: 'python', usedMemoryMiB: 1005 },
          ],
          driverVersion: '515.105.01',
          pciBusId: '00000000:00:1E.0',
        },
      ],
    ],
    [
      'telegraf__rtx-3090-v12.xml',
      [
        {
          index: 0,
          uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab',
          name: 'NVIDIA GeForce RTX 3090',
          memoryTotalMiB: 24_576,
          memoryUsedMiB: 1,
          memoryFreeMiB: 24_258,
          utilizationPct: 0,
          processes: [],
          driverVersion: '525.147.05',
          pciBusId: '00000000:00:10.0',
        },
      ],
    ],
    [
      'telegraf__a100-sxm4-v12.xml',
      [a100Instance(0, 3), a100Instance(1, 4), a100Instance(2, 5), a100Instance(3, 6)],
    ],
  ])('%s: every field read', (file, expected) => {
    expect(parseNvidiaSmiXml(readSmiFixture(file))).toStrictEqual(expected);
  });

  it('lists a MIG-mode GPU whole, marked migEnabled, when expandMig is false', () => {
    expect(
      parseNvidiaSmiXml(readSmiFixture('telegraf__a100-sxm4-v12.xml'), { expandMig: false }),
    ).toStrictEqual([
      {
        index: 0,
        uuid: A100_UUID,
        name: 'NVIDIA A100-SXM4-80GB',
        memoryTotalMiB: 81_920,
        memoryUsedMiB: 50,
        memoryFreeMiB: 80_999,
        utilizationPct: undefined,
        processes: [],
        driverVersion: '535.54.03',
        pciBusId: '00000000:01:00.0',
        migEnabled: true,
      },
    ]);
  });

  it.each(['telegraf__tesla-t4.xml', 'telegraf__rtx-3090-v12.xml'])(
    '%s: expandMig has no effect without MIG',
    (file) => {
      const xml = readSmiFixture(file);
      expect(parseNvidiaSmiXml(xml, { expandMig: false })).toStrictEqual(parseNvidiaSmiXml(xml));
    },
  );
});

const gpuXml = (body: string): string =>
  `<?xml version="1.0" ?><nvidia_smi_log><driver_version>550.1</driver_version>${body}</nvidia_smi_log>`;
const memory = (total: string, used: string, free: string): string =>
  `<fb_memory_usage><total>${total}</total><used>${used}</used><free>${free}</free></fb_memory_usage>`;
const plainGpu = (uuid: string, free = '100 MiB'): string =>
  `<gpu id="00000000:0${uuid.length % 9}:00.0"><product_name>Test GPU</product_name><uuid>${uuid}</uuid>${memory('1000 MiB', '900 MiB', free)}<utilization><gpu_util>7 %</gpu_util></utilization><processes></processes></gpu>`;

describe('parseNvidiaSmiXml on edge cases', () => {
  it('numbers GPUs in document order and takes the bus id from the id attribute when pci is absent', () => {
    const gpus = parseNvidiaSmiXml(gpuXml(plainGpu('GPU-a') + plainGpu('GPU-bb', '50 MiB')));
    expect(gpus.map((g) => [g.index, g.uuid, g.memoryFreeMiB, g.utilizationPct, g.pciBusId])).toStrictEqual([
      [0, 'GPU-a', 100, 7, '00000000:05:00.0'],
      [1, 'GPU-bb', 50, 7, '00000000:06:00.0'],
    ]);
  });

  it('assigns processes to the MIG instance they run in and synthesises no uuid when one is printed', () => {
    const xml = gpuXml(`<gpu id="x"><product_name>H100</product_name><uuid>GPU-p</uuid>
      <mig_mode><current_mig>Enabled</current_mig></mig_mode>
      <mig_devices>
        <mig_device><index>0</index><gpu_instance_id>1</gpu_instance_id><compute_instance_id>0</compute_instance_id><uuid>MIG-aaaa</uuid>${memory('40000 MiB', '1000 MiB', '39000 MiB')}</mig_device>
        <mig_device><index>1</index><gpu_instance_id>2</gpu_instance_id><compute_instance_id>0</compute_instance_id>${memory('40000 MiB', '0 MiB', '40000 MiB')}</mig_device>
      </mig_devices>
      ${memory('81559 MiB', '1000 MiB', '80000 MiB')}<utilization><gpu_util>N/A</gpu_util></utilization>
      <processes><process_info><gpu_instance_id>1</gpu_instance_id><compute_instance_id>0</compute_instance_id><pid>42</pid><process_name>vllm</process_name><used_memory>990 MiB</used_memory></process_info></processes></gpu>`);
    const [first, second] = parseNvidiaSmiXml(xml);
    expect(first?.uuid).toBe('MIG-aaaa');
    expect(first?.processes).toStrictEqual([{ pid: 42, name: 'vllm', usedMemoryMiB: 990 }]);
    expect(second?.uuid).toBe('MIG-GPU-p/2/0');
    expect(second?.processes).toStrictEqual([]);
  });

  it('keeps a MIG-mode GPU without instances as one migEnabled entry', () => {
    const xml = gpuXml(
      `<gpu id="x"><product_name>H100</product_name><uuid>GPU-p</uuid><mig_mode><current_mig>Enabled</current_mig></mig_mode><mig_devices>None</mig_devices>${memory('100 MiB', '0 MiB', '100 MiB')}</gpu>`,
    );
    expect(parseNvidiaSmiXml(xml).map((g) => [g.uuid, g.migEnabled])).toStrictEqual([['GPU-p', true]]);
  });

  it.each([
    ['free missing', memory('1000 MiB', '300 MiB', 'N/A'), 300, 700],
    ['used missing', memory('1000 MiB', 'N/A', '600 MiB'), 400, 600],
  ])('derives memory when %s', (_name, mem, used, free) => {
    const [gpu] = parseNvidiaSmiXml(
      gpuXml(`<gpu id="x"><product_name>G</product_name><uuid>GPU-1</uuid>${mem}</gpu>`),
    );
    expect([gpu?.memoryUsedMiB, gpu?.memoryFreeMiB]).toStrictEqual([used, free]);
  });

  it('returns no GPUs for a log without <gpu>', () => {
    expect(parseNvidiaSmiXml(gpuXml('<attached_gpus>0</attached_gpus>'))).toStrictEqual([]);
  });

  it.each([
    ['malformed XML', '<nvidia_smi_log><gpu>', 'xml'],
    ['another root', '<other/>', 'xml'],
    [
      'no uuid',
      gpuXml(`<gpu id="x"><product_name>G</product_name>${memory('1 MiB', '0 MiB', '1 MiB')}</gpu>`),
      'xml.gpu[0].uuid',
    ],
    [
      'no name',
      gpuXml(`<gpu id="x"><uuid>GPU-1</uuid>${memory('1 MiB', '0 MiB', '1 MiB')}</gpu>`),
      'xml.gpu[0].product_name',
    ],
    [
      'no total',
      gpuXml('<gpu id="x"><product_name>G</product_name><uuid>GPU-1</uuid></gpu>'),
      'xml.gpu[0].fb_memory_usage.total',
    ],
    [
      'total in GiB',
      gpuXml(
        `<gpu id="x"><product_name>G</product_name><uuid>GPU-1</uuid>${memory('80 GiB', '0 MiB', '1 MiB')}</gpu>`,
      ),
      'xml.gpu[0].fb_memory_usage.total',
    ],
    [
      'no used nor free',
      gpuXml(
        `<gpu id="x"><product_name>G</product_name><uuid>GPU-1</uuid>${memory('1 MiB', 'N/A', 'N/A')}</gpu>`,
      ),
      'xml.gpu[0].fb_memory_usage.used',
    ],
  ])('rejects %s with InvalidOptionError naming %s', (_name, xml, option) => {
    const error = (() => {
      try {
        parseNvidiaSmiXml(xml as string);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
  });

  it('rejects a non-string argument', () => {
    expect(() => parseNvidiaSmiXml(42 as unknown as string)).toThrow(InvalidOptionError);
  });
});
