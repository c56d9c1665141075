// Chart: horizontal bars of parameter importance, with the method named in the title.

import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import type { ParamImportance } from './param-importance.js';
import { createPlot, px } from './svg-plot.js';

/** Renders the importance bars as an SVG string (most important on top). */
export function importanceChart(importances: readonly ParamImportance[]): string {
  const shown = importances.slice(0, 16);
  const plot = createPlot({
    name: 'importance',
    title: 'Parameter importance (epsilon squared, main effects)',
    x: {
      label: 'share of objective variance explained',
      domain: [0, Math.max(0.05, ...shown.map((i) => i.importance)) * 1.08],
    },
    y: { label: '', categories: shown.map((i) => i.name).reverse() },
    height: Math.max(140, 70 + shown.length * 22),
    marginLeft: 150,
  });
  const band = (plot.box.bottom - plot.box.top) / Math.max(1, shown.length);
  for (const item of shown) {
    const y = plot.y(item.name) - band * 0.35;
    const width = plot.x(item.importance) - plot.box.left;
    plot.marks.push(
      `<rect class="mark bar" x="${plot.box.left}" y="${px(y)}" width="${px(Math.max(1, width))}" height="${px(band * 0.7)}"><title>${escapeHtml(`${item.name}: ${formatNumber(item.importance)} (${item.groups} groups)`)}</title></rect>`,
    );
  }
  return plot.render();
}
