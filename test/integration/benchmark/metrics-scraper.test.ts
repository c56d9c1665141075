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
    expect(server.connections).toBe(1);
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
