// Acceptance: a report rendered from the journal of a real simulated study opens in headless Chromium
// without console errors or network requests, every chart draws, the table sorts, and a screenshot is kept.
// The journal is a committed fixture (test/support/generate-simulated-study.ts wrote it): a study run here
// measures live, and on a busy machine its trials can be pruned until a chart has nothing to draw.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/index.js';
import { externalReferences, wellFormednessProblems } from '../unit/report/html-checks.js';
import { HeadlessPage } from './report-cdp.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env['CI'] === 'true';
const artifacts = join(import.meta.dirname, '..', 'artifacts');
const FIXTURE = fileURLToPath(new URL('../fixtures/journals/simulated-study.jsonl', import.meta.url));

let dir: string;
let reportPath: string;
let html: string;

// Skipped on a developer machine without Chromium; in CI a missing browser is a failure.
describe.skipIf(!available && !required)('HTML report in headless Chromium', () => {
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing: run .ci/setup.d/20-chromium.sh`);
    dir = await mkdtemp(join(tmpdir(), 'report-e2e-'));
    const written = await writeReport(FIXTURE, { out: join(dir, 'report.html') });
    reportPath = written.path;
    html = await readFile(reportPath, 'utf8');
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is well-formed and references nothing outside the file', () => {
    expect(wellFormednessProblems(html)).toEqual([]);
    expect(externalReferences(html)).toEqual([]);
  });

  it('renders without console errors or requests, draws every chart and sorts the table', async () => {
    await using page = await HeadlessPage.launch(CHROMIUM);
    const errors: string[] = [];
    const requests: string[] = [];
    page.onEvent((method, params) => {
      if (method === 'Runtime.exceptionThrown') errors.push(JSON.stringify(params['exceptionDetails']));
      if (
        method === 'Runtime.consoleAPICalled' &&
        ['error', 'assert', 'warning'].includes(String(params['type']))
      ) {
        errors.push(JSON.stringify(params['args']));
      }
      if (method === 'Log.entryAdded') {
        const entry = params['entry'] as { level: string; text: string };
        if (entry.level === 'error' || entry.level === 'warning') errors.push(entry.text);
      }
      if (method === 'Network.requestWillBeSent')
        requests.push(String((params['request'] as { url: string }).url));
    });
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Log.enable');
    await page.send('Network.enable');
    const loaded = page.waitFor('Page.loadEventFired');
    await page.send('Page.navigate', { url: pathToFileURL(reportPath).href });
    await loaded;

    // The chart drawn as SVG by the report itself (horizontal bars).
    const charts = await page.evaluate<Array<{ name: string; marks: number; drawn: number; width: number }>>(`
      Array.from(document.querySelectorAll('svg[data-chart]')).map((svg) => {
        const marks = Array.from(svg.querySelectorAll('.mark'));
        const drawn = marks.filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
        return { name: svg.dataset.chart, marks: marks.length, drawn, width: svg.getBoundingClientRect().width };
      })`);
    expect(charts.map((c) => c.name)).toEqual(['importance']);
    for (const chart of charts) {
      expect(chart.width, chart.name).toBeGreaterThan(100);
      expect(chart.drawn, chart.name).toBeGreaterThan(0);
    }
    // The charts the chart library draws: coloured marks on the canvas, the legend, the trial under the pointer.
    const figures = () =>
      page.evaluate<
        Array<{ name: string; width: number; colored: number; legend: string[]; tip: string; box: number[] }>
      >(`
      Array.from(document.querySelectorAll('figure.chart')).map((figure) => {
        const canvas = figure.querySelector('canvas');
        // Read through a copy: reading the chart's own canvas back makes Chromium warn.
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const context = copy.getContext('2d', { willReadFrequently: true });
        context.drawImage(canvas, 0, 0);
        const { data } = context.getImageData(0, 0, copy.width, copy.height);
        let colored = 0;
        for (let i = 0; i < data.length; i += 4) {
          const hi = Math.max(data[i], data[i + 1], data[i + 2]);
          const lo = Math.min(data[i], data[i + 1], data[i + 2]);
          if (data[i + 3] > 200 && hi - lo > 60) colored++;
        }
        const r = figure.querySelector('.u-over').getBoundingClientRect();
        return {
          name: figure.dataset.chart,
          width: canvas.getBoundingClientRect().width,
          colored,
          legend: Array.from(figure.querySelectorAll('.u-legend .u-label')).map((l) => l.textContent),
          tip: figure.querySelector('.chart-tip').textContent,
          box: [r.left, r.top, r.width, r.height],
        };
      })`);
    const drawn = await figures();
    expect(drawn.map((f) => f.name).slice(0, 2)).toEqual(['progress', 'tradeoff']);
    expect(new Set(drawn.map((f) => f.name))).toEqual(new Set(['progress', 'tradeoff', 'effect', 'latency']));
    expect(drawn.filter((f) => f.name === 'latency')).toHaveLength(3);
    for (const figure of drawn) {
      expect(figure.width, figure.name).toBeGreaterThan(250);
      expect(figure.colored, figure.name).toBeGreaterThan(100);
      expect(figure.legend.length, figure.name).toBeGreaterThan(0);
      expect(figure.tip, figure.name).toBe('Point at a mark to see its trial.');
    }
    expect(drawn[0]?.legend).toContain('feasible');
    expect(drawn[0]?.legend).toContain('best so far');
    expect(drawn[1]?.legend).toContain('Pareto front');
    const [left, top, width, height] = drawn[0]?.box ?? [];
    await page.send('Input.dispatchMouseEvent', {
      type: 'mouseMoved',
      x: (left as number) + (width as number) / 2,
      y: (top as number) + (height as number) / 2,
    });
    expect((await figures())[0]?.tip).toMatch(/^#\d+/);

    const sorted = await page.evaluate<{ ascending: number[]; descending: number[] }>(`(() => {
      const table = document.getElementById('trials-table');
      const index = Array.from(table.tHead.rows[0].cells).findIndex((th) => th.textContent === 'output tok/s');
      const column = () => Array.from(table.tBodies[0].rows)
        .map((row) => row.cells[index].getAttribute('data-v'))
        .filter((v) => v !== '').map(Number);
      table.tHead.rows[0].cells[index].click();
      const ascending = column();
      table.tHead.rows[0].cells[index].click();
      return { ascending, descending: column() };
    })()`);
    expect(sorted.ascending.length).toBeGreaterThan(2);
    expect(sorted.ascending).toEqual([...sorted.ascending].sort((a, b) => a - b));
    expect(sorted.descending).toEqual([...sorted.ascending].reverse());

    // The clipboard answers asynchronously: take the button's first new label, however long a busy machine
    // makes it wait (the label goes back to 'Copy' 1.5 s later).
    const copied = await page.evaluate<string>(`(() => {
      const button = document.querySelector('button.copy[data-copy="export-dockerRun"]');
      const changed = new Promise((resolve) => {
        new MutationObserver(() => resolve(button.textContent)).observe(button, { childList: true, characterData: true, subtree: true });
        setTimeout(() => resolve(button.textContent), 20000);
      });
      button.click();
      return changed;
    })()`);
    expect(['Copied', 'Select and copy']).toContain(copied);

    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    await mkdir(artifacts, { recursive: true });
    await writeFile(join(artifacts, 'report-screenshot.png'), png);
    await writeFile(join(artifacts, 'report.html'), html);

    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
  }, 90_000);
});
