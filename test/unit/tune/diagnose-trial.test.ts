import { describe, expect, it } from 'vitest';
import type { GaugeSummary } from '../../../src/benchmark/series-summary.js';
import { diagnoseTrial, searchSignals } from '../../../src/tune/diagnose-trial.js';
import type { TrialTelemetry } from '../../../src/tune/trial-telemetry.js';

const gauge = (mean: number, max: number, saturatedShare?: number): GaugeSummary => ({
  kind: 'gauge',
  mean,
  max,
  ...(saturatedShare === undefined ? {} : { saturatedShare, saturationAt: 0.95 }),
});

function engine(series: NonNullable<TrialTelemetry['engine']>['series'], hitRate?: number): TrialTelemetry {
  return {
    engine: {
      samples: 10,
      windowMs: 10_000,
      series,
      ...(hitRate === undefined ? {} : { prefixCacheHitRate: hitRate }),
    },
  };
}

describe('diagnoseTrial', () => {
  it.each([
    [
      'a full KV cache with preemptions',
      engine({
        kvCacheUsage: gauge(0.97, 1, 0.7),
        preemptions: { kind: 'counter', delta: 412, perS: 41.2 },
      }),
      false,
      ['KV cache >= 95% for 70% of the run, 412 preemptions: --max-num-seqs too high for this memory'],
    ],
    [
      'a full KV cache without preemptions',
      engine({ kvCacheUsage: gauge(0.9, 1, 0.4) }),
      true,
      ['KV cache >= 95% for 40% of the run: memory-bound, more concurrency cannot help'],
    ],
    [
      'a queue',
      engine({ waiting: gauge(12.34, 40), kvCacheUsage: gauge(0.5, 0.6, 0) }),
      false,
      [
        'queue of 12.3 requests on average (max 40): the engine admitted less than the load offered, queueing adds to TTFT',
      ],
    ],
    [
      'idle GPUs',
      { gpu: { gpus: 2, samples: 5, windowMs: 5_000, utilizationPct: { mean: 35.2, max: 60 } } },
      true,
      ['GPU utilisation 35%: client- or scheduler-bound'],
    ],
    ['a feasible trial with nothing to say', engine({ kvCacheUsage: gauge(0.3, 0.5, 0) }), true, []],
    [
      'a missed SLO nothing explains',
      engine({ kvCacheUsage: gauge(0.3, 0.5, 0) }),
      false,
      ['SLO missed without a saturated KV cache, preemptions or a queue'],
    ],
    ['no telemetry', undefined, false, []],
  ])('%s', (_name, telemetry, feasible, expected) => {
    expect(
      diagnoseTrial({ telemetry, feasible, concurrencyFlag: '--max-num-seqs', sharedPrefixes: false }),
    ).toEqual(expected);
  });

  it('flags a low prefix-cache hit rate only when the workload shares prefixes', () => {
    const telemetry = engine({}, 0.12);
    expect(diagnoseTrial({ telemetry, feasible: true, sharedPrefixes: true })).toEqual([
      'prefix-cache hit rate 12% on a workload with shared prefixes: prefix caching off or evicted',
    ]);
    expect(diagnoseTrial({ telemetry, feasible: true, sharedPrefixes: false })).toEqual([]);
  });
});

describe('searchSignals', () => {
  it('passes a full KV cache and preemptions to the search with the figures in words, and nothing else', () => {
    const full = engine({
      kvCacheUsage: gauge(0.97, 1, 0.7),
      preemptions: { kind: 'counter', delta: 412, perS: 41.2 },
    });
    expect(searchSignals(full)).toEqual({
      kvSaturated: true,
      preemptions: 412,
      evidence: 'KV cache >= 95% for 70% of the run, 412 preemptions',
    });
    expect(searchSignals(engine({ kvCacheUsage: gauge(0.9, 1, 0.4) }))).toEqual({
      kvSaturated: true,
      evidence: 'KV cache >= 95% for 40% of the run',
    });
    expect(searchSignals(engine({ preemptions: { kind: 'counter', delta: 3, perS: 0.3 } }))).toEqual({
      preemptions: 3,
      evidence: '3 preemptions',
    });
    // Below the diagnosis's threshold (30% of the run), no preemptions, a queue only, or no telemetry: no signal.
    expect(searchSignals(engine({ kvCacheUsage: gauge(0.8, 1, 0.2) }))).toBeUndefined();
    expect(searchSignals(engine({ waiting: gauge(12, 40) }))).toBeUndefined();
    expect(searchSignals(undefined)).toBeUndefined();
  });
});
