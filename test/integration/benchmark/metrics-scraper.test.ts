// MetricsScraper against a real local HTTP server that answers /metrics well, with 404, with garbage, or never.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsScraper } from '../../../src/benchmark/metrics-scraper.js';

type Mode = 'ok' | '404' | 'garbage' | 'hang';

interface MetricsServer {
  url: string;
  requests: number;
  connections: number;
  open: Set<Socket>;
  close(): Promise<void>;
}

const servers: MetricsServer[] = [];

async function metricsServer(mode: Mode): Promise<MetricsServer> {
  let gauge = 0;
  const open = new Set<Socket>();
  const state = { requests: 0, connections: 0 };
  const server: Server = createServer((_req, res) => {
    state.requests++;
    if (mode === 'hang') return;
    if (mode === '404') return void res.writeHead(404).end('{"detail":"Not Found"}');
    if (mode === 'garbage') return void res.writeHead(200).end('<html>\u0000\u00ff not metrics</html>');
    gauge++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE g gauge\ng ${gauge}\n# TYPE c_total counter\nc_total ${gauge * 10}\n`);
  });
  server.on('connection', (socket) => {
    state.connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: MetricsServer = {
    url: `http://127.0.0.1:${port}/metrics`,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('MetricsScraper', () => {
  it('samples at its interval from start to stop, with a closing reading, on one socket', async () => {
    const server = await metricsServer('ok');
    const scraper = new MetricsScraper({ url: server.url, intervalMs: 50, timeoutMs: 2_000 });
    const before = timers();
    scraper.start();
    await sleep(400);
    await scraper.stop();
    expect(scraper.failures).toBe(0);
    expect(scraper.problem()).toBeUndefined();
    // ~8 readings at 50 ms plus the closing one; a busy machine may manage fewer, never none.
    expect(scraper.samples.length).toBeGreaterThanOrEqual(3);
    expect(scraper.samples.length).toBeLessThanOrEqual(12);
    const values = scraper.samples.map((s) => s.values.get('g'));
    expect(values).toEqual([...values].sort((a, b) => (a ?? 0) - (b ?? 0)));
    // One kept socket. A scrape in flight when stop() comes is cut with its socket and the closing reading opens a
    // second one; on a busy machine a scrape can last long enough for that.
    expect(server.connections).toBeLessThanOrEqual(2);
    expect(server.requests).toBeGreaterThan(server.connections);
    await sleep(50);
    expect(server.open.size).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it.each([
    ['404', 'HTTP 404'],
    ['garbage', 'no Prometheus samples'],
  ] as const)('counts a page that answers %s as failed scrapes and says why once', async (mode, why) => {
    const server = await metricsServer(mode);
    const scraper = new MetricsScraper({ url: server.url, intervalMs: 50 });
    scraper.start();
    await sleep(250);
    await scraper.stop();
    expect(scraper.samples).toEqual([]);
    expect(scraper.failures).toBe(scraper.attempts);
    expect(scraper.failures).toBeGreaterThanOrEqual(2);
    expect(scraper.problem()).toContain(why);
    expect(scraper.problem()).toContain(`${scraper.failures} of ${scraper.attempts} scrapes`);
    await sleep(50);
    expect(server.open.size).toBe(0);
  });

  it('abandons a page that never answers after its timeout, and stop() cuts the one in flight', async () => {
    const server = await metricsServer('hang');
    const before = timers();
    const scraper = new MetricsScraper({ url: server.url, intervalMs: 50, timeoutMs: 150 });
    scraper.start();
    // A scrape in flight when the run ends is cut, not waited for: its 10 s timeout never runs out.
    const patient = new MetricsScraper({ url: server.url, intervalMs: 50, timeoutMs: 10_000 });
    patient.start();
    await sleep(500);
    const started = performance.now();
    await Promise.all([scraper.stop(), patient.stop()]);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Never having answered is a failure even when the run ends before the timeout would.
    expect(patient.samples).toEqual([]);
    expect(patient.problem()).toMatch(/1 of 1 scrapes .* no answer in the \d+ ms before the run ended/);
    expect(scraper.samples).toEqual([]);
    expect(scraper.failures).toBeGreaterThanOrEqual(1);
    expect(scraper.problem()).toContain('no answer within 150 ms');
    await sleep(50);
    expect(server.open.size).toBe(0);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('refuses a URL that is not http(s) and a non-positive interval, naming the option', () => {
    expect(() => new MetricsScraper({ url: 'ftp://x/metrics' })).toThrow(/url/);
    expect(() => new MetricsScraper({ url: 'http://127.0.0.1:1/metrics', intervalMs: 0 })).toThrow(
      /intervalMs/,
    );
  });
});

type SlotsMode = 'ok' | '501' | 'garbage' | 'hang' | 'gauge-on-page';

// A llama-server-shaped pair: /metrics without (or, in `gauge-on-page`, with) a KV gauge, and /slots.
async function slotsServer(mode: SlotsMode) {
  const state = { metrics: 0, slots: 0, connections: 0 };
  const open = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      state.metrics++;
      const kv = mode === 'gauge-on-page' ? 'llamacpp:kv_cache_usage_ratio 0.5\n' : '';
      return void res.end(`llamacpp:requests_processing 1\n${kv}`);
    }
    state.slots++;
    if (mode === 'hang') return;
    if (mode === '501') return void res.writeHead(501).end('{"error":{"code":501}}');
    if (mode === 'garbage') return void res.end('<html>not json');
    const tokens = 100 + state.slots;
    res.end(JSON.stringify([{ id: 0, n_ctx: 512, is_processing: true, n_prompt_tokens: tokens }]));
  });
  server.on('connection', (socket) => {
    state.connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push({
    url: base,
    requests: 0,
    connections: 0,
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  });
  return { base, state, open };
}

const jsonGauge = (base: string) => ({
  url: `${base}/slots`,
  name: '/slots kv',
  read: (body: unknown) => {
    const slot = Array.isArray(body) ? (body[0] as { n_prompt_tokens?: number; n_ctx?: number }) : undefined;
    return slot?.n_prompt_tokens !== undefined && slot.n_ctx ? slot.n_prompt_tokens / slot.n_ctx : undefined;
  },
  unlessOnPage: 'llamacpp:kv_cache_usage_ratio',
});

describe('MetricsScraper with a JSON gauge', () => {
  it('reads the JSON page in the same loop, into the same samples, on the one socket', async () => {
    const { base, state, open } = await slotsServer('ok');
    const scraper = new MetricsScraper({
      url: `${base}/metrics`,
      intervalMs: 50,
      jsonGauge: jsonGauge(base),
    });
    scraper.start();
    await sleep(300);
    await scraper.stop();
    expect(scraper.problem()).toBeUndefined();
    expect(scraper.jsonProblem()).toBeUndefined();
    expect(scraper.jsonGaugeRead).toBe(true);
    expect(scraper.samples.length).toBeGreaterThanOrEqual(2);
    for (const s of scraper.samples) {
      expect(s.values.get('llamacpp:requests_processing')).toBe(1);
      expect(s.values.get('/slots kv')).toBeGreaterThan(100 / 512);
    }
    expect(state.slots).toBe(state.metrics);
    // One kept socket; a read in flight when stop() comes is cut with its socket, and the closing reading opens
    // a second one (on a busy machine a read can last long enough for that).
    expect(state.connections).toBeLessThanOrEqual(2);
    expect(state.slots).toBeGreaterThan(state.connections);
    await sleep(50);
    expect(open.size).toBe(0);
  });

  it('never asks the JSON page when the Prometheus page holds the gauge itself', async () => {
    const { base, state } = await slotsServer('gauge-on-page');
    const scraper = new MetricsScraper({
      url: `${base}/metrics`,
      intervalMs: 50,
      jsonGauge: jsonGauge(base),
    });
    scraper.start();
    await sleep(200);
    await scraper.stop();
    expect(state.metrics).toBeGreaterThanOrEqual(2);
    expect(state.slots).toBe(0);
    expect(scraper.jsonGaugeRead).toBe(false);
    expect(scraper.jsonProblem()).toBeUndefined();
  });

  it('asks a page the server does not serve (501, --no-slots) once, says so once, keeps the metrics', async () => {
    const { base, state } = await slotsServer('501');
    const scraper = new MetricsScraper({
      url: `${base}/metrics`,
      intervalMs: 50,
      jsonGauge: jsonGauge(base),
    });
    scraper.start();
    await sleep(250);
    await scraper.stop();
    expect(state.slots).toBe(1);
    expect(scraper.jsonProblem()).toMatch(/^1 of 1 reads of http:\S+\/slots failed \(first: HTTP 501\)$/);
    expect(scraper.problem()).toBeUndefined();
    expect(scraper.samples.length).toBeGreaterThanOrEqual(2);
    expect(scraper.samples.every((s) => !s.values.has('/slots kv'))).toBe(true);
  });

  it.each([
    ['garbage', /the answer is not JSON/, 2_000],
    ['hang', /no answer within 1000 ms/, 1_000],
  ] as const)(
    'counts a JSON page that answers %s as failed reads; the metrics go on',
    async (mode, why, timeoutMs) => {
      const { base, open } = await slotsServer(mode);
      const before = timers();
      const scraper = new MetricsScraper({
        url: `${base}/metrics`,
        intervalMs: 50,
        timeoutMs,
        jsonGauge: jsonGauge(base),
      });
      scraper.start();
      // Long enough for one read to time out; a timeout wide enough that the metrics page never meets it.
      await sleep(1_500);
      await scraper.stop();
      expect(scraper.jsonProblem()).toMatch(why);
      expect(scraper.jsonGaugeRead).toBe(false);
      expect(scraper.problem()).toBeUndefined();
      expect(scraper.samples.length).toBeGreaterThanOrEqual(1);
      await sleep(50);
      expect(open.size).toBe(0);
      expect(timers()).toBeLessThanOrEqual(before);
    },
  );

  it('refuses a JSON page on another server, naming the option', () => {
    expect(
      () =>
        new MetricsScraper({
          url: 'http://127.0.0.1:1/metrics',
          jsonGauge: { url: 'http://127.0.0.1:2/slots', name: 'x', read: () => 0 },
        }),
    ).toThrow(/jsonGauge\.url/);
  });
});
