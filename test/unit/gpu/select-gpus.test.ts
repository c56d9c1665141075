import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import type { GpuInfo } from '../../../src/gpu/gpu-info.js';
import { filterGpus, pickGpuSet, rankGpus, selectGpus } from '../../../src/gpu/select-gpus.js';
import { fakeGpu } from './fixtures.js';

const indexes = (gpus: readonly GpuInfo[]): number[] => gpus.map((g) => g.index);

describe('filterGpus', () => {
  const gpus = [
    fakeGpu(0, 80_000, { utilizationPct: 0 }),
    fakeGpu(1, 10_000, { utilizationPct: 0 }),
    fakeGpu(2, 80_000, { utilizationPct: 95 }),
    fakeGpu(3, 80_000, { utilizationPct: undefined }),
    fakeGpu(4, 80_000, { migEnabled: true }),
    fakeGpu(5, 20_000, { uuid: 'MIG-x', mig: { parentUuid: 'GPU-fake-5' } }),
  ];

  it.each<[string, Parameters<typeof filterGpus>[1], number[]]>([
    ['no filter (MIG parents skipped)', {}, [0, 1, 2, 3, 5]],
    ['min free memory', { minFreeMemoryMiB: 20_000 }, [0, 2, 3, 5]],
    ['max utilisation (unknown passes)', { maxUtilizationPct: 50 }, [0, 1, 3, 5]],
    ['exclude by index', { exclude: [0, 3] }, [1, 2, 5]],
    ['exclude by uuid', { exclude: ['GPU-fake-1'] }, [0, 2, 3, 5]],
    ['exclude a MIG parent by uuid', { exclude: ['GPU-fake-5'] }, [0, 1, 2, 3]],
    ['include MIG parents', { includeMigParents: true }, [0, 1, 2, 3, 4, 5]],
    ['everything at once', { minFreeMemoryMiB: 50_000, maxUtilizationPct: 10, exclude: ['GPU-fake-3'] }, [0]],
  ])('%s', (_name, filter, kept) => {
    const result = filterGpus(gpus, filter);
    expect(indexes(result.kept)).toStrictEqual(kept);
    expect(result.kept.length + result.rejected.length).toBe(gpus.length);
  });

  it('says why each GPU was rejected', () => {
    const { rejected } = filterGpus(gpus, { minFreeMemoryMiB: 20_000, maxUtilizationPct: 50, exclude: [3] });
    expect(rejected.map((r) => [r.gpu.index, r.reason])).toStrictEqual([
      [1, '10000 MiB free < 20000 MiB'],
      [2, '95% utilised > 50%'],
      [3, 'excluded (busy)'],
      [4, 'in MIG mode (use its MIG instances)'],
    ]);
  });

  it.each<[string, Parameters<typeof filterGpus>[1], string]>([
    ['negative min free memory', { minFreeMemoryMiB: -1 }, 'minFreeMemoryMiB'],
    ['NaN min free memory', { minFreeMemoryMiB: Number.NaN }, 'minFreeMemoryMiB'],
    ['utilisation above 100', { maxUtilizationPct: 101 }, 'maxUtilizationPct'],
    ['negative utilisation', { maxUtilizationPct: -5 }, 'maxUtilizationPct'],
    ['a fractional index', { exclude: [1.5] }, 'exclude[0]'],
    ['an empty uuid', { exclude: [0, ''] }, 'exclude[1]'],
    ['exclude not an array', { exclude: 3 as unknown as number[] }, 'exclude'],
  ])('rejects %s', (_name, filter, option) => {
    expect(() => filterGpus(gpus, filter)).toThrow(expect.objectContaining({ option }));
  });
});

describe('rankGpus', () => {
  it('orders by most free memory, then least utilised (unknown last), then index', () => {
    const ranked = rankGpus([
      fakeGpu(0, 50_000),
      fakeGpu(1, 80_000, { utilizationPct: 30 }),
      fakeGpu(2, 80_000, { utilizationPct: 10 }),
      fakeGpu(3, 80_000, { utilizationPct: undefined }),
      fakeGpu(4, 80_000, { utilizationPct: 10 }),
      fakeGpu(5, 90_000, { utilizationPct: 99 }),
    ]);
    expect(indexes(ranked)).toStrictEqual([5, 2, 4, 1, 3, 0]);
  });

  it('does not modify its input', () => {
    const input = [fakeGpu(0, 1), fakeGpu(1, 2)];
    rankGpus(input);
    expect(indexes(input)).toStrictEqual([0, 1]);
  });
});

describe('pickGpuSet', () => {
  it.each<[string, number[], number, number[], boolean]>([
    ['the top set when balanced', [80_000, 79_000, 78_000, 10_000], 2, [0, 1], true],
    ['skips an outlier at the top', [80_000, 40_000, 39_000, 38_000], 3, [1, 2, 3], true],
    ['falls back to the top set when none is balanced', [80_000, 40_000, 10_000], 2, [0, 1], false],
  ])('%s', (_name, free, count, expected, ok) => {
    const ranked = rankGpus(free.map((f, i) => fakeGpu(i, f)));
    const { gpus, balance } = pickGpuSet(ranked, count);
    expect(indexes(gpus)).toStrictEqual(expected);
    expect(balance.ok).toBe(ok);
  });
});

describe('selectGpus', () => {
  const eight = Array.from({ length: 8 }, (_, i) => fakeGpu(i, 80_000 - i * 1000));

  it.each<[string, GpuInfo[], Parameters<typeof selectGpus>[1], boolean, number[]]>([
    ['picks the N with most free memory', eight, { count: 4 }, true, [0, 1, 2, 3]],
    ['respects exclusions', eight, { count: 2, exclude: [0, 'GPU-fake-1'] }, true, [2, 3]],
    ['one GPU', eight, { count: 1, minFreeMemoryMiB: 79_500 }, true, [0]],
    ['all eight', eight, { count: 8 }, true, [0, 1, 2, 3, 4, 5, 6, 7]],
    ['too few qualify', eight, { count: 3, minFreeMemoryMiB: 78_500 }, false, []],
    ['no balanced set', [fakeGpu(0, 80_000), fakeGpu(1, 10_000)], { count: 2 }, false, [0, 1]],
    [
      'unbalanced allowed',
      [fakeGpu(0, 80_000), fakeGpu(1, 10_000)],
      { count: 2, requireBalanced: false },
      true,
      [0, 1],
    ],
    [
      'a looser balance ratio',
      [fakeGpu(0, 80_000), fakeGpu(1, 50_000)],
      { count: 2, minBalanceRatio: 0.5 },
      true,
      [0, 1],
    ],
    ['an empty inventory', [], { count: 1 }, false, []],
  ])('%s', (_name, gpus, options, ok, expected) => {
    const selection = selectGpus(gpus, options);
    expect(selection.ok).toBe(ok);
    expect(indexes(selection.gpus)).toStrictEqual(expected);
    if (ok) expect(selection.reason).toBeUndefined();
    else expect(selection.reason).toMatch(/need|balanced/);
  });

  const hosts = [
    fakeGpu(0, 80_000, { host: 'a', uuid: 'a0' }),
    fakeGpu(1, 80_000, { host: 'a', uuid: 'a1' }),
    fakeGpu(0, 70_000, { host: 'b', uuid: 'b0' }),
    fakeGpu(1, 70_000, { host: 'b', uuid: 'b1' }),
    fakeGpu(2, 70_000, { host: 'b', uuid: 'b2' }),
  ];
  const migs = [0, 1, 2].map((i) => fakeGpu(0, 40_000, { uuid: `MIG-${i}`, mig: { parentUuid: 'GPU-p' } }));

  it.each<[string, GpuInfo[], Parameters<typeof selectGpus>[1], string[]]>([
    ['a set stays on one host (best fit)', hosts, { count: 2 }, ['a0', 'a1']],
    ['a set larger than one host goes where it fits', hosts, { count: 3 }, ['b0', 'b1', 'b2']],
    ['a set may span hosts when allowed', hosts, { count: 4, sameHost: false }, ['a0', 'a1', 'b0', 'b1']],
    ['one MIG instance is a valid set of one', migs, { count: 1 }, ['MIG-0']],
  ])('%s', (_name, gpus, options, uuids) => {
    const selection = selectGpus(gpus, options);
    expect(selection.ok).toBe(true);
    expect(selection.gpus.map((g) => g.uuid)).toStrictEqual(uuids);
  });

  it.each<[string, GpuInfo[], Parameters<typeof selectGpus>[1], string]>([
    [
      'no host holds 4',
      hosts,
      { count: 4 },
      'need 4 GPUs, only 5 of 5 qualify (at most 3 on one host as whole GPUs)',
    ],
    [
      'MIG instances never form a set of two',
      migs,
      { count: 2 },
      'need 2 GPUs, only 3 of 3 qualify (at most 0 on one host as whole GPUs)',
    ],
  ])('refuses when %s', (_name, gpus, options, reason) => {
    expect(selectGpus(gpus, options)).toMatchObject({ ok: false, gpus: [], reason });
  });

  it('explains a shortfall with the rejected GPUs', () => {
    const selection = selectGpus([fakeGpu(0, 100), fakeGpu(1, 90_000)], { count: 2, minFreeMemoryMiB: 1000 });
    expect(selection.reason).toBe(
      'need 2 GPUs, only 1 of 2 qualify; GPU 0 (GPU-fake-0): 100 MiB free < 1000 MiB',
    );
    expect(selection.rejected.map((r) => r.gpu.index)).toStrictEqual([0]);
  });

  it('reports the balance of the chosen set', () => {
    const selection = selectGpus([fakeGpu(0, 80_000), fakeGpu(1, 40_000)], { count: 2 });
    expect(selection.balance?.ratio).toBe(0.5);
    expect(selection.reason).toMatch(/^no balanced set of 2: unbalanced/);
  });

  it.each<[unknown, string]>([
    [0, 'count'],
    [-1, 'count'],
    [1.5, 'count'],
    ['2', 'count'],
  ])('rejects count %j', (count, option) => {
    expect(() => selectGpus(eight, { count: count as number })).toThrow(InvalidOptionError);
    expect(() => selectGpus(eight, { count: count as number })).toThrow(expect.objectContaining({ option }));
  });

  it('rejects a bad balance ratio', () => {
    expect(() => selectGpus(eight, { count: 2, minBalanceRatio: 2 })).toThrow(
      expect.objectContaining({ option: 'minRatio' }),
    );
  });
});
