import { describe, expect, it } from 'vitest';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { clearlyFeasible, repairCandidates } from '../../../src/search/slo-repair.js';
import type { Params, Trial } from '../../../src/search/trial.js';

// A serving-like space: batch width, tensor parallelism, a KV type and CUDA graphs, with engine-style hints.
const spaceInput = {
  seqs: { values: [16, 32, 64, 128, 256, 512], default: 256, lowers: { tpot: 16, ttft: 512 } },
  tp: { values: [1, 2, 4, 8], default: 2, lowers: { tpot: 8, ttft: 8 } },
  kv: { values: ['auto', 'fp8'], default: 'auto', lowers: { tpot: 'fp8' } },
  eager: { type: 'bool' as const, default: false, lowers: { tpot: false } },
  util: { low: 0.7, high: 0.95, step: 0.05, default: 0.9 },
};
const space = normalizeSpace(spaceInput);
const metrics = ['ttft', 'tpot'];
const defaults: Params = { seqs: 256, tp: 2, kv: 'auto', eager: false, util: 0.9 };
const repair = (...args: Parameters<typeof repairCandidates>): Params[] =>
  repairCandidates(...args).map((p) => p.params);
const complete = (number: number, params: Params, constraints: number[]): Trial => ({
  number,
  params,
  state: 'complete',
  values: [-1],
  constraints,
});

describe('SLO repair', () => {
  it('moves every lever that lowers a broken TPOT one step, then each alone, then two steps', () => {
    const history = [complete(0, defaults, [-0.9, 0.4])];
    const out = repair(space, history, metrics, new Set());
    expect(out[0]).toEqual({ seqs: 128, tp: 4, kv: 'fp8', eager: false, util: 0.9 });
    // Single moves follow, strongest first (TP and KV help TPOT for free; batch width costs TTFT headroom).
    expect(out.slice(1)).toContainEqual({ ...defaults, seqs: 128 });
    expect(out.slice(1)).toContainEqual({ ...defaults, tp: 4 });
    expect(out.slice(1)).toContainEqual({ ...defaults, kv: 'fp8' });
    expect(out.at(-1)).toEqual({ seqs: 64, tp: 8, kv: 'fp8', eager: false, util: 0.9 });
  });

  it('widens the batch when TTFT is broken and TPOT has room, and keeps it when both are tight', () => {
    const ttftBroken = repair(space, [complete(0, defaults, [0.5, -0.8])], metrics, new Set());
    expect(ttftBroken[0]).toMatchObject({ seqs: 512, tp: 4, kv: 'auto' });
    // TTFT broken by a lot, TPOT with thin headroom: widening the batch still wins on balance.
    const both = repair(space, [complete(0, defaults, [0.6, -0.1])], metrics, new Set());
    expect(both[0]).toMatchObject({ seqs: 512, tp: 4 });
    // Equal pressure on both: the batch width helps one as much as it hurts the other, so it stays.
    const tie = repair(space, [complete(0, defaults, [0.3, 0.3])], metrics, new Set());
    expect(tie[0]).toMatchObject({ seqs: 256, tp: 4, kv: 'fp8' });
  });

  it('starts from the complete trial closest to the SLO and skips taken or out-of-space configurations', () => {
    const far = complete(0, defaults, [-0.9, 2]);
    const near = complete(1, { ...defaults, tp: 4 }, [-0.9, 0.1]);
    const crashed: Trial = {
      number: 2,
      params: { ...defaults, tp: 8 },
      state: 'failed',
      failureReason: 'oom',
    };
    const out = repair(space, [far, near, crashed], metrics, new Set());
    expect(out[0]).toMatchObject({ tp: 8, seqs: 128, kv: 'fp8' });
    const constrained = normalizeSpace({
      parameters: {
        seqs: { values: [64, 128, 256], lowers: { tpot: 64 } },
        tokens: { values: [64, 128, 256], lowers: { tpot: 64 } },
      },
      constraints: [{ left: 'tokens', op: '>=', right: 'seqs' }],
    });
    const start = complete(0, { seqs: 128, tokens: 128 }, [0.5]);
    const moves = repair(constrained, [start], ['tpot'], new Set());
    // Lowering only the token budget below the batch width breaks the space constraint.
    expect(moves).toEqual([
      { seqs: 64, tokens: 64 },
      { seqs: 64, tokens: 128 },
    ]);
  });

  it('moves a range a quarter of its width (on its log scale when log) and activates conditional parameters', () => {
    const ranged = normalizeSpace({
      chunked: { type: 'bool', default: false, lowers: { tpot: true } },
      chunk: {
        low: 64,
        high: 4096,
        log: true,
        when: { chunked: [true] },
        default: 512,
        lowers: { tpot: 64 },
      },
      width: { low: 1, high: 101, default: 101, lowers: { tpot: 1 } },
    });
    const [first] = repair(ranged, [complete(0, { chunked: false, width: 101 }, [1])], ['tpot'], new Set());
    expect(first).toEqual({ chunked: true, chunk: 512, width: 76 });
    const [next] = repair(
      ranged,
      [complete(0, { chunked: true, chunk: 512, width: 76 }, [1])],
      ['tpot'],
      new Set(),
    );
    // A quarter of the log width is a factor 64^0.25 (about 2.83): 512 -> 181 on the integer range.
    expect(next?.chunk).toBe(Math.round(512 / 64 ** 0.25));
  });

  it('stops once a trial meets the SLO with a margin, or two meet it narrowly, or nothing names a metric', () => {
    const history = [complete(0, defaults, [-0.9, 0.4])];
    expect(repair(space, history, [], new Set())).toEqual([]);
    expect(repair(space, history, [undefined, undefined], new Set())).toEqual([]);
    const clear = [...history, complete(1, { ...defaults, tp: 4 }, [-0.9, -0.2])];
    expect(clearlyFeasible(clear)).toBe(true);
    expect(repair(space, clear, metrics, new Set())).toEqual([]);
    const narrow = [complete(0, defaults, [-0.9, -0.02])];
    expect(repair(space, narrow, metrics, new Set())).not.toEqual([]);
    const twoNarrow = [...narrow, complete(1, { ...defaults, tp: 4 }, [-0.9, -0.05])];
    expect(repair(space, twoNarrow, metrics, new Set())).toEqual([]);
    // No hint helps the broken metric: nothing to propose.
    expect(repair(space, [complete(0, defaults, [0.4, -0.9])], ['e2e', 'itl'], new Set())).toEqual([]);
  });

  it('lets the Bayesian strategy reach a feasible configuration by its third trial where defaults break TPOT', () => {
    // TPOT falls with TP, a compact KV cache and a narrower batch; only a corner of the space meets 30 ms.
    const evaluate = (p: Params, number: number): Trial => {
      const tpot =
        ((12 + (p.seqs as number) / 8) / Math.sqrt(p.tp as number)) *
        (p.kv === 'fp8' ? 0.7 : 1) *
        (p.eager ? 1.3 : 1);
      const ttft = 200 + 40000 / (p.seqs as number);
      return complete(number, p, [ttft / 1000 - 1, tpot / 30 - 1]);
    };
    for (const withHints of [true, false]) {
      const firstFeasible: number[] = [];
      for (let seed = 0; seed < 10; seed++) {
        const strategy = createBayesStrategy(space, {
          seed,
          ...(withHints ? { constraintMetrics: metrics } : {}),
        });
        const history: Trial[] = [];
        while (history.length < 12 && !history.some((t) => t.constraints?.every((c) => c <= 0))) {
          const [p] = strategy.ask(history).params;
          history.push(evaluate(p as Params, history.length));
        }
        firstFeasible.push(history.length);
      }
      if (withHints) expect(Math.max(...firstFeasible)).toBeLessThanOrEqual(3);
      else expect(Math.max(...firstFeasible)).toBeGreaterThan(3);
    }
  });

  it('repairs in parallel studies too: running trials of the first batch do not use up the start', () => {
    const strategy = createBayesStrategy(space, { seed: 1, constraintMetrics: metrics });
    const [first, ...batch] = strategy.ask([], { count: 8 }).params;
    expect(first).toEqual(defaults);
    const history: Trial[] = [
      complete(0, first as Params, [-0.9, 0.4]),
      ...batch.map((params, i): Trial => ({ number: i + 1, params, state: 'running' })),
    ];
    const [next] = strategy.ask(history).params;
    expect(next).toEqual({ seqs: 128, tp: 4, kv: 'fp8', eager: false, util: 0.9 });
  });

  it('says in words what each repair starts from, what it fixes and what it changes', () => {
    const [first] = repairCandidates(space, [complete(3, defaults, [-0.9, 0.4])], metrics, new Set());
    expect(first?.anchor).toBe(3);
    expect(first?.note).toBe(
      'SLO repair of trial 3 (tpot 40% over the SLO): seqs 256 -> 128, tp 2 -> 4, kv auto -> fp8',
    );
    const [narrow] = repairCandidates(space, [complete(0, defaults, [-0.9, -0.05])], metrics, new Set());
    expect(narrow?.note).toMatch(/^SLO repair of trial 0 \(tpot only 5% under the SLO\): /);
  });

  it('tells the study why the Bayesian strategy suggested each configuration', () => {
    const strategy = createBayesStrategy(space, {
      seed: 1,
      constraintMetrics: metrics,
      initial: [{ ...defaults, tp: 1 }],
    });
    const start = strategy.ask([], { count: 3 });
    expect(start.origins?.map((o) => o.kind)).toEqual(['defaults', 'initial', 'design']);
    const history = start.params.map((p, i) => complete(i, p, [-0.9, 0.4 + i]));
    const next = strategy.ask(history);
    expect(next.origins).toEqual([
      { kind: 'repair', note: expect.stringMatching(/^SLO repair of trial 0 /) },
    ]);
  });
});

describe('SLO repair with telemetry signals', () => {
  // The serving space with `kv` hints: a narrower batch, a larger memory share and a compact KV type relieve the cache.
  const kvSpace = normalizeSpace({
    seqs: { values: [16, 32, 64, 128, 256, 512], default: 256, lowers: { tpot: 16, ttft: 512, kv: 16 } },
    tp: { values: [1, 2, 4, 8], default: 2, lowers: { tpot: 8, ttft: 8 } },
    kv: { values: ['auto', 'fp8'], default: 'auto', lowers: { tpot: 'fp8', kv: 'fp8' } },
    eager: { type: 'bool', default: false, lowers: { tpot: false } },
    util: { low: 0.7, high: 0.95, step: 0.05, default: 0.9, lowers: { kv: 0.95 } },
  });
  const saturated = {
    kvSaturated: true,
    preemptions: 412,
    evidence: 'KV cache >= 95% for 70% of the run, 412 preemptions',
  };
  const brokenTpot = (signals?: Trial['signals']): Trial[] => [
    { ...complete(0, defaults, [-0.9, 0.4]), ...(signals ? { signals } : {}) },
  ];

  it('tries the KV-relieving moves first, each alone then together, when the KV cache ran full', () => {
    const out = repairCandidates(kvSpace, brokenTpot(saturated), metrics, new Set());
    // Batch width and KV type also lower TPOT, the memory share is neutral to it: they lead in that order.
    expect(out.slice(0, 4).map((p) => p.params)).toEqual([
      { ...defaults, seqs: 128 },
      { ...defaults, kv: 'fp8' },
      { ...defaults, util: 0.95 },
      { ...defaults, seqs: 128, kv: 'fp8', util: 0.95 },
    ]);
    expect(out[0]?.note).toBe(
      'SLO repair of trial 0 (tpot 40% over the SLO, KV cache >= 95% for 70% of the run, 412 preemptions: ' +
        'relieving the KV cache first): seqs 256 -> 128',
    );
    // The usual latency moves follow, without the telemetry in their note.
    expect(out[4]).toEqual({
      params: { ...defaults, seqs: 128, tp: 4, kv: 'fp8' },
      anchor: 0,
      note: 'SLO repair of trial 0 (tpot 40% over the SLO): seqs 256 -> 128, tp 2 -> 4, kv auto -> fp8',
      changes: 'seqs 256 -> 128, tp 2 -> 4, kv auto -> fp8',
    });
  });

  it('keeps the usual order without the signal, and preemptions alone count as a full cache', () => {
    for (const signals of [undefined, {}, { kvSaturated: false, preemptions: 0 }]) {
      const out = repairCandidates(kvSpace, brokenTpot(signals), metrics, new Set());
      expect(out[0]?.params).toEqual({ ...defaults, seqs: 128, tp: 4, kv: 'fp8' });
      expect(out.map((p) => p.params)).not.toContainEqual({ ...defaults, util: 0.95 });
      expect(out.some((p) => p.note.includes('KV cache'))).toBe(false);
    }
    const preempted = repairCandidates(kvSpace, brokenTpot({ preemptions: 3 }), metrics, new Set());
    expect(preempted[0]?.params).toEqual({ ...defaults, seqs: 128 });
    expect(preempted[0]?.note).toContain('KV cache ran full: relieving the KV cache first');
  });

  it('puts a KV move that costs the broken metric last among them (a narrower batch when TTFT is broken)', () => {
    const history: Trial[] = [{ ...complete(0, defaults, [0.5, -0.8]), signals: saturated }];
    const out = repairCandidates(kvSpace, history, metrics, new Set()).map((p) => p.params);
    expect(out.slice(0, 3)).toEqual([
      { ...defaults, kv: 'fp8' },
      { ...defaults, util: 0.95 },
      { ...defaults, seqs: 128 },
    ]);
  });

  it('lets the Bayesian strategy suggest the KV-relieving move first, saying why', () => {
    const strategy = createBayesStrategy(kvSpace, { seed: 1, constraintMetrics: metrics });
    const next = strategy.ask(brokenTpot(saturated), { count: 1 });
    expect(next.params).toEqual([{ ...defaults, seqs: 128 }]);
    expect(next.origins?.[0]?.note).toMatch(
      /412 preemptions: relieving the KV cache first\): seqs 256 -> 128$/,
    );
    const plain = createBayesStrategy(kvSpace, { seed: 1, constraintMetrics: metrics }).ask(brokenTpot(), {
      count: 1,
    });
    expect(plain.params).toEqual([{ ...defaults, seqs: 128, tp: 4, kv: 'fp8' }]);
  });
});

describe('safety step of a best configuration within the noise of the SLO', () => {
  // Past the start: the defaults break TPOT, trial 1 meets it by 2 % (less than a measurement's noise), the
  // rest break it or run slower.
  const past = (bestTpot: number): Trial[] => [
    complete(0, defaults, [-0.9, 0.4]),
    {
      ...complete(1, { seqs: 128, tp: 4, kv: 'fp8', eager: false, util: 0.9 }, [-0.8, bestTpot]),
      values: [-5],
    },
    complete(2, { ...defaults, seqs: 512 }, [-0.95, 0.9]),
    complete(3, { ...defaults, tp: 1 }, [-0.7, 1.2]),
    complete(4, { ...defaults, seqs: 16, tp: 8 }, [0.6, -0.6]),
    complete(5, { ...defaults, util: 0.7, seqs: 64 }, [-0.2, 0.1]),
  ];

  it('moves the best configuration one step to the safe side of the thin bound, saying why', () => {
    const strategy = createBayesStrategy(space, { seed: 3, constraintMetrics: metrics });
    const next = strategy.ask(past(-0.02), { count: 1 });
    expect(next.origins?.[0]?.kind).toBe('repair');
    expect(next.origins?.[0]?.note).toMatch(
      /^safety step of trial 1 \(within the SLO by less than the measurement noise: tpot \d+% (under|over), judged with its neighbours\): seqs 128 -> 64, tp 4 -> 8$/,
    );
    expect(next.params[0]).toEqual({ seqs: 64, tp: 8, kv: 'fp8', eager: false, util: 0.9 });
  });

  it('takes the step once, and not when the best meets every bound beyond the noise', () => {
    const strategy = createBayesStrategy(space, { seed: 3, constraintMetrics: metrics });
    const stepped = [
      ...past(-0.02),
      complete(6, { seqs: 64, tp: 8, kv: 'fp8', eager: false, util: 0.9 }, [-0.5, -0.3]),
    ];
    expect(strategy.ask(stepped, { count: 1 }).origins?.[0]?.kind).toBe('model');
    const comfortable = createBayesStrategy(space, { seed: 3, constraintMetrics: metrics }).ask(past(-0.3), {
      count: 1,
    });
    expect(comfortable.origins?.[0]?.kind).toBe('model');
  });

  it('leaves a step out that an earlier failure predicts to fail the same way', () => {
    // Tensor parallelism takes GPUs: once 8 did not fit, the step keeps 4 and only narrows the batch.
    const gpuSpace = normalizeSpace({
      ...spaceInput,
      tp: { values: [1, 2, 4, 8], default: 2, lowers: { tpot: 8, ttft: 8, gpus: 1 } },
    });
    const wide: Trial = {
      number: 6,
      params: { ...defaults, tp: 8 },
      state: 'failed',
      failureReason: 'no-capacity',
    };
    const next = createBayesStrategy(gpuSpace, { seed: 3, constraintMetrics: metrics }).ask(
      [...past(-0.02), wide],
      { count: 1 },
    );
    expect(next.origins?.[0]?.note).toMatch(/^safety step of trial 1 .*: seqs 128 -> 64$/);
  });
});
