// A chart as data: what the report and the live page hand to the one browser script that draws charts (uPlot).
// Built on the server from the report's model of a study; drawn in the page by chart-script.ts.
import { escapeHtml } from './html-escape.js';

/** One series: values aligned on the chart's `xs` (null where the series has no point). */
export interface ChartSeries {
  label: string;
  /** `points` draws markers only, `line` joins its points, `step` draws a step line (value held until the next). */
  kind: 'points' | 'line' | 'step';
  /** CSS colour. */
  color: string;
  values: Array<number | null>;
  /** Marker diameter in CSS pixels. @default 6 */
  size?: number;
  /** Markers drawn as rings (white inside). @default false */
  hollow?: boolean;
  /** Dash pattern of a line, e.g. [4, 2]. @default solid */
  dash?: number[];
  /** Also mark the points of a line. @default false */
  marked?: boolean;
}

/** A vertical rule across the plot (e.g. an SLO bound), at an x value. */
export interface ChartRule {
  x: number;
  color: string;
}

/** A whole chart: axes, x values, series and the text shown for each x when the pointer is on it. */
export interface ChartSpec {
  /** Stable name, also the `data-chart` attribute of the figure. */
  name: string;
  title: string;
  /** `categories`: x values are indices into it, labelled with its names. */
  x: { label: string; log?: boolean; range: [number, number]; categories?: string[] };
  y: { label: string; range: [number, number] };
  /** Ascending x values shared by every series. */
  xs: number[];
  /** What the pointer on xs[i] shows (trial, value, outcome). */
  tips: string[];
  series: ChartSeries[];
  rules?: ChartRule[];
  /** Written across an empty plot (e.g. `not measured`). */
  note?: string;
  /** @default 560 */
  width?: number;
  /** @default 320 */
  height?: number;
}

/** Colours of the outcomes and roles the charts show (one palette for the report and the live page). */
export const CHART_COLORS = {
  feasible: '#2563eb',
  infeasible: '#f59e0b',
  pruned: '#0d9488',
  confirm: '#0891b2',
  winner: '#16a34a',
  defaults: '#374151',
  best: '#16a34a',
  front: '#7c3aed',
  slo: '#dc2626',
} as const;

const REASON_COLORS: Record<string, string> = {
  oom: '#b91c1c',
  crash: '#db2777',
  'readiness-timeout': '#9333ea',
  'benchmark-error': '#ea580c',
  'cuda-error': '#7f1d1d',
  'trial-timeout': '#c026d3',
};

/** The colour of failed trials of one classified reason. */
export const reasonColor = (reason: string): string => REASON_COLORS[reason] ?? '#6b7280';

/**
 * Series of a chart with `length` x positions, created on first use (`add(label, make)`, in that order) with no
 * value at any position until the caller sets one.
 */
export function seriesBuilder(length: number): {
  series: Map<string, ChartSeries>;
  add: (label: string, make: () => Omit<ChartSeries, 'label' | 'values'>) => ChartSeries;
} {
  const series = new Map<string, ChartSeries>();
  const add = (label: string, make: () => Omit<ChartSeries, 'label' | 'values'>): ChartSeries => {
    let s = series.get(label);
    if (!s) {
      s = { label, ...make(), values: Array.from({ length }, () => null) };
      series.set(label, s);
    }
    return s;
  };
  return { series, add };
}

/**
 * The figure a chart is drawn into: its spec as inline JSON (`<` escaped, so no text in it can end the script
 * element), drawn by the chart script when the page loads, and a line for pages with scripts turned off.
 */
export function chartFigure(spec: ChartSpec): string {
  const json = JSON.stringify(spec).replace(/</g, '\\u003c');
  const title = escapeHtml(spec.title);
  // With scripts off the figure says what it would show; the tables of the page hold the same figures.
  const fallback = `<noscript><p class="muted">${title}: drawn by the page's script, which is turned off; the tables hold the same figures.</p></noscript>`;
  return `<figure class="chart" data-chart="${escapeHtml(spec.name)}" aria-label="${title}"><script type="application/json">${json}</script>${fallback}</figure>`;
}
