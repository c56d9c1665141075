// What a trial's engine (and GPUs) did while its benchmark ran: one sampling session per measured level.
import { MetricsScraper } from '../benchmark/metrics-scraper.js';
import {
  type CounterSummary,
  type GaugeSummary,
  type SeriesSample,
  type SeriesSpec,
  type SeriesSummaries,
  summariseSeries,
} from '../benchmark/series-summary.js';
import { type KvPool, kvUsageFromSlots } from '../benchmark/slots-kv-usage.js';
import { combineProbes, type TelemetryProbe } from '../benchmark/telemetry-probe.js';
import { type GpuReading, NvidiaSmiSampler } from '../gpu/nvidia-smi-sampler.js';
import type { Clock } from '../util/clock.js';

/** Summaries of the engine's own metrics over the measured window, with the prefix-cache hit rate derived. */
export interface EngineTelemetry extends SeriesSummaries {
  /** Share (0..1) of prompt tokens served from the prefix cache, when the engine says. */
  prefixCacheHitRate?: number;
  /** Where `series.kvCacheUsage` was derived from when the metrics page has no KV gauge (`/slots`). */
  kvCacheUsageFrom?: string;
}

/** Mean and max of one GPU figure over the window, averaged (mean) and maxed over the trial's GPUs. */
export interface GpuFigure {
  mean: number;
  max: number;
}

/** The trial's GPUs over the measured window, sampled by one nvidia-smi process. */
export interface GpuTelemetry {
  gpus: number;
  samples: number;
  windowMs: number;
  utilizationPct?: GpuFigure;
  memoryUsedMiB?: GpuFigure;
  powerW?: GpuFigure;
}

/** Telemetry of a trial, from its representative level. */
export interface TrialTelemetry {
  engine?: EngineTelemetry;
  gpu?: GpuTelemetry;
  /** What could not be sampled (a /metrics page that failed, a missing nvidia-smi). */
  problems?: string[];
}

/** How a trial samples its engine. */
export interface TelemetrySettings {
  /** The engine's Prometheus page. */
  metricsUrl: string;
  series: readonly SeriesSpec[];
  intervalMs: number;
  /** @default max(intervalMs * 2, 2_000) */
  timeoutMs?: number;
  /** KV usage from the engine's slot list (same server, same loop) when its metrics page has no KV gauge. */
  kvFromSlots?: { url: string; pool: KvPool };
  /** The trial's NVIDIA GPUs, sampled with one nvidia-smi process at `gpuIntervalMs`. */
  gpu?: { gpuIndices: readonly number[]; command?: string; intervalMs: number };
  clock?: Clock;
}

const GPU_SERIES: SeriesSpec[] = [
  { key: 'utilizationPct', metric: 'utilizationPct', kind: 'gauge' },
  { key: 'memoryUsedMiB', metric: 'memoryUsedMiB', kind: 'gauge' },
  { key: 'powerW', metric: 'powerW', kind: 'gauge' },
];

/** Each GPU's gauges summarised on its own, then averaged (means) and maxed (maxima) over the GPUs. */
export function summariseGpus(readings: readonly GpuReading[], timeScale: number): GpuTelemetry | undefined {
  const byGpu = new Map<number, SeriesSample[]>();
  for (const r of readings) {
    const values = new Map<string, number>();
    for (const key of ['utilizationPct', 'memoryUsedMiB', 'powerW'] as const) {
      const v = r[key];
      if (v !== undefined) values.set(key, v);
    }
    byGpu.set(r.index, [...(byGpu.get(r.index) ?? []), { tMs: r.tMs, values }]);
  }
  const per = [...byGpu.values()].map((samples) => summariseSeries(samples, GPU_SERIES));
  const summaries = per.filter((s): s is SeriesSummaries => s !== undefined);
  if (summaries.length === 0) return undefined;
  const out: GpuTelemetry = {
    gpus: summaries.length,
    samples: Math.min(...summaries.map((s) => s.samples)),
    windowMs: Math.max(...summaries.map((s) => s.windowMs)) * timeScale,
  };
  for (const key of ['utilizationPct', 'memoryUsedMiB', 'powerW'] as const) {
    const gauges = summaries.map((s) => gauge(s, key)).filter((g): g is GaugeSummary => g !== undefined);
    if (gauges.length === 0) continue;
    out[key] = {
      mean: gauges.reduce((sum, g) => sum + g.mean, 0) / gauges.length,
      max: Math.max(...gauges.map((g) => g.max)),
    };
  }
  return out;
}

function counter(t: SeriesSummaries, key: string): CounterSummary | undefined {
  const s = t.series[key];
  return s?.kind === 'counter' ? s : undefined;
}

function gauge(t: SeriesSummaries, key: string): GaugeSummary | undefined {
  const s = t.series[key];
  return s?.kind === 'gauge' ? s : undefined;
}

function prefixHitRate(t: SeriesSummaries): number | undefined {
  const hits = counter(t, 'prefixCacheHits');
  const queries = counter(t, 'prefixCacheQueries');
  if (hits && queries) return queries.delta > 0 ? hits.delta / queries.delta : undefined;
  const prompt = counter(t, 'promptTokens');
  // llama.cpp counts cached prompt tokens apart from the processed ones.
  if (hits && prompt)
    return hits.delta + prompt.delta > 0 ? hits.delta / (hits.delta + prompt.delta) : undefined;
  return gauge(t, 'prefixCacheHitRate')?.mean;
}

/** Undoes a simulated engine's speed-up: its window is `timeScale` times longer and its rates slower. */
function rescale(t: SeriesSummaries, timeScale: number): SeriesSummaries {
  if (timeScale === 1) return t;
  const series: SeriesSummaries['series'] = {};
  for (const [key, s] of Object.entries(t.series))
    series[key] = s.kind === 'counter' ? { ...s, perS: s.perS / timeScale } : s;
  return { ...t, windowMs: t.windowMs * timeScale, series };
}

// The sample name slot-derived KV usage is kept under ('/' cannot occur in a Prometheus name).
const SLOTS_KV = '/slots kv usage';

/** The KV usage series read from the slot list, in place of a gauge the metrics page lacks. */
function slotsKvSeries(samples: readonly SeriesSample[], kvSpec: SeriesSpec | undefined) {
  const spec: SeriesSpec = {
    key: 'kvCacheUsage',
    metric: SLOTS_KV,
    kind: 'gauge',
    ...(kvSpec?.saturationAt !== undefined ? { saturationAt: kvSpec.saturationAt } : {}),
  };
  return summariseSeries(samples, [spec])?.series['kvCacheUsage'];
}

/** One level's sampling: pass `probe` to the benchmark, read `result` after it. */
export class TelemetrySession {
  readonly probe: TelemetryProbe;
  readonly #scraper: MetricsScraper;
  readonly #series: readonly SeriesSpec[];
  readonly #gpus: NvidiaSmiSampler | undefined;
  readonly #slotsPath: string | undefined;

  constructor(settings: TelemetrySettings) {
    this.#series = settings.series;
    const kvSpec = settings.series.find((s) => s.key === 'kvCacheUsage');
    const slots = settings.kvFromSlots;
    this.#slotsPath = slots ? new URL(slots.url).pathname : undefined;
    this.#scraper = new MetricsScraper({
      url: settings.metricsUrl,
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs ?? Math.max(settings.intervalMs * 2, 2_000),
      ...(slots
        ? {
            jsonGauge: {
              url: slots.url,
              name: SLOTS_KV,
              read: (body: unknown) => kvUsageFromSlots(body, slots.pool),
              ...(kvSpec ? { unlessOnPage: kvSpec.metric } : {}),
            },
          }
        : {}),
      ...(settings.clock ? { clock: settings.clock } : {}),
    });
    this.#gpus = settings.gpu
      ? new NvidiaSmiSampler({
          gpuIndices: settings.gpu.gpuIndices,
          intervalMs: Math.max(100, Math.round(settings.gpu.intervalMs)),
          ...(settings.gpu.command ? { command: settings.gpu.command } : {}),
          ...(settings.clock ? { clock: settings.clock } : {}),
        })
      : undefined;
    this.probe = combineProbes(this.#gpus ? [this.#scraper, this.#gpus] : [this.#scraper]);
  }

  /** Summaries in simulated real time (`timeScale` undone), and what went wrong. */
  result(timeScale: number): TrialTelemetry {
    const problems: string[] = [];
    const scraped = this.#scraper.problem();
    if (scraped) problems.push(`engine metrics: ${scraped}`);
    const slotsFailed = this.#scraper.jsonProblem();
    if (slotsFailed) problems.push(`KV usage from ${this.#slotsPath}: ${slotsFailed}`);
    const summaries = summariseSeries(this.#scraper.samples, this.#series);
    let kvFrom: string | undefined;
    if (summaries && !summaries.series['kvCacheUsage'] && this.#scraper.jsonGaugeRead) {
      const kv = slotsKvSeries(
        this.#scraper.samples,
        this.#series.find((s) => s.key === 'kvCacheUsage'),
      );
      if (kv) {
        summaries.series['kvCacheUsage'] = kv;
        kvFrom = this.#slotsPath;
      }
    }
    const telemetry: TrialTelemetry = {};
    if (summaries && Object.keys(summaries.series).length > 0) {
      const engine: EngineTelemetry = rescale(summaries, timeScale);
      const hitRate = prefixHitRate(summaries);
      if (hitRate !== undefined) engine.prefixCacheHitRate = hitRate;
      if (kvFrom !== undefined) engine.kvCacheUsageFrom = kvFrom;
      telemetry.engine = engine;
    } else if (summaries) {
      problems.push(`engine metrics: none of ${this.#series.map((s) => s.metric).join(', ')} on the page`);
    }
    if (this.#gpus) {
      const gpu = summariseGpus(this.#gpus.readings, timeScale);
      if (gpu) telemetry.gpu = gpu;
      const problem = this.#gpus.problem();
      if (problem) problems.push(`GPU sampling: ${problem}`);
    }
    if (problems.length > 0) telemetry.problems = problems;
    return telemetry;
  }
}
