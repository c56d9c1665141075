// Summaries of sampled series over a measured window: gauges by time-weighted mean and max, counters as rates.

/** A series to summarise, read from each sample under `metric`. */
export interface SeriesSpec {
  /** Name the summary is kept under (`kvCacheUsage`, or the engine's own metric name). */
  key: string;
  /** Sample name in the source (a Prometheus sample name, an nvidia-smi column). */
  metric: string;
  kind: 'gauge' | 'counter';
  /** Gauges: also report the share of the window at or above this value (e.g. 0.95 for a full KV cache). */
  saturationAt?: number;
}

/** One reading of several series at a time (ms on the sampler's monotonic clock). */
export interface SeriesSample {
  tMs: number;
  values: ReadonlyMap<string, number>;
}

/** A gauge over the window: each reading holds until the next one. */
export interface GaugeSummary {
  kind: 'gauge';
  mean: number;
  max: number;
  /** Share (0..1) of the window the gauge was at or above its `saturationAt`, when the series has one. */
  saturatedShare?: number;
  /** The threshold `saturatedShare` counts from. */
  saturationAt?: number;
}

/** A counter over the window: its increase and that increase per second. */
export interface CounterSummary {
  kind: 'counter';
  delta: number;
  perS: number;
}

/** Summaries by key over one measured window. */
export interface SeriesSummaries {
  /** Readings the summaries rest on. */
  samples: number;
  /** Milliseconds from the first to the last reading. */
  windowMs: number;
  series: Record<string, GaugeSummary | CounterSummary>;
}

function summariseGauge(points: Array<{ tMs: number; value: number }>, spec: SeriesSpec): GaugeSummary {
  let max = Number.NEGATIVE_INFINITY;
  for (const p of points) max = Math.max(max, p.value);
  const first = points[0] as { tMs: number; value: number };
  const last = points[points.length - 1] as { tMs: number; value: number };
  const span = last.tMs - first.tMs;
  // Shares and means are taken of the intervals' own sum, not of the span: with fractional timestamps the two
  // differ in the last bit, and a gauge saturated throughout must read a share of exactly 1.
  let total = 0;
  let weighted = 0;
  let saturatedMs = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const p = points[i] as { tMs: number; value: number };
    const dt = (points[i + 1] as { tMs: number }).tMs - p.tMs;
    total += dt;
    weighted += p.value * dt;
    if (spec.saturationAt !== undefined && p.value >= spec.saturationAt) saturatedMs += dt;
  }
  // A single reading (or readings at one instant) is its own mean; a mean stays within the readings.
  const mean =
    span > 0 ? Math.min(max, weighted / total) : points.reduce((s, p) => s + p.value, 0) / points.length;
  const summary: GaugeSummary = { kind: 'gauge', mean, max };
  if (spec.saturationAt !== undefined) {
    summary.saturationAt = spec.saturationAt;
    summary.saturatedShare =
      span > 0 ? saturatedMs / total : Number(points.every((p) => p.value >= (spec.saturationAt ?? 0)));
  }
  return summary;
}

function summariseCounter(points: Array<{ tMs: number; value: number }>): CounterSummary | undefined {
  const first = points[0] as { tMs: number; value: number };
  const last = points[points.length - 1] as { tMs: number; value: number };
  const span = last.tMs - first.tMs;
  if (span <= 0) return undefined;
  // A counter that went down restarted (the engine restarted): count only its increases.
  let delta = 0;
  for (let i = 1; i < points.length; i++) {
    const step = (points[i] as { value: number }).value - (points[i - 1] as { value: number }).value;
    delta += step >= 0 ? step : (points[i] as { value: number }).value;
  }
  return { kind: 'counter', delta, perS: delta / (span / 1000) };
}

/**
 * Summarises samples over the window they span. A series missing from every sample is left out; a counter needs
 * two readings at different times. Returns undefined without any sample.
 */
export function summariseSeries(
  samples: readonly SeriesSample[],
  specs: readonly SeriesSpec[],
): SeriesSummaries | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a.tMs - b.tMs);
  const series: SeriesSummaries['series'] = {};
  for (const spec of specs) {
    const points: Array<{ tMs: number; value: number }> = [];
    for (const s of sorted) {
      const value = s.values.get(spec.metric);
      if (value !== undefined && Number.isFinite(value)) points.push({ tMs: s.tMs, value });
    }
    if (points.length === 0) continue;
    const summary = spec.kind === 'gauge' ? summariseGauge(points, spec) : summariseCounter(points);
    if (summary) series[spec.key] = summary;
  }
  const first = sorted[0] as SeriesSample;
  const last = sorted[sorted.length - 1] as SeriesSample;
  return { samples: sorted.length, windowMs: last.tMs - first.tMs, series };
}
