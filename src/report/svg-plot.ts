// A minimal SVG plotting kit (the importance bars; the other charts are drawn by the chart library): scales, nice
// ticks, axes and a frame that charts draw their marks into; also the domains every chart uses.

import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';

/** One axis: a numeric domain, or categories drawn as evenly spaced bands. */
export interface AxisSpec {
  label: string;
  domain?: [number, number];
  categories?: readonly string[];
  /** Draw no tick labels on this axis. @default false */
  hideTicks?: boolean;
  /** Logarithmic scale (positive domain only). @default false */
  log?: boolean;
}

/** A plot under construction: map data to pixels with `x` / `y`, push SVG into `marks`. */
export interface Plot {
  x(value: number | string): number;
  y(value: number | string): number;
  /** Inner plotting box in pixels. */
  box: { left: number; right: number; top: number; bottom: number };
  marks: string[];
  render(): string;
}

/** Options of createPlot. */
export interface PlotOptions {
  /** Stable name, also the `data-chart` attribute the browser test looks for. */
  name: string;
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  /** @default 560 */
  width?: number;
  /** @default 300 */
  height?: number;
  /** Left margin for long tick labels. @default 56 */
  marginLeft?: number;
  /** Rows reserved above the plot for the legend. @default 1 */
  legendRows?: number;
}

/** Rounds a pixel coordinate to one decimal (keeps the file small). */
export const px = (value: number): string => String(Math.round(value * 10) / 10);

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

/** A padded numeric domain around values (a flat series gets a band around its value). */
export function paddedDomain(values: readonly number[], padShare = 0.06): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return [min - pad, max + pad];
  }
  const pad = (max - min) * padShare;
  min -= pad;
  max += pad;
  return [min, max];
}

/**
 * A domain from zero for quantities whose size matters (throughput, goodput): starting the axis near the data
 * would make a 2 % difference look like a doubling. Values below zero fall back to a padded domain.
 */
export function zeroBasedDomain(values: readonly number[], padShare = 0.06): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  if (Math.min(...finite) < 0) return paddedDomain(finite, padShare);
  const max = Math.max(...finite);
  return [0, max > 0 ? max * (1 + padShare) : 1];
}

function axisMapper(axis: AxisSpec, from: number, to: number): (value: number | string) => number {
  if (axis.categories) {
    const cats = axis.categories;
    const band = (to - from) / Math.max(1, cats.length);
    return (value) => {
      const index = typeof value === 'number' ? value : cats.indexOf(value);
      return from + band * (Math.max(0, index) + 0.5);
    };
  }
  const [d0, d1] = axis.domain ?? [0, 1];
  if (axis.log) {
    const l0 = Math.log10(d0);
    const lspan = Math.log10(d1) - l0 || 1;
    return (value) => from + ((Math.log10(Math.max(Number(value), d0 / 10)) - l0) / lspan) * (to - from);
  }
  const span = d1 - d0 || 1;
  return (value) => from + ((Number(value) - d0) / span) * (to - from);
}

/** Round ticks of a logarithmic axis: 1, 2 and 5 times powers of ten inside [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

/** A log-scale domain around positive values, padded by a factor. */
export function logDomain(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return [1, 10];
  return [Math.min(...positive) / 1.25, Math.max(...positive) * 1.25];
}

function axisTicks(axis: AxisSpec): Array<{ value: number | string; label: string }> {
  if (axis.hideTicks) return [];
  if (axis.categories) return axis.categories.map((c) => ({ value: c, label: c }));
  const [d0, d1] = axis.domain ?? [0, 1];
  if (axis.log) return logTicks(d0, d1).map((v) => ({ value: v, label: formatNumber(v) }));
  return niceTicks(d0, d1).map((v) => ({ value: v, label: formatNumber(v) }));
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Creates an empty plot with axes, grid lines and labels. */
export function createPlot(options: PlotOptions): Plot {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const box = {
    left: options.marginLeft ?? 56,
    right: width - 14,
    top: 30 + 12 * (options.legendRows ?? 1),
    bottom: height - 42,
  };
  const tickChars = Math.max(6, Math.floor(box.left / 6.2));
  const x = axisMapper(options.x, box.left, box.right);
  const y = axisMapper(options.y, box.bottom, box.top);
  const marks: string[] = [];
  const render = () => {
    const grid: string[] = [];
    for (const t of axisTicks(options.x)) {
      const p = px(x(t.value));
      grid.push(`<line class="grid" x1="${p}" x2="${p}" y1="${box.top}" y2="${box.bottom}"/>`);
      grid.push(
        `<text class="tick" x="${p}" y="${box.bottom + 14}" text-anchor="middle">${escapeHtml(clip(t.label, 14))}</text>`,
      );
    }
    for (const t of axisTicks(options.y)) {
      const p = px(y(t.value));
      grid.push(`<line class="grid" x1="${box.left}" x2="${box.right}" y1="${p}" y2="${p}"/>`);
      grid.push(
        `<text class="tick" x="${box.left - 5}" y="${p}" dy="3" text-anchor="end">${escapeHtml(clip(t.label, tickChars))}</text>`,
      );
    }
    const title = escapeHtml(options.title);
    return [
      `<svg class="chart" data-chart="${escapeHtml(options.name)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}">`,
      `<title>${title}</title>`,
      `<text class="chart-title" x="${box.left}" y="16">${title}</text>`,
      ...grid,
      `<rect class="frame" x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/>`,
      `<text class="axis-label" x="${px((box.left + box.right) / 2)}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.x.label)}</text>`,
      `<text class="axis-label" transform="translate(12 ${px((box.top + box.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(options.y.label)}</text>`,
      ...marks,
      '</svg>',
    ].join('\n');
  };
  return { x, y, box, marks, render };
}
