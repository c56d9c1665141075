import { describe, expect, it } from 'vitest';
import {
  generateProblem,
  generateProblems,
  SIZE_RANGE,
  sharesAgree,
} from '../../../bench/search/generator.js';
import { calibrateSlo, countFeasible, type LatencyRow } from '../../../bench/search/generator-slo.js';
import { feasible } from '../../../bench/search/problem.js';
import { expandGrid } from '../../../src/search/grid.js';
import { createRng } from '../../../src/util/rng.js';

const problems = generateProblems(1000, 30);

describe('generated tuning problems', () => {
  it('are reproducible from their seed', () => {
    for (const seed of [1000, 1007, 1013]) {
      const a = generateProblem(seed);
      const b = generateProblem(seed);
      expect(b.name).toBe(a.name);
      expect(b.space.params).toEqual(a.space.params);
      expect(b.setting).toEqual(a.setting);
      expect(b.slo).toEqual(a.slo);
      expect([b.size, b.optimum, b.feasibleShare, b.failureShare]).toEqual([
        a.size,
        a.optimum,
        a.feasibleShare,
        a.failureShare,
      ]);
      for (const params of [...expandGrid(a.space, SIZE_RANGE[1])].slice(0, 20))
        expect(b.evaluate(params)).toEqual(a.evaluate(params));
    }
    expect(new Set(problems.map((p) => p.name)).size).toBe(problems.length);
  });

  it('draw engines, objectives, layouts, workloads and 4 to 8 parameters of every kind from the catalogues', () => {
    expect(new Set(problems.map((p) => p.setting.flavour))).toEqual(new Set(['vllm', 'sglang']));
    expect(new Set(problems.map((p) => p.objective)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(problems.map((p) => p.setting.model)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(problems.map((p) => p.setting.gpu)).size).toBeGreaterThanOrEqual(8);
    expect(problems.some((p) => p.setting.workload.concurrency === undefined)).toBe(true);
    expect(problems.some((p) => p.setting.workload.sharedPrefixTokens !== undefined)).toBe(true);
    expect(problems.some((p) => p.failureShare > 0.3)).toBe(true);
    const kinds = new Set<string>();
    for (const p of problems) {
      expect(p.space.params.length).toBeGreaterThanOrEqual(4);
      expect(p.space.params.length).toBeLessThanOrEqual(8);
      expect(p.size).toBeGreaterThanOrEqual(SIZE_RANGE[0]);
      expect(p.size).toBeLessThanOrEqual(SIZE_RANGE[1]);
      expect(Object.keys(p.slo).length).toBeGreaterThanOrEqual(1);
      expect(p.constraintCount).toBe(Object.keys(p.slo).length);
      for (const param of p.space.params) {
        kinds.add(param.kind);
        if (param.when) kinds.add('conditional');
        if (/parallel-size|tp-size|dp-size/.test(param.name)) kinds.add('layout');
      }
    }
    expect(kinds).toEqual(new Set(['categorical', 'bool', 'int', 'float', 'conditional', 'layout']));
  });

  it('calibrate the SLO thresholds to the target feasible share and record the exhaustive optimum', () => {
    const ratios: number[] = [];
    for (const p of problems) {
      const target = Math.max(1, Math.round(p.targetShare * p.size));
      const count = Math.round(p.feasibleShare * p.size);
      expect(sharesAgree(count, target), p.name).toBe(true);
      expect(p.targetShare).toBeGreaterThanOrEqual(0.01 - 1e-9);
      expect(p.targetShare).toBeLessThanOrEqual(0.5);
      ratios.push(count / target);
      let best = p.maximise ? -Infinity : Infinity;
      for (const params of expandGrid(p.space, SIZE_RANGE[1])) {
        const o = p.evaluate(params);
        if (feasible(o)) best = p.maximise ? Math.max(best, o.objective) : Math.min(best, o.objective);
      }
      expect(best).toBe(p.optimum);
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)] as number;
    expect(median).toBeGreaterThan(0.75);
    expect(median).toBeLessThan(1.35);
  });

  it('measures through the engine flags: a layout larger than the GPUs does not start', () => {
    const p = problems.find((q) => q.space.params.some((x) => x.name === 'tensor-parallel-size'));
    expect(p).toBeDefined();
    if (!p) return;
    const [params] = [...expandGrid(p.space, SIZE_RANGE[1])];
    const outcome = p.evaluate({ ...params, 'tensor-parallel-size': p.setting.numGpus * 2 });
    expect(outcome.ok).toBe(false);
  });
});

describe('calibrateSlo', () => {
  const rng = createRng(3);
  const rows: LatencyRow[] = Array.from({ length: 400 }, () => ({
    ttft: 100 + 900 * rng.next(),
    tpot: 10 + 90 * rng.next(),
    e2e: 1000 + 9000 * rng.next(),
  }));

  it('leaves the target count feasible with one to three distinct terms', () => {
    for (const metrics of [['ttft'], ['ttft', 'tpot'], ['ttft', 'tpot', 'e2e']] as const)
      for (const target of [4, 40, 200]) {
        const slo = calibrateSlo(rows, metrics, target, createRng(target));
        expect(Object.keys(slo)).toEqual(metrics);
        const count = countFeasible(rows, slo);
        expect(count).toBeGreaterThanOrEqual(target * 0.8);
        expect(count).toBeLessThanOrEqual(target * 1.25 + 1);
      }
  });
});
