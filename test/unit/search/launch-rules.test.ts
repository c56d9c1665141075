import { describe, expect, it } from 'vitest';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { certainToFail, failureRules, gpuTrades, predictedToFail } from '../../../src/search/launch-rules.js';
import { memoryMoves, memoryRepairCandidates } from '../../../src/search/memory-repair.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { StopAdvice } from '../../../src/search/strategy.js';
import type { Params, Trial } from '../../../src/search/trial.js';

// Layout, memory share and batch width with engine-style hints (latency, memory per GPU, GPUs occupied).
const space = normalizeSpace({
  tp: { values: [1, 2, 4], default: 1, lowers: { ttft: 4, memory: 4, gpus: 1 } },
  dp: { values: [1, 2], default: 1, lowers: { ttft: 2, gpus: 1 } },
  util: { low: 0.8, high: 0.9, step: 0.05, default: 0.9, lowers: { memory: 0.9 } },
  seqs: { values: [64, 128, 256], default: 256, lowers: { ttft: 256, tpot: 64 } },
});
const defaults: Params = { tp: 1, dp: 1, util: 0.9, seqs: 256 };
const failed = (number: number, params: Params, failureReason: string): Trial => ({
  number,
  params,
  state: 'failed',
  failureReason,
});

// The strategy on two GPUs for up to `asks` asks: a wider layout is refused before launch (`no-capacity`), and
// everything that runs breaks the SLO by far, so a layout the GPUs cannot hold looks no worse to the SLO models.
function onTwoGpus(
  asks: number,
  { untilStop = false } = {},
): { history: Trial[]; stop: StopAdvice | undefined } {
  const strategy = createBayesStrategy(space, { seed: 2, constraintMetrics: ['ttft'] });
  const history: Trial[] = [];
  let stop: StopAdvice | undefined;
  for (let n = 0; n < asks && !(untilStop && stop !== undefined); n++) {
    const result = strategy.ask(history);
    stop = result.stop;
    const [params] = result.params;
    if (params === undefined) break;
    const gpus = (params.tp as number) * (params.dp as number);
    history.push(
      gpus > 2
        ? { ...failed(n, params, 'no-capacity'), state: 'invalid' }
        : { number: n, params, state: 'complete', values: [1], constraints: [1 + 0.01 * n] },
    );
  }
  return { history, stop };
}

describe('start-up failure rules', () => {
  it('predict an out of memory for configurations needing no less memory per GPU, whatever the batch width', () => {
    const rules = failureRules(space, [failed(0, { tp: 2, dp: 1, util: 0.85, seqs: 256 }, 'oom')]);
    expect(predictedToFail(rules, { tp: 2, dp: 2, util: 0.85, seqs: 64 })).toBe(true);
    expect(predictedToFail(rules, { tp: 1, dp: 1, util: 0.8, seqs: 256 })).toBe(true);
    expect(predictedToFail(rules, { tp: 4, dp: 1, util: 0.8, seqs: 256 })).toBe(false);
    expect(predictedToFail(rules, { tp: 2, dp: 1, util: 0.9, seqs: 256 })).toBe(false);
  });

  it('predict a layout that did not fit for layouts occupying no fewer GPUs, and learn nothing from other failures', () => {
    const rules = failureRules(space, [
      failed(0, { tp: 2, dp: 2, util: 0.9, seqs: 256 }, 'invalid-parallelism'),
      failed(1, { tp: 1, dp: 1, util: 0.8, seqs: 64 }, 'crash'),
    ]);
    expect(rules).toHaveLength(1);
    expect(predictedToFail(rules, { tp: 4, dp: 2, util: 0.8, seqs: 64 })).toBe(true);
    expect(predictedToFail(rules, { tp: 2, dp: 1, util: 0.9, seqs: 256 })).toBe(false);
    expect(predictedToFail(rules, { tp: 1, dp: 1, util: 0.8, seqs: 64 })).toBe(false);
  });

  it("learn the same from a layout wider than the study's GPUs (the pool could not hold it)", () => {
    const rules = failureRules(space, [
      { ...failed(0, { tp: 4, dp: 1, util: 0.9, seqs: 256 }, 'no-capacity'), state: 'invalid' },
    ]);
    expect(predictedToFail(rules, { tp: 4, dp: 2, util: 0.8, seqs: 64 })).toBe(true);
    expect(predictedToFail(rules, { tp: 2, dp: 2, util: 0.8, seqs: 64 })).toBe(false);
  });

  it('hold a layout wider than the GPUs as certain, and an engine refusal or out of memory only as likely', () => {
    const rules = failureRules(space, [
      { ...failed(0, { tp: 2, dp: 2, util: 0.9, seqs: 256 }, 'no-capacity'), state: 'invalid' },
      failed(1, { tp: 2, dp: 1, util: 0.9, seqs: 256 }, 'invalid-parallelism'),
      failed(2, { tp: 1, dp: 1, util: 0.8, seqs: 64 }, 'oom'),
    ]);
    expect(rules.map((r) => [r.kind, r.certain])).toEqual([
      ['gpus', true],
      ['gpus', false],
      ['memory', false],
    ]);
    expect(certainToFail(rules, { tp: 4, dp: 2, util: 0.85, seqs: 128 })).toBe(true);
    // The engine refused tp 2 (its heads, say): tp 4 is likely refused too, but may divide them.
    expect(predictedToFail(rules, { tp: 4, dp: 1, util: 0.85, seqs: 128 })).toBe(true);
    expect(certainToFail(rules, { tp: 4, dp: 1, util: 0.85, seqs: 128 })).toBe(false);
    // Predicted to run out of memory like trial 2, but other parameters may bend that.
    expect(predictedToFail(rules, { tp: 1, dp: 1, util: 0.8, seqs: 256 })).toBe(true);
    expect(certainToFail(rules, { tp: 1, dp: 1, util: 0.8, seqs: 256 })).toBe(false);
  });

  it('never let the model suggest a layout no narrower than one wider than the GPUs', () => {
    // 27 of the 54 configurations fit two GPUs; a few are left untried.
    const { history } = onTwoGpus(25);
    const layouts = history.filter((t) => t.failureReason === 'no-capacity');
    const rules = failureRules(space, layouts.slice(0, 1));
    const after = history.slice((layouts[0]?.number ?? history.length) + 1);
    expect(after.length).toBeGreaterThan(10);
    for (const t of after) expect(certainToFail(rules, t.params)).toBe(false);
  });

  it('advise stopping once every configuration left is as wide as one that did not fit', () => {
    const { history, stop } = onTwoGpus(60, { untilStop: true });
    expect(stop).toEqual({
      kind: 'no-capacity',
      reason: `every configuration left (${54 - history.length}) needs more GPUs than the study has`,
    });
    // Every layout of two GPUs or fewer was tried; of the wider ones, only what taught the rule.
    const fits = history.filter((t) => (t.params.tp as number) * (t.params.dp as number) <= 2);
    expect(fits).toHaveLength(27);
    expect(history.length - fits.length).toBeLessThanOrEqual(3);
  });

  it('trade GPUs: a parallel size left unchanged steps toward fewer GPUs', () => {
    const base = { tp: 1, dp: 2, util: 0.9, seqs: 256 };
    const trades = gpuTrades(space, { ...base, tp: 2 }, base);
    expect(trades.map((t) => t.params)).toEqual([{ tp: 2, dp: 1, util: 0.9, seqs: 256 }]);
    expect(trades[0]?.change).toBe('dp 2 -> 1');
  });
});

describe('out-of-memory repair', () => {
  it('moves each memory-hinted parameter alone, then all of them, from the latest out of memory', () => {
    const out = memoryRepairCandidates(space, [failed(0, { ...defaults, util: 0.85 }, 'oom')], new Set());
    expect(out.map((p) => p.params)).toEqual([
      { ...defaults, tp: 2, util: 0.85 },
      { ...defaults, tp: 1, util: 0.9 },
      { ...defaults, tp: 2, util: 0.9 },
    ]);
    expect(out[0]?.note).toContain('out of memory');
  });

  it('tries switches that free a little memory (CUDA graphs off) only after the sizes, and never in a first batch', () => {
    const withGraphs = normalizeSpace({
      tp: { values: [1, 2, 4], default: 1, lowers: { memory: 4, gpus: 1 } },
      eager: { type: 'bool', default: false, lowers: { memory: true } },
      util: { low: 0.8, high: 0.9, step: 0.05, default: 0.85, lowers: { memory: 0.9 } },
    });
    const base = { tp: 1, eager: false, util: 0.85 };
    const moves = memoryMoves(withGraphs, base, new Set());
    expect(moves.map((m) => [m.changes, m.size])).toEqual([
      ['tp 1 -> 2', true],
      ['util 0.85 -> 0.9', true],
      ['tp 1 -> 2, util 0.85 -> 0.9', true],
      ['eager false -> true', false],
    ]);
    // A configuration that differs from one that ran out of memory only by running without graphs may start.
    const rules = failureRules(withGraphs, [failed(0, base, 'oom')]);
    expect(predictedToFail(rules, base)).toBe(true);
    expect(predictedToFail(rules, { ...base, eager: true })).toBe(false);
    const batch = createBayesStrategy(withGraphs, { seed: 1 }).ask([], { count: 4 });
    expect(batch.origins?.filter((o) => o.note?.includes('in case they run out of memory'))).toHaveLength(2);
    for (const params of batch.params.slice(1, 3)) expect(params['eager']).toBe(false);
  });

  it('stops once a configuration has started, and ignores failures other than memory', () => {
    const started: Trial = {
      number: 1,
      params: defaults,
      state: 'complete',
      values: [1],
      constraints: [0.2],
    };
    expect(memoryRepairCandidates(space, [failed(0, defaults, 'oom'), started], new Set())).toEqual([]);
    expect(memoryRepairCandidates(space, [failed(0, defaults, 'crash')], new Set())).toEqual([]);
  });

  it('lets the strategy climb tensor parallelism after the defaults run out of memory', () => {
    const strategy = createBayesStrategy(space, { seed: 1, constraintMetrics: ['ttft'] });
    const history: Trial[] = [];
    // Weights fit from tensor parallel 4: every smaller layout runs out of memory.
    for (let n = 0; n < 4; n++) {
      const [params] = strategy.ask(history).params as [Params];
      const ok = params['tp'] === 4;
      history.push(
        ok
          ? { number: n, params, state: 'complete', values: [1], constraints: [-0.5] }
          : failed(n, params, 'oom'),
      );
      if (ok) break;
    }
    expect(history[0]?.params).toEqual(defaults);
    expect(history.at(-1)?.params['tp']).toBe(4);
    expect(history.length).toBeLessThanOrEqual(3);
  });

  it('sends the first memory moves of the defaults with them in a first batch', () => {
    const strategy = createBayesStrategy(space, { seed: 1, constraintMetrics: ['ttft'] });
    const batch = strategy.ask([], { count: 4 });
    // The memory share is already at its hinted end: tensor parallel is the only memory move.
    expect(batch.params.slice(0, 2)).toEqual([defaults, { ...defaults, tp: 2 }]);
    expect(batch.params).toHaveLength(4);
    expect(batch.origins?.[1]?.note).toContain('in case they run out of memory');
    // A single ask sends the defaults alone.
    expect(createBayesStrategy(space, { seed: 1 }).ask([]).params).toEqual([defaults]);
  });
});
