// Acceptance: `autotune ui` on an empty folder in headless Chromium (playwright-core) while `autotune run` writes a
// simulated study into it: the study shows up in the list, its page shows each trial within 2 s of its journal
// line, the finished study's report opens, and no page loads anything from another origin.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env['CI'] === 'true';
const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const artifacts = join(root, 'test', 'artifacts');
let folder: string;
const folders: string[] = [];
let browser: Browser | undefined;
const children: ChildProcess[] = [];

function autotune(...args: string[]): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args], {
    cwd: folder,
    env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, output: () => output, exit };
}

const studyYaml = [
  'name: browser-study',
  'model: llama-3.1-8b',
  'sim: { gpu: a100-40gb, timeScale: 10 }',
  'fixedParams: { max-model-len: 4096 }',
  'space: { max-num-seqs: [16, 32, 64, 128] }',
  'workload: { kind: synthetic, inputTokens: 128, outputTokens: 32 }',
  'load: { kind: concurrency, levels: [16] }',
  'benchmark: { requests: 200, warmupRequests: 2 }',
  'budget: { maxTrials: 4 }',
  'confirm: { top: 0, repeats: 0 }',
  'controller: { kind: local, stateDir: state }',
  '',
].join('\n');

// Starts `autotune ui` in the folder and waits for the address it prints.
async function startUiChild(): Promise<{ url: string; ui: ReturnType<typeof autotune> }> {
  const ui = autotune('ui', '.', '--port', '0');
  let url: string | undefined;
  while (url === undefined) {
    url = ui.output().match(/at (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
    if (url === undefined) await new Promise((r) => setTimeout(r, 100));
    if (ui.child.exitCode !== null) throw new Error(`autotune ui exited: ${ui.output()}`);
  }
  return { url, ui };
}

// A page that records every request, every error, and when each trial row first appeared (window.rowTimes).
async function recordingPage(): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript(`
    window.rowTimes = {};
    new MutationObserver(() => {
      for (const row of document.querySelectorAll('tr[id^="trial-"]')) window.rowTimes[row.id] ??= Date.now();
    }).observe(document, { childList: true, subtree: true });
  `);
  return { page, requests, errors };
}

describe.skipIf(!available && !required)('autotune ui in headless Chromium', () => {
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of folders) {
      await new LocalController({ stateDir: join(dir, 'state') }).cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('follows a study written by autotune run, trial by trial, then opens its report', async () => {
    folder = await mkdtemp(join(tmpdir(), 'ui-browser-cli-'));
    folders.push(folder);
    await writeFile(join(folder, 'study.yaml'), studyYaml);
    const { url, ui } = await startUiChild();
    const { page, requests, errors } = await recordingPage();
    await page.goto(url);
    await page.locator('#empty').waitFor({ state: 'visible' });

    const run = autotune('run', 'study.yaml');
    const link = page.locator('#studies a', { hasText: 'browser-study' });
    await link.waitFor({ timeout: 120_000 });
    await link.click();
    const openedMs = Date.now();
    await page.locator('#status.finished').waitFor({ timeout: 300_000 });
    expect(await run.exit, run.output()).toBe(0);

    const { entries } = await readJournal(join(folder, '.autotune', 'browser-study.jsonl'));
    const trials = journalTrials(entries);
    const rowTimes = (await page.evaluate('window.rowTimes')) as Record<string, number>;
    expect(Object.keys(rowTimes).sort()).toEqual(trials.map((t) => `trial-${t.number}`).sort());
    // Trials journaled while the page was open: each row within 2 s of its journal line.
    const live = trials.filter((t) => Date.parse(t.finishedAt) > openedMs);
    expect(live.length).toBeGreaterThanOrEqual(2);
    for (const trial of live) {
      expect(rowTimes[`trial-${trial.number}`] as number).toBeLessThan(Date.parse(trial.finishedAt) + 2_000);
    }
    // The report's best-so-far and trade-off charts, drawn live by the report's chart script.
    const charts = page.locator('#charts figure.chart');
    expect([
      await charts.nth(0).getAttribute('data-chart'),
      await charts.nth(1).getAttribute('data-chart'),
    ]).toEqual(['progress', 'tradeoff']);
    expect(await charts.locator('canvas').count()).toBe(2);
    await expect.poll(() => charts.first().locator('.u-legend').textContent()).toContain('best so far');
    expect(Number(await charts.first().getAttribute('data-points'))).toBeGreaterThanOrEqual(live.length);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'ui-study.png'), fullPage: true });

    await page.locator('#report').click();
    await page.waitForURL(/\/report\?journal=/);
    expect(await page.title()).toContain('browser-study');

    const origin = new URL(url).origin;
    expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
    expect(errors).toEqual([]);

    ui.child.kill('SIGINT');
    expect(await ui.exit).toBe(0);
  }, 600_000);

  it('runs examples/study.yaml submitted from the page: live trials, stop, resume, report, comparison', async () => {
    folder = await mkdtemp(join(tmpdir(), 'ui-browser-submit-'));
    folders.push(folder);
    const { url, ui } = await startUiChild();
    const { page, requests, errors } = await recordingPage();
    await page.goto(url);
    await page.locator('#empty').waitFor({ state: 'visible' });
    const example = await readFile(join(root, 'examples', 'study.yaml'), 'utf8');
    await page.locator('#submit-text').fill(example);
    await page.locator('#submit button').click();
    await page.waitForURL(/\/study\?journal=\.autotune%2Fexample-study\.jsonl/);
    await page.locator('#stop').waitFor({ state: 'visible', timeout: 60_000 });
    // A trial that holds its GPUs shows up before its journal line, with its GPUs and whether its server is up.
    await page.locator('#live tbody tr').first().waitFor({ timeout: 120_000 });
    expect(await page.locator('#live tbody tr td').nth(2).textContent()).toMatch(/^\d+(,\d+)*$/);
    await page.locator('tr[id^="trial-"]').first().waitFor({ timeout: 300_000 });
    await page.locator('#stop').click();
    await page.locator('#run-state', { hasText: 'stopped' }).waitFor({ timeout: 120_000 });
    const journal = join(folder, '.autotune', 'example-study.jsonl');
    const stoppedAt = journalTrials((await readJournal(journal)).entries).length;
    expect((await readJournal(journal)).entries.some((e) => e.type === 'result')).toBe(false);
    await page.locator('#resume').click();
    await page.locator('#status.finished').waitFor({ timeout: 500_000 });

    const trials = journalTrials((await readJournal(journal)).entries);
    expect(trials.length).toBeGreaterThan(stoppedAt);
    const rowTimes = (await page.evaluate('window.rowTimes')) as Record<string, number>;
    for (const trial of trials) {
      expect(rowTimes[`trial-${trial.number}`], `trial ${trial.number}`).toBeLessThan(
        Date.parse(trial.finishedAt) + 2_000,
      );
    }
    await page.locator('#report').click();
    await page.waitForURL(/\/report\?journal=/);
    expect(await page.title()).toContain('example-study');

    // A second study, submitted through the API the page uses, then both compared from the list page.
    const second = example
      .replace('name: example-study', 'name: example-again')
      .replace('maxTrials: 8', 'maxTrials: 2');
    await page.goto(url);
    await page.locator('#submit-text').fill(second);
    await page.locator('#submit button').click();
    await page.locator('#status.finished').waitFor({ timeout: 300_000 });
    await page.goto(url);
    await page.locator('#compare-a option', { hasText: 'example-again' }).waitFor({ state: 'attached' });
    await page.locator('#compare-a').selectOption('.autotune/example-study.jsonl');
    await page.locator('#compare-b').selectOption('.autotune/example-again.jsonl');
    await page.locator('#compare button').click();
    await page.locator('#comparison').waitFor();
    const table = (await page.locator('#comparison').textContent()) ?? '';
    expect(table).toContain('example-study');
    expect(table).toContain('example-again');
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'ui-compare.png'), fullPage: true });

    const origin = new URL(url).origin;
    expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
    expect(errors).toEqual([]);
    ui.child.kill('SIGINT');
    expect(await ui.exit).toBe(0);
  }, 900_000);
});
