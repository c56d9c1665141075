// Chart libraries for the report and the live page, measured side by side in one run against the report's
// hand-drawn SVG: minified size (as shipped, and gzip), parse + run of the library in the page, and the time to
// draw a 1,000-trial study's two charts (objective by trial with the best-so-far step line; throughput against
// latency with the Pareto front) in Debian Chromium. Command: nice -n 10 npx tsx bench/ui-charts/chart-bench.ts
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chartLibrary } from '../../src/report/chart-library.js';
import { CHART_SCRIPT } from '../../src/report/chart-script.js';
import { progressChart } from '../../src/report/progress-chart.js';
import { REPORT_CSS } from '../../src/report/report-assets.js';
import { buildReportData } from '../../src/report/report-data.js';
import { latencyOf, tradeoffAxis, tradeoffChart } from '../../src/report/tradeoff-chart.js';
import { better, firstObjective } from '../../src/report/trial-view.js';
import { paretoFront } from '../../src/slo/compare-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { syntheticJournal } from '../report/synthetic-journal.js';
import { SVG_MARK_CSS, svgProgressChart, svgTradeoffChart } from './hand-drawn-svg.js';

const ROUNDS = Number(process.env['ROUNDS'] ?? 7);
const TRIALS = 1000;
const require = createRequire(import.meta.url);
// Each package's main file is in its dist folder (their exports maps hide the other files from resolve).
const dist = (name: string) => dirname(require.resolve(name));
const read = (name: string, file: string) => readFileSync(join(dist(name), file), 'utf8');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// The study: 1,000 search trials of the report benchmark's synthetic journal.
const dir = await mkdtemp(join(tmpdir(), 'chart-bench-'));
const journalPath = join(dir, 'study.jsonl');
await writeFile(journalPath, syntheticJournal({ trials: TRIALS, seed: 1 }));
const data = buildReportData(await readJournal(journalPath));

// The same two charts' data for every library: columns aligned on x (null where a series has no point).
const direction = data.directions[0] ?? 'maximize';
const progress = {
  x: [] as number[],
  feasible: [] as Array<number | null>,
  other: [] as Array<number | null>,
  best: [] as Array<number | null>,
};
let best: number | undefined;
for (const t of data.trials) {
  const v = firstObjective(t);
  if (
    t.phase === 'search' &&
    t.feasible &&
    v !== undefined &&
    (best === undefined || better(v, best, direction))
  )
    best = v;
  progress.x.push(t.number);
  progress.feasible.push(v !== undefined && t.feasible ? v : null);
  progress.other.push(v !== undefined && !t.feasible ? v : null);
  progress.best.push(best ?? null);
}
const { metric, stat } = tradeoffAxis(data);
const points = data.trials
  .map((trial) => ({
    trial,
    latency: latencyOf(trial.metrics, metric, stat),
    tput: trial.metrics?.outputTokensPerS,
  }))
  .filter(
    (p): p is { trial: (typeof data.trials)[number]; latency: number; tput: number } =>
      p.latency !== undefined && p.latency > 0 && typeof p.tput === 'number',
  )
  .sort((a, b) => a.latency - b.latency);
const front = new Set(
  paretoFront(
    points.map((p) => ({
      point: p,
      state: 'complete',
      values: [p.latency, -p.tput],
      constraints: p.trial.feasible ? [] : [1],
    })),
  ).map((f) => f.point),
);
const tradeoff = {
  x: points.map((p) => p.latency),
  feasible: points.map((p) => (p.trial.feasible ? p.tput : null)),
  other: points.map((p) => (p.trial.feasible ? null : p.tput)),
  best: points.map((p) => (front.has(p) ? p.tput : null)),
};
const DATA = JSON.stringify({ progress, tradeoff });

interface Candidate {
  name: string;
  version: string;
  licence: string;
  /** What the page loads (minified, as the package ships it). */
  lib: string;
  /** Its style sheet, when it needs one. */
  style?: string;
  /** Only the parts these charts use, bundled and minified by esbuild (undefined: the library has no parts). */
  partial?: string | undefined;
  /** What the page receives per draw when not the bench's common data. @default the common data */
  perDraw?: string;
  /** Browser code: draw(D, el) draws both charts into el. */
  draw: string;
}

const version = (name: string) => (JSON.parse(read(name, '../package.json')) as { version: string }).version;
async function partial(entry: string): Promise<string> {
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

// The report's SVG, as the server writes it today, for all 1,000 points (maxPoints = 1,000).
const svg = `${svgProgressChart(data, TRIALS)}\n${svgTradeoffChart(data, TRIALS)}`;

const candidates: Candidate[] = [
  {
    name: 'hand-drawn SVG (baseline)',
    version: '-',
    licence: '-',
    lib: '',
    style: `${REPORT_CSS}\n${SVG_MARK_CSS}`,
    draw: `(D, el) => { el.innerHTML = ${JSON.stringify(svg)}; }`,
  },
  {
    name: 'uPlot',
    version: version('uplot'),
    licence: 'MIT',
    lib: read('uplot', 'uPlot.iife.min.js'),
    style: read('uplot', 'uPlot.min.css'),
    draw: `(D, el) => {
      const chart = (title, xl, yl, d, log, line) => new uPlot({
        title, width: 560, height: 320, scales: { x: { time: false, distr: log ? 3 : 1 } },
        axes: [{ label: xl }, { label: yl }],
        series: [{}, { label: 'feasible', stroke: '#1a7f37', fill: '#1a7f37', paths: () => null, points: { show: true, size: 5 } },
          { label: 'misses the SLO', stroke: '#cf222e', paths: () => null, points: { show: true, size: 5 } },
          { label: line, stroke: '#0969da', width: 2, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }],
      }, [d.x, d.feasible, d.other, d.best], el);
      chart('Objective by trial', 'trial number', 'objective', D.progress, false, 'best so far');
      chart('Output throughput vs latency', 'latency (ms)', 'output tok/s', D.tradeoff, true, 'Pareto front');
    }`,
  },
  {
    name: 'Chart.js',
    version: version('chart.js'),
    licence: 'MIT',
    lib: read('chart.js', 'chart.umd.min.js'),
    partial:
      await partial(`import { Chart, ScatterController, LineController, PointElement, LineElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip } from 'chart.js';
      Chart.register(ScatterController, LineController, PointElement, LineElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip); window.Chart = Chart;`),
    draw: `(D, el) => {
      const xy = (d, ys) => d.x.map((x, i) => ({ x, y: ys[i] })).filter((p) => p.y !== null);
      const chart = (title, xl, yl, d, log, line) => {
        const canvas = document.createElement('canvas');
        el.appendChild(canvas);
        return new Chart(canvas, {
          type: 'scatter',
          data: { datasets: [
            { label: 'feasible', data: xy(d, d.feasible), backgroundColor: '#1a7f37', pointRadius: 2.5 },
            { label: 'misses the SLO', data: xy(d, d.other), backgroundColor: '#cf222e', pointRadius: 2.5 },
            { label: line, type: 'line', data: xy(d, d.best), borderColor: '#0969da', stepped: 'before', pointRadius: 0 } ] },
          options: { animation: false, responsive: false, devicePixelRatio: 1, parsing: false, normalized: true,
            plugins: { title: { display: true, text: title } },
            scales: { x: { type: log ? 'logarithmic' : 'linear', title: { display: true, text: xl } }, y: { title: { display: true, text: yl } } } },
        });
      };
      for (const c of el.querySelectorAll('canvas')) c.remove();
      chart('Objective by trial', 'trial number', 'objective', D.progress, false, 'best so far').resize(560, 320);
      chart('Output throughput vs latency', 'latency (ms)', 'output tok/s', D.tradeoff, true, 'Pareto front').resize(560, 320);
    }`,
  },
  {
    name: 'Apache ECharts',
    version: version('echarts'),
    licence: 'Apache-2.0',
    lib: read('echarts', 'echarts.min.js'),
    partial:
      await partial(`import * as echarts from 'echarts/core'; import { ScatterChart, LineChart } from 'echarts/charts';
      import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components'; import { CanvasRenderer } from 'echarts/renderers';
      echarts.use([ScatterChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]); window.echarts = echarts;`),
    draw: `(D, el) => {
      const pairs = (d, ys) => d.x.map((x, i) => [x, ys[i]]).filter((p) => p[1] !== null);
      const chart = (title, xl, yl, d, log, line) => {
        const div = document.createElement('div');
        el.appendChild(div);
        echarts.init(div, null, { renderer: 'canvas', width: 560, height: 320, devicePixelRatio: 1 }).setOption({
          animation: false, title: { text: title }, legend: { top: 24 }, tooltip: { trigger: 'item' },
          xAxis: { type: log ? 'log' : 'value', name: xl, nameLocation: 'middle', nameGap: 24 },
          yAxis: { type: 'value', name: yl },
          series: [
            { name: 'feasible', type: 'scatter', symbolSize: 5, data: pairs(d, d.feasible), itemStyle: { color: '#1a7f37' } },
            { name: 'misses the SLO', type: 'scatter', symbolSize: 5, data: pairs(d, d.other), itemStyle: { color: '#cf222e' } },
            { name: line, type: 'line', step: 'end', showSymbol: false, data: pairs(d, d.best), lineStyle: { color: '#0969da' } } ],
        });
      };
      chart('Objective by trial', 'trial number', 'objective', D.progress, false, 'best so far');
      chart('Output throughput vs latency', 'latency (ms)', 'output tok/s', D.tradeoff, true, 'Pareto front');
    }`,
  },
];

// What the report and the dashboard ship: uPlot driven by the project's chart script from the chart specs.
const specs = JSON.stringify([progressChart(data, TRIALS), tradeoffChart(data, TRIALS)]);
candidates.push({
  name: 'uPlot through src/report/chart-script.ts (shipped)',
  version: chartLibrary().version,
  licence: 'MIT',
  lib: `${chartLibrary().script}\n${CHART_SCRIPT}`,
  style: chartLibrary().css,
  draw: `(D, el) => window.autotuneCharts.draw(el, ${specs})`,
  perDraw: specs,
});

// One page per candidate: the library inlined (as the report inlines it), then the charts drawn once; the page
// reports the library's parse + run time, the drawing's script time and the time until the next frame is shown.
const page = (c: Candidate) => `<!doctype html><html><head><meta charset="utf-8">
<style>${c.style ?? ''}</style>
<script>window.t0 = performance.now();</script><script>${c.lib.replace(/<\/script/gi, '<\\/script')}</script>
<script>window.t1 = performance.now();</script></head><body><div id="charts"></div><script>
window.bench = async () => {
  const D = ${DATA};
  const el = document.getElementById('charts');
  const draw = ${c.draw};
  const s = performance.now();
  draw(D, el);
  await Promise.resolve();
  el.getBoundingClientRect();
  const drawn = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return { libMs: window.t1 - window.t0, drawMs: drawn - s, frameMs: performance.now() - s,
    painted: el.querySelectorAll('canvas, svg').length };
};
</script></body></html>`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const results = new Map<string, { lib: number[]; draw: number[]; frame: number[]; painted: number }>();
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, the order turned each round, so that other jobs on the machine hit every candidate alike.
    const order = candidates.map((_, i) => candidates[(i + round) % candidates.length] as Candidate);
    for (const c of order) {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      await tab.setContent(page(c));
      const r = await tab.evaluate<{ libMs: number; drawMs: number; frameMs: number; painted: number }>(
        'window.bench()',
      );
      // SHOTS=<folder> keeps a screenshot of each candidate's charts, to check they draw the same thing.
      const shots = process.env['SHOTS'];
      if (shots && round === 0)
        await tab.screenshot({ path: join(shots, `${c.name.replace(/\W+/g, '-')}.png`), fullPage: true });
      await tab.close();
      if (errors.length > 0) throw new Error(`${c.name}: ${errors.join('; ')}`);
      const entry = results.get(c.name) ?? { lib: [], draw: [], frame: [], painted: r.painted };
      entry.lib.push(r.libMs);
      entry.draw.push(r.drawMs);
      entry.frame.push(r.frameMs);
      results.set(c.name, entry);
    }
  }
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}

const range = (xs: number[]) =>
  `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;
console.log(
  `${TRIALS} search trials, ${ROUNDS} rounds, Chromium ${browser.version()}, Node ${process.version}, ${new Date().toISOString()}`,
);
console.log(
  '| chart code | version | licence | minified as shipped (gzip) | only the parts used (gzip) | data per draw | library parse + run, ms | draw: script + layout, ms | draw to next frame, ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of candidates) {
  const r = results.get(c.name);
  if (!r) continue;
  const shipped = c.lib + (c.lib ? (c.style ?? '') : '');
  const size = (text: string) =>
    text ? `${kib(Buffer.byteLength(text))} (${kib(gzipSync(text).length)})` : '0';
  const perDraw = c.lib === '' ? Buffer.byteLength(svg) : Buffer.byteLength(c.perDraw ?? DATA);
  console.log(
    `| ${c.name} | ${c.version} | ${c.licence} | ${size(shipped)} | ${c.partial === undefined ? (c.lib ? 'the same' : '-') : size(c.partial)} | ${kib(perDraw)} | ${range(r.lib)} | ${range(r.draw)} | ${range(r.frame)} |`,
  );
}
