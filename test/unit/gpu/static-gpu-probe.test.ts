import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { normalizeStaticGpus, StaticGpuProbe } from '../../../src/gpu/static-gpu-probe.js';

describe('normalizeStaticGpus', () => {
  it('fills defaults', () => {
    expect(normalizeStaticGpus([{ index: 0, memoryTotalMiB: 81_920 }])).toStrictEqual([
      {
        index: 0,
        uuid: 'static:local:0',
        name: 'GPU',
        memoryTotalMiB: 81_920,
        memoryUsedMiB: 0,
        memoryFreeMiB: 81_920,
        utilizationPct: undefined,
        processes: [],
      },
    ]);
  });

  it.each<[string, object, [number, number]]>([
    ['used given', { memoryUsedMiB: 1000 }, [1000, 9000]],
    ['free given', { memoryFreeMiB: 4000 }, [6000, 4000]],
    ['both given (reserved memory)', { memoryUsedMiB: 1000, memoryFreeMiB: 8500 }, [1000, 8500]],
  ])('derives memory when %s', (_name, memory, [used, free]) => {
    const [gpu] = normalizeStaticGpus([{ index: 0, memoryTotalMiB: 10_000, ...memory }]);
    expect([gpu?.memoryUsedMiB, gpu?.memoryFreeMiB]).toStrictEqual([used, free]);
  });

  it('keeps every declared field', () => {
    const entry = {
      index: 3,
      memoryTotalMiB: 24_576,
      uuid: 'GPU-remote-3',
      name: 'NVIDIA L4',
      memoryUsedMiB: 10,
      memoryFreeMiB: 24_000,
      utilizationPct: 12,
      processes: [{ pid: 9, name: 'vllm', usedMemoryMiB: 10 }],
      host: 'node-a',
      driverVersion: '550.54.15',
      pciBusId: '00000000:3B:00.0',
    };
    expect(normalizeStaticGpus([entry])).toStrictEqual([entry]);
  });

  it('allows one index on different hosts and MIG instances sharing their parent index', () => {
    const gpus = normalizeStaticGpus([
      { index: 0, memoryTotalMiB: 1, host: 'a' },
      { index: 0, memoryTotalMiB: 1, host: 'b' },
      { index: 1, memoryTotalMiB: 1, host: 'a', uuid: 'MIG-1', mig: { parentUuid: 'GPU-x' } },
      { index: 1, memoryTotalMiB: 1, host: 'a', uuid: 'MIG-2', mig: { parentUuid: 'GPU-x' } },
    ]);
    expect(gpus.map((g) => g.uuid)).toStrictEqual(['static:a:0', 'static:b:0', 'MIG-1', 'MIG-2']);
  });

  it.each<[string, unknown, string]>([
    ['not an array', { index: 0 }, 'static'],
    ['a non-object entry', [5], 'static[0]'],
    ['a missing index', [{ memoryTotalMiB: 1 }], 'static[0].index'],
    ['a negative index', [{ index: -1, memoryTotalMiB: 1 }], 'static[0].index'],
    ['a fractional index', [{ index: 0.5, memoryTotalMiB: 1 }], 'static[0].index'],
    ['a missing total', [{ index: 0 }], 'static[0].memoryTotalMiB'],
    ['a zero total', [{ index: 0, memoryTotalMiB: 0 }], 'static[0].memoryTotalMiB'],
    ['a string total', [{ index: 0, memoryTotalMiB: '80GB' }], 'static[0].memoryTotalMiB'],
    [
      'negative used memory',
      [{ index: 0, memoryTotalMiB: 10, memoryUsedMiB: -1 }],
      'static[0].memoryUsedMiB',
    ],
    ['free above total', [{ index: 0, memoryTotalMiB: 10, memoryFreeMiB: 11 }], 'static[0].memoryFreeMiB'],
    ['used above total', [{ index: 0, memoryTotalMiB: 10, memoryUsedMiB: 11 }], 'static[0].memoryUsedMiB'],
    [
      'used + free above total',
      [{ index: 0, memoryTotalMiB: 10, memoryUsedMiB: 5, memoryFreeMiB: 6 }],
      'static[0].memoryFreeMiB',
    ],
    [
      'utilisation above 100',
      [{ index: 0, memoryTotalMiB: 1, utilizationPct: 120 }],
      'static[0].utilizationPct',
    ],
    ['an unknown key (typo)', [{ index: 0, memoryTotalMiB: 1, memoryFreeMb: 1 }], 'static[0].memoryFreeMb'],
    ['an empty uuid', [{ index: 0, memoryTotalMiB: 1, uuid: '' }], 'static[0].uuid'],
    ['an empty host', [{ index: 0, memoryTotalMiB: 1, host: '' }], 'static[0].host'],
    [
      'a repeated uuid',
      [
        { index: 0, memoryTotalMiB: 1, uuid: 'u' },
        { index: 1, memoryTotalMiB: 1, uuid: 'u' },
      ],
      'static[1].uuid',
    ],
    [
      'a repeated index on one host',
      [
        { index: 2, memoryTotalMiB: 1 },
        { index: 2, memoryTotalMiB: 1, uuid: 'x' },
      ],
      'static[1].index',
    ],
    [
      'a bad process',
      [{ index: 0, memoryTotalMiB: 1, processes: [{ pid: 'x', name: 'p', usedMemoryMiB: 0 }] }],
      'static[0].processes[0].pid',
    ],
    ['a bad mig', [{ index: 0, memoryTotalMiB: 1, mig: {} }], 'static[0].mig'],
    ['a bad migEnabled', [{ index: 0, memoryTotalMiB: 1, migEnabled: 'yes' }], 'static[0].migEnabled'],
  ])('rejects %s', (_name, entries, option) => {
    expect(() => normalizeStaticGpus(entries as never)).toThrow(InvalidOptionError);
    expect(() => normalizeStaticGpus(entries as never)).toThrow(expect.objectContaining({ option }));
  });
});

describe('StaticGpuProbe', () => {
  it('validates at construction and returns copies', async () => {
    expect(() => new StaticGpuProbe([{ index: 0, memoryTotalMiB: -5 }])).toThrow(InvalidOptionError);
    const probe = new StaticGpuProbe([
      { index: 0, memoryTotalMiB: 100, processes: [{ pid: 1, name: 'a', usedMemoryMiB: 1 }] },
    ]);
    const first = await probe.probe();
    first.gpus[0]?.processes.push({ pid: 2, name: 'b', usedMemoryMiB: 2 });
    const second = await probe.probe();
    expect(second).toStrictEqual({
      gpus: [expect.objectContaining({ uuid: 'static:local:0' })],
      source: 'static',
    });
    expect(second.gpus[0]?.processes).toHaveLength(1);
  });

  it('says when the inventory is empty', async () => {
    expect(await new StaticGpuProbe([]).probe()).toStrictEqual({
      gpus: [],
      source: 'static',
      reason: 'the static GPU inventory is empty',
    });
  });

  it('rejects with the signal reason when aborted', async () => {
    const reason = new Error('x');
    await expect(new StaticGpuProbe([]).probe({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
