import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { streamRequest } from '../../../src/benchmark/stream-request.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { type Script, type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const workload = syntheticWorkload({ inputTokens: 8, outputTokens: 4 });
const ok: Script = { kind: 'stream', ttftMs: 2, gapMs: 2, tokens: 4 };

/** A port that was just free and is now closed: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resource kinds that would keep the process alive after a run. */
function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((k) => k === 'TCPSocketWrap' || k === 'Timeout');
}

describe('failed requests are records, and the run goes on', () => {
  it.each([
    [
      'HTTP 500',
      { kind: 'status', status: 500, body: '{"error":"overloaded"}' } as Script,
      /^HTTP 500: .*overloaded/,
      500,
    ],
    [
      'malformed SSE',
      { ...ok, failure: { kind: 'malformed', afterTokens: 2 } } as Script,
      /^malformed SSE data/,
      200,
    ],
    [
      'mid-stream disconnect',
      { ...ok, failure: { kind: 'disconnect', afterTokens: 2 } } as Script,
      /connection closed mid-stream|ended before/,
      200,
    ],
    [
      'error event in the stream',
      { ...ok, failure: { kind: 'error-event', afterTokens: 1 } } as Script,
      /server error in stream: scripted/,
      200,
    ],
    [
      'a never-ending stream (timeout)',
      { ...ok, failure: { kind: 'hang', afterTokens: 1 } } as Script,
      /^timed out after 300 ms$/,
      200,
    ],
  ])('%s', async (_name, failing, message, httpStatus) => {
    // Every other request fails; the successful ones are measured normally.
    server = await startScriptedServer((_b, i) => (i % 2 === 1 ? failing : ok));
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'concurrency', concurrency: 1 },
      stop: { maxRequests: 4 },
      timeoutMs: 300,
    });
    expect(result.counts).toEqual({ ok: 2, error: 2, canceled: 0, warmup: 0 });
    const failed = result.records.filter((r) => r.status === 'error');
    for (const r of failed) {
      expect(r.error).toMatch(message);
      expect(r.httpStatus).toBe(httpStatus);
      expect(r.endMs).toBeGreaterThanOrEqual(r.sentMs);
    }
    expect(result.metrics.errorRate).toBe(0.5);
    expect(result.metrics.ttftMs.mean).toBeDefined();
    expect(result.errorSamples[0]?.count).toBe(2);
  });

  it('records connection refused', async () => {
    const port = await closedPort();
    const result = await runBenchmark({
      endpoint: `http://127.0.0.1:${port}/v1`,
      model: 'm',
      workload,
      load: { kind: 'rate', ratePerS: 100, arrival: 'constant' },
      stop: { maxRequests: 3 },
    });
    expect(result.counts.error).toBe(3);
    expect(result.records[0]?.error).toMatch(/ECONNREFUSED/);
    expect(result.metrics.errorRate).toBe(1);
    expect(result.metrics.ttftMs.p99).toBeUndefined();
    expect(result.metrics.requestsPerS).toBe(0);
  });
});

describe('keep-alive', () => {
  it('resends once when a reused keep-alive socket turns out closed by the server', async () => {
    server = await startScriptedServer(() => ({ ...ok, closeAfterResponse: true }));
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      // Spaced arrivals, so each request finds the previous one's socket idle and reuses it.
      load: { kind: 'rate', ratePerS: 20, arrival: 'constant' },
      stop: { maxRequests: 6 },
    });
    expect(result.counts).toMatchObject({ ok: 6, error: 0 });
    expect(server.requests).toHaveLength(6);
  });

  it('resends on a new connection even when the pool holds more closed sockets', async () => {
    server = await startScriptedServer(() => ({ ...ok, closeAfterResponse: true }));
    const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: 'fifo' });
    const send = (index: number) =>
      streamRequest({
        url: new URL(`${server?.url}/v1/completions`),
        api: 'completions',
        body: JSON.stringify({ model: 'm', prompt: 'a b c', max_tokens: 4, stream: true }),
        headers: { 'content-type': 'application/json' },
        agent,
        timeoutMs: 10_000,
        now: () => performance.now(),
        record: { index, warmup: false, maxTokens: 4 },
      });
    try {
      // Two requests at once leave two idle sockets in the pool, both closed by the server.
      const first = await Promise.all([send(0), send(1)]);
      expect(first.map((r) => r.status)).toEqual(['ok', 'ok']);
      const idle = () => Object.values(agent.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0);
      await vi.waitFor(() => expect(idle()).toBe(2));
      const record = await send(2);
      expect(record).toMatchObject({ status: 'ok', outputTokens: 4 });
      expect(server.requests).toHaveLength(3);
    } finally {
      agent.destroy();
    }
  });
});

describe('cancellation and cleanup', () => {
  it('aborting rejects with the reason, cancels requests in flight and leaves no sockets or timers', async () => {
    server = await startScriptedServer(() => ({ ...ok, failure: { kind: 'hang', afterTokens: 1 } }));
    const before = liveHandles().length;
    const controller = new AbortController();
    const reason = new Error('stop now');
    const running = runBenchmark(
      {
        endpoint: server.url,
        model: 'm',
        workload,
        load: { kind: 'rate', ratePerS: 20, maxConcurrency: 3 },
        stop: { maxRequests: 50 },
      },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.openConnections()).toBeGreaterThan(0);
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.openConnections()).toBe(0);
    expect(liveHandles().length).toBeLessThanOrEqual(before);
  });

  it('closes keep-alive sockets after a normal run', async () => {
    server = await startScriptedServer(() => ok);
    await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'concurrency', concurrency: 3 },
      stop: { maxRequests: 6 },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.openConnections()).toBe(0);
  });

  it('a duration stop with drain "cancel" cuts requests in flight and leaves them out of the metrics', async () => {
    server = await startScriptedServer((_b, i) =>
      i < 2
        ? { kind: 'stream', ttftMs: 2, gapMs: 2, tokens: 2 }
        : { kind: 'stream', ttftMs: 5, gapMs: 5_000, tokens: 2 },
    );
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'concurrency', concurrency: 1 },
      stop: { maxDurationMs: 400, drain: 'cancel' },
    });
    expect(result.counts).toMatchObject({ ok: 2, canceled: 1, error: 0 });
    expect(result.metrics.requestCount).toBe(2);
  });
});
