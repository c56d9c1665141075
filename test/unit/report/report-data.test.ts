import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReportData, improvementOver } from '../../../src/report/report-data.js';
import { readJournal } from '../../../src/tune/journal/read-journal.js';
import { failedTrial, fixtureJournal, header, journalOf, trial } from './report-fixtures.js';

describe('buildReportData', () => {
  it('reads the result of a finished study', async () => {
    const data = buildReportData(await fixtureJournal('finished-study'));
    expect(data.finished).toBe(true);
    expect(data.stopReason).toBe('reached the budget of 30 trials');
    expect(data.best?.trial).toBe(27);
    expect(data.best?.exports.dockerRun).toContain('docker run');
    expect(data.best?.exports.kubernetes).toContain('kind: Deployment');
    expect(data.confirmation?.configs.length).toBe(2);
    expect(data.defaults).toMatchObject({ defaultsTrial: 0, defaultsFeasible: true });
    expect(data.trials.filter((t) => t.phase === 'confirm')).toHaveLength(4);
    expect(JSON.stringify(data)).not.toMatch(/hf_[A-Za-z0-9]{10,}/);
  });

  it('computes winner, Pareto front and defaults for an interrupted study', async () => {
    const journal = await fixtureJournal('interrupted-study');
    expect(journal.repairedTail).toBe(true);
    const data = buildReportData(journal);
    expect(data.finished).toBe(false);
    expect(data.stopReason).toBeUndefined();
    const feasible = data.trials.filter((t) => t.feasible);
    const bestValue = Math.max(...feasible.map((t) => t.objective?.[0] ?? 0));
    expect(data.best?.objective[0]).toBe(bestValue);
    expect(data.best?.exports.argv).toContain('--tensor-parallel-size');
    expect(data.best?.exports.argv).toContain('HF_TOKEN="$HF_TOKEN"');
    expect(data.best?.exports.dockerRun).toBeUndefined();
    expect(data.pareto).toEqual([data.best?.trial]);
    expect(data.defaults?.defaultsTrial).toBe(0);
    expect(data.defaults?.improvement).toBeGreaterThan(0);
  });

  it('reads a version-1 journal whose non-finite numbers were written as null', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-v1-'));
    try {
      const path = join(dir, 'v1.jsonl');
      const hard = {
        ...trial(1, { a: 2 }, 50),
        values: [null],
        constraints: [null],
        objective: [null],
        feasible: false,
      };
      const lines = [header(), { type: 'trial', ...trial(0, { a: 1 }, 100) }, { type: 'trial', ...hard }];
      await writeFile(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const data = buildReportData(await readJournal(path));
      expect(data.trials.map((t) => t.number)).toEqual([0, 1]);
      expect(data.trials[1]?.values).toEqual([Number.POSITIVE_INFINITY]);
      expect(data.trials[1]?.constraints).toEqual([Number.POSITIVE_INFINITY]);
      expect(data.trials[1]?.objective?.[0]).toBeNaN();
      expect(data.best?.trial).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has no winner when nothing is feasible, and names objectives from the options', () => {
    const data = buildReportData(
      journalOf([failedTrial(0, {}, 'oom'), failedTrial(1, { a: 1 }, 'crash')], {
        objective: [
          { kind: 'throughput', perGpu: true },
          { kind: 'latency', metric: 'ttft', stat: 'p99' },
        ],
      }),
    );
    expect(data.best).toBeUndefined();
    expect(data.objectiveNames).toEqual(['maximize output tok/s per GPU', 'minimize p99 ttft ms']);
    expect(data.directions).toEqual(['maximize', 'minimize']);
    expect(data.defaults).toBeUndefined();
  });

  it('a later entry for the same trial number replaces the earlier one', () => {
    const data = buildReportData(journalOf([trial(0, {}, 100), trial(0, {}, 120)]));
    expect(data.trials).toHaveLength(1);
    expect(data.trials[0]?.objective).toEqual([120]);
  });
});

describe('improvementOver', () => {
  it.each([
    [120, 100, 'maximize', 0.2],
    [80, 100, 'maximize', -0.2],
    [80, 100, 'minimize', 0.2],
    [120, 100, 'minimize', -0.2],
    [1, 0, 'maximize', undefined],
    [undefined, 100, 'maximize', undefined],
    [Number.NaN, 100, 'maximize', undefined],
  ] as const)('best %s over %s (%s) is %s', (best, base, direction, expected) => {
    const result = improvementOver(best, base, direction);
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toBeCloseTo(expected, 10);
  });
});
