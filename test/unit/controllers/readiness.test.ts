import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExitInfo, waitForReady } from '../../../src/controllers/readiness.js';
import {
  compositeWait,
  httpWait,
  logLineWait,
  strategyFromSpec,
} from '../../../src/controllers/wait-strategies.js';
import { ReadinessTimeoutError, ServerExitedError } from '../../../src/errors.js';
import { ManualClock } from '../../../src/util/clock.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real HTTP server whose /health turns 200 after `readyAfter` requests (503 before). */
async function server(readyAfter: number): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const s = http.createServer((req, res) => {
    hits += 1;
    if (req.url === '/v1/models') return void res.writeHead(200).end('{}');
    res.writeHead(hits > readyAfter ? 200 : 503).end();
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, hits: () => hits };
}

const never = new Promise<ExitInfo>(() => {});

describe('waitForReady', () => {
  it('times out when its clock passes the budget, however little real time went by', async () => {
    const { url, hits } = await server(Number.POSITIVE_INFINITY);
    const clock = new ManualClock();
    const waiting = waitForReady({
      strategy: httpWait('/health'),
      baseUrl: url,
      exited: never,
      logs: () => 'still loading',
      timeoutMs: 600_000,
      clock,
    });
    const outcome = waiting.then(
      () => 'ready',
      (error: unknown) => error,
    );
    // Probes go on in real time while the clock stands still; then ten minutes pass at once.
    while (hits() < 2) await new Promise((r) => setTimeout(r, 10));
    expect(clock.pendingSleeps).toBe(1);
    clock.advance(600_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(ReadinessTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 600_000, logTail: 'still loading' });
    expect(clock.pendingSleeps).toBe(0);
  });

  it.each([
    ['ready at once', 0, 1],
    ['ready after 3 failures', 3, 4],
  ])('%s', async (_name, readyAfter, probes) => {
    const { url } = await server(readyAfter);
    const info = await waitForReady({
      strategy: strategyFromSpec({ path: '/health', alsoPaths: ['/v1/models'] }),
      baseUrl: url,
      exited: never,
      logs: () => '',
      timeoutMs: 10_000,
    });
    expect(info.probes).toBe(probes);
  });

  it('fails at once with exit code and log tail when the server exits', async () => {
    let exit!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => {
      exit = r;
    });
    const started = performance.now();
    setTimeout(() => exit({ exitCode: 3, signal: null }), 100);
    const error = await waitForReady({
      strategy: httpWait('/health'),
      baseUrl: 'http://127.0.0.1:9',
      exited,
      logs: () => 'line 1\nfatal: bad thing',
      timeoutMs: 60_000,
      maxIntervalMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerExitedError);
    expect(error).toMatchObject({ exitCode: 3, logTail: 'line 1\nfatal: bad thing' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reports the exit, not an internal abort, when a probe rejects because the server exited', async () => {
    let exit!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => {
      exit = r;
    });
    // A probe that hangs until its signal aborts, then rejects with the signal's reason (as fetch does).
    const hanging = {
      description: 'a probe that hangs',
      check: (context: { signal: AbortSignal }) =>
        new Promise<never>((_, reject) => {
          context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
        }),
    };
    setTimeout(() => exit({ exitCode: 4, signal: null }), 50);
    const error = await waitForReady({
      strategy: hanging,
      baseUrl: 'http://127.0.0.1:9',
      exited,
      logs: () => 'boom',
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerExitedError);
    expect(error).toMatchObject({ exitCode: 4, logTail: 'boom' });
  });

  it('throws the error an exit carries (e.g. an unschedulable pod)', async () => {
    const custom = new Error('Unschedulable');
    const error = await waitForReady({
      strategy: httpWait('/health'),
      baseUrl: 'http://127.0.0.1:9',
      exited: Promise.resolve({ exitCode: null, signal: null, error: custom }),
      logs: () => '',
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toBe(custom);
  });

  it('times out with timeoutMs, the last probe and the log tail', async () => {
    const { url } = await server(1_000_000);
    const error = await waitForReady({
      strategy: httpWait('/health'),
      baseUrl: url,
      exited: never,
      logs: () => 'loading',
      // Long enough for a first probe to come back on a busy machine (the message names its answer).
      timeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadinessTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 2_000, logTail: 'loading' });
    expect((error as Error).message).toContain('GET /health -> 503');
  });

  it('rethrows the abort reason unchanged', async () => {
    const { url } = await server(1_000_000);
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 100);
    await expect(
      waitForReady({
        strategy: httpWait('/health'),
        baseUrl: url,
        exited: never,
        logs: () => '',
        timeoutMs: 60_000,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });

  it('backs off from the initial interval up to the cap', async () => {
    const { url, hits } = await server(1_000_000);
    await waitForReady({
      strategy: httpWait('/health'),
      baseUrl: url,
      exited: never,
      logs: () => '',
      timeoutMs: 1_000,
      initialIntervalMs: 50,
      maxIntervalMs: 200,
    }).catch(() => undefined);
    // 0, 50, 125, 237, 437, 637, 837 ms: about 7 probes; a fixed 5 s loop would make 1.
    expect(hits()).toBeGreaterThanOrEqual(3);
    expect(hits()).toBeLessThanOrEqual(12);
  });
});

describe('wait strategies', () => {
  it.each([
    [
      'log line present',
      logLineWait(/Uvicorn running/),
      'x\nINFO: Uvicorn running on http://0.0.0.0:8000',
      true,
    ],
    ['log line absent', logLineWait(/Uvicorn running/), 'x\nloading', false],
    ['log line twice needed', logLineWait(/ready/, 2), 'ready\nready', true],
  ])('%s', async (_name, strategy, logs, ready) => {
    const result = await strategy.check({
      baseUrl: '',
      logs: () => logs,
      signal: new AbortController().signal,
    });
    expect(result.ready).toBe(ready);
  });

  it('composite needs every member and accepts chosen status codes', async () => {
    const { url } = await server(1_000_000);
    const signal = new AbortController().signal;
    const okOn503 = compositeWait([httpWait('/health', { statusCodes: [503] }), httpWait('v1/models')]);
    expect((await okOn503.check({ baseUrl: url, logs: () => '', signal })).ready).toBe(true);
    const strict = compositeWait([httpWait('/v1/models'), httpWait('/health')]);
    const result = await strict.check({ baseUrl: url, logs: () => '', signal });
    expect(result).toEqual({ ready: false, detail: 'GET /v1/models -> 200; GET /health -> 503' });
  });
});

describe('waitForReady woken by log lines', () => {
  it('probes at once when the server prints a line instead of waiting out a long delay', async () => {
    let ready = false;
    const s = http.createServer((_req, res) => res.writeHead(ready ? 200 : 503).end());
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const listeners = new Set<() => void>();
    setTimeout(() => {
      ready = true;
      for (const listener of listeners) listener();
    }, 300);
    const started = performance.now();
    await waitForReady({
      strategy: httpWait('/health'),
      baseUrl: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
      exited: never,
      logs: () => '',
      timeoutMs: 30_000,
      initialIntervalMs: 10_000,
      maxIntervalMs: 10_000,
      wake: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(listeners.size).toBe(0);
  });
});
