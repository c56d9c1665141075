// Deterministic number formatting for charts, tables and the Markdown summary.

/** A compact, locale-independent rendering: 3 significant digits below 100, integers above. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e8 ? 0 : 2)}M`;
  if (abs >= 100) return value.toFixed(0);
  if (abs === 0) return '0';
  if (abs < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/** A signed percentage of a ratio, e.g. 0.352 -> `+35.2%`. */
export function formatPercent(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  const pct = ratio * 100;
  const text = Math.abs(pct) >= 100 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct > 0 ? '+' : ''}${text}%`;
}

/** A duration in ms as `850 ms`, `12.3 s`, `4.2 min` or `1.5 h`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A parameter value as text. */
export function formatParam(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
