// A short explanation of a trial from what its engine and GPUs did and whether it met its SLO.
import type { CounterSummary, GaugeSummary } from '../benchmark/series-summary.js';
import type { TrialSignals } from '../search/trial.js';
import type { TrialTelemetry } from './trial-telemetry.js';

/** What a diagnosis reads besides the telemetry. */
export interface DiagnosisInput {
  telemetry: TrialTelemetry | undefined;
  /** The trial met every SLO term. */
  feasible: boolean;
  /** The engine's flag that caps concurrent sequences (`--max-num-seqs`), named in the advice. */
  concurrencyFlag?: string | undefined;
  /** The workload shares prompt prefixes between requests, so a prefix cache should hit. */
  sharedPrefixes: boolean;
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** Fractions of a window at or above which a series counts as a pattern, not a blip. */
const KV_SATURATED_SHARE = 0.3;
const LOW_GPU_UTILISATION_PCT = 50;
const LOW_PREFIX_HIT_RATE = 0.3;

/**
 * Sentences, most telling first; empty when the telemetry shows nothing worth saying about a feasible trial.
 * Thresholds: KV cache >= 95% for 30% of the window, a mean of one waiting request, GPU utilisation under 50%,
 * a prefix hit rate under 30% on a shared-prefix workload.
 */
export function diagnoseTrial(input: DiagnosisInput): string[] {
  const engine = input.telemetry?.engine;
  const gpu = input.telemetry?.gpu;
  const out: string[] = [];
  const series = engine?.series ?? {};
  const kv = series['kvCacheUsage'] as GaugeSummary | undefined;
  const preempted = (series['preemptions'] as CounterSummary | undefined)?.delta ?? 0;
  const waiting = series['waiting'] as GaugeSummary | undefined;
  const flag = input.concurrencyFlag ?? 'the concurrency cap';
  if (kv?.saturatedShare !== undefined && kv.saturatedShare >= KV_SATURATED_SHARE) {
    const from = engine?.kvCacheUsageFrom === undefined ? '' : ` (from ${engine.kvCacheUsageFrom})`;
    const head = `KV cache${from} >= ${pct(kv.saturationAt ?? 0.95)} for ${pct(kv.saturatedShare)} of the run`;
    out.push(
      preempted > 0
        ? `${head}, ${Math.round(preempted)} preemptions: ${flag} too high for this memory`
        : `${head}: memory-bound, more concurrency cannot help`,
    );
  } else if (preempted > 0) {
    out.push(`${Math.round(preempted)} preemptions: the KV cache ran short at peaks`);
  }
  if (waiting && waiting.mean >= 1) {
    out.push(
      `queue of ${waiting.mean.toFixed(1)} requests on average (max ${Math.round(waiting.max)}): the engine admitted less than the load offered, queueing adds to TTFT`,
    );
  }
  const util = gpu?.utilizationPct;
  if (util !== undefined && util.mean < LOW_GPU_UTILISATION_PCT) {
    out.push(`GPU utilisation ${Math.round(util.mean)}%: client- or scheduler-bound`);
  }
  const hitRate = engine?.prefixCacheHitRate;
  if (input.sharedPrefixes && hitRate !== undefined && hitRate < LOW_PREFIX_HIT_RATE) {
    out.push(
      `prefix-cache hit rate ${pct(hitRate)} on a workload with shared prefixes: prefix caching off or evicted`,
    );
  }
  if (!input.feasible && engine && out.length === 0)
    out.push('SLO missed without a saturated KV cache, preemptions or a queue');
  return out;
}

/**
 * What the telemetry tells the search's SLO repair (KV cache saturated by the diagnosis's threshold, requests
 * preempted), with the figures in words; undefined when the engine reported neither.
 */
export function searchSignals(telemetry: TrialTelemetry | undefined): TrialSignals | undefined {
  const series = telemetry?.engine?.series ?? {};
  const kv = series['kvCacheUsage'] as GaugeSummary | undefined;
  const preempted = (series['preemptions'] as CounterSummary | undefined)?.delta;
  const saturated = kv?.saturatedShare !== undefined && kv.saturatedShare >= KV_SATURATED_SHARE;
  const preemptions = preempted !== undefined && preempted > 0 ? Math.round(preempted) : undefined;
  if (!saturated && preemptions === undefined) return undefined;
  const words = [
    ...(saturated
      ? [`KV cache >= ${pct(kv.saturationAt ?? 0.95)} for ${pct(kv.saturatedShare ?? 0)} of the run`]
      : []),
    ...(preemptions !== undefined ? [`${preemptions} preemptions`] : []),
  ];
  return {
    ...(saturated ? { kvSaturated: true } : {}),
    ...(preemptions !== undefined ? { preemptions } : {}),
    evidence: words.join(', '),
  };
}
