// The dashboard's server over a real folder of journals: pages, JSON, pushed trials, reports; loopback unless a
// token is given; nothing outside the folder, and no secret of the studies, reaches a client.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { study } from '../../../src/tune/study.js';
import { startUi, type UiServer } from '../../../src/ui/ui-server.js';

const HF_TOKEN = 'hf_dashboardSecretValue0123456789';
const API_KEY = 'sk-dashboard-secret-0123456789abcdef';
let folder: string;
let ui: UiServer;
const seen: string[] = [];

async function get(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  const text = await response.clone().text();
  seen.push(text);
  return response;
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ui-server-'));
  await mkdir(path.join(folder, '.autotune'));
  const running = study(
    {
      name: 'dashboard-study',
      model: 'llama-3.1-8b',
      hfToken: HF_TOKEN,
      env: { API_KEY },
      space: { 'max-num-seqs': [16, 32, 64, 128] },
      budget: { maxTrials: 4 },
      journal: path.join(folder, '.autotune', 'dashboard-study.jsonl'),
    },
    { mode: 'estimate' },
  );
  await running.result;
  ui = await startUi({ folder, port: 0, pollMs: 100 });
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('autotune ui server', () => {
  it('binds loopback by default and lists the folder’s studies with status, progress and best', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(ui.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const studies = (await (await get(`${ui.url}api/studies`)).json()) as Array<Record<string, unknown>>;
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({
      id: '.autotune/dashboard-study.jsonl',
      studyId: 'dashboard-study',
      status: 'finished',
      searchTrials: 4,
      maxTrials: 4,
    });
    expect(studies[0]?.['best']).toMatchObject({ trial: expect.any(Number), objective: expect.any(Number) });
  });

  it('serves the live page, the trials and the report of a study', async () => {
    const id = encodeURIComponent('.autotune/dashboard-study.jsonl');
    expect((await get(`${ui.url}study?journal=${id}`)).status).toBe(200);
    const detail = (await (await get(`${ui.url}api/study?journal=${id}`)).json()) as { trials: unknown[] };
    expect(detail.trials.length).toBeGreaterThanOrEqual(5);
    const report = await get(`${ui.url}report?journal=${id}`);
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('dashboard-study');
    expect((await get(`${ui.url}assets/ui.js`)).headers.get('content-type')).toContain('javascript');
  });

  it.each([
    'journal=..%2F..%2Fetc%2Fpasswd',
    'journal=%2Fetc%2Fpasswd',
    'journal=.autotune%2F..%2F..%2Fx.jsonl',
    'journal=..%2Fui-server.jsonl',
    'journal=.autotune%2Fdashboard-study.json',
    '',
  ])('refuses a journal outside the folder: %s', async (query) => {
    for (const route of ['study', 'api/study', 'report', 'api/events']) {
      const response = await get(`${ui.url}${route}?${query}`);
      expect(response.status, route).toBe(404);
      expect(await response.text()).not.toContain('root:');
    }
    // Paths in the URL itself are not files either.
    expect((await get(`${ui.url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await get(`${ui.url}assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('pushes each trial appended to a journal within 2 s', async () => {
    const source = readFileSync(path.join(folder, '.autotune', 'dashboard-study.jsonl'), 'utf8').split('\n');
    const live = path.join(folder, 'live.jsonl');
    writeFileSync(live, `${source.slice(0, 2).join('\n')}\n`);
    const controller = new AbortController();
    const response = await fetch(`${ui.url}api/events?journal=live.jsonl`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const nextEvent = async (): Promise<{
      trials: Array<{ number: number }>;
      summary: { trials: number };
    }> => {
      while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
      const [event, ...rest] = text.split('\n\n');
      text = rest.join('\n\n');
      seen.push(event as string);
      const data = (event as string).split('\n').find((l) => l.startsWith('data: '));
      return JSON.parse((data as string).slice(6));
    };
    expect((await nextEvent()).trials.map((t) => t.number)).toEqual([0]);
    for (const line of source.slice(2, 4)) {
      const writtenMs = Date.now();
      appendFileSync(live, `${line}\n`);
      const update = await nextEvent();
      expect(Date.now() - writtenMs).toBeLessThan(2_000);
      expect(update.trials).toHaveLength(1);
    }
    controller.abort();
  });

  it('lets no secret of the studies reach a client', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const body of seen) {
      expect(body).not.toContain(HF_TOKEN);
      expect(body).not.toContain(API_KEY);
    }
  });

  it('refuses a non-loopback address without a token; with one, every request must carry it', async () => {
    await expect(startUi({ folder, host: '0.0.0.0', port: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(startUi({ folder, host: '0.0.0.0', port: 0 })).rejects.toThrow(/host.*--token/);
    const token = 'tok-0123456789abcdef';
    await using guarded = await startUi({ folder, host: '0.0.0.0', port: 0, token });
    const local = guarded.url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${local}api/studies`)).status).toBe(401);
    expect(
      (await fetch(`${local}api/studies`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const first = await fetch(`${local}?token=${token}`);
    expect(first.status).toBe(200);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toContain('autotune_ui_token=');
    expect((await fetch(`${local}api/studies`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a folder that does not exist and a port in use', async () => {
    await expect(startUi({ folder: path.join(folder, 'nope'), port: 0 })).rejects.toThrow(
      /Invalid option folder/,
    );
    const port = Number(new URL(ui.url).port);
    await expect(startUi({ folder, port })).rejects.toThrow(/Invalid option port/);
  });
});
