// In-process server: time scale, lifecycle (close, abort, start-up failure), disconnects, and an HTTP run near estimate().
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/sim/estimate.js';
import { startSimServer } from '../../../src/sim/sim-server.js';

interface Timing {
  ttftMs: number;
  e2eMs: number;
  tokens: number;
}

async function streamOnce(url: string, promptTokens: number, maxTokens: number): Promise<Timing> {
  const start = performance.now();
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST',
    body: JSON.stringify({
      prompt: 'w '.repeat(promptTokens),
      max_tokens: maxTokens,
      ignore_eos: true,
      stream: true,
    }),
  });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  let ttftMs = Number.NaN;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    if (Number.isNaN(ttftMs) && text.includes('"text":" ')) ttftMs = performance.now() - start;
  }
  const tokens = text.split('\n\n').filter((e) => e.includes('"text":" ')).length;
  return { ttftMs, e2eMs: performance.now() - start, tokens };
}

describe('time scale', () => {
  it('runs k times faster and says so', async () => {
    const config = { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0, noiseCv: 0 };
    await using slow = await startSimServer({ config: { ...config, timeScale: 1 } });
    await using fast = await startSimServer({ config: { ...config, timeScale: 50 } });
    expect(await slow.ready).toBe(true);
    expect(await fast.ready).toBe(true);
    const [a, b] = await Promise.all([streamOnce(slow.url, 100, 400), streamOnce(fast.url, 100, 400)]);
    expect(a.tokens).toBe(400);
    expect(b.tokens).toBe(400);
    // 400 decode steps of ~7 ms simulated each: ~2.8 s at time scale 1, ~56 ms at 50. The engine catches up
    // after a late timer, so a stall of the event loop lengthens the fast run by the stall and the slow one
    // hardly at all: the slow run is long enough that stalls of several hundred ms still leave a factor of 4.
    expect(a.e2eMs).toBeGreaterThan(1_600);
    expect(b.e2eMs).toBeLessThan(a.e2eMs / 4);
    const res = await fetch(`${fast.url}/health`);
    expect(res.headers.get('x-sim-time-scale')).toBe('50');
  });

  it('an HTTP closed-loop run lands near estimate() once rescaled', async () => {
    const k = 2;
    const config = { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0, timeScale: k, seed: 3 };
    await using server = await startSimServer({ config });
    await server.ready;
    const workload = { promptTokens: 200, outputTokens: 60, concurrency: 8 };
    const timings: Timing[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workload.concurrency }, async (_, client) => {
        await new Promise((resolve) => setTimeout(resolve, client * 25));
        for (let i = 0; i < 4; i++)
          timings.push(await streamOnce(server.url, workload.promptTokens, workload.outputTokens));
      }),
    );
    const elapsedMs = performance.now() - started;
    const predicted = estimate(config, workload);
    if (!predicted.ok) throw new Error('should start');
    const tpot = timings.map((t) => ((t.e2eMs - t.ttftMs) * k) / (t.tokens - 1)).sort((x, y) => x - y);
    const medianTpot = tpot[Math.floor(tpot.length / 2)] as number;
    const throughput = (timings.length * workload.outputTokens) / ((elapsedMs * k) / 1000);
    // Real timers, HTTP and a shared CPU add overhead: only a loose band here (tight agreement is a unit test).
    expect(medianTpot / (predicted.estimate.tpotMs?.p50 ?? 1)).toBeGreaterThan(0.8);
    expect(medianTpot / (predicted.estimate.tpotMs?.p50 ?? 1)).toBeLessThan(2);
    expect(throughput / predicted.estimate.outputTokensPerS).toBeGreaterThan(0.4);
    expect(throughput / predicted.estimate.outputTokensPerS).toBeLessThan(1.3);
  });

  it('a client that disconnects mid-stream frees its sequence', async () => {
    await using server = await startSimServer({
      config: { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0, timeScale: 5 },
    });
    await server.ready;
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'hello there', max_tokens: 5000, ignore_eos: true, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    const metric = async (name: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
    };
    expect(await metric('vllm:num_requests_running')).toBe(1);
    controller.abort();
    await reader?.cancel().catch(() => {});
    const deadline = Date.now() + 5_000;
    while ((await metric('vllm:num_requests_running')) !== 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await metric('vllm:num_requests_running')).toBe(0);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/vllm:request_success_total\{[^}]*finished_reason="abort"\} 1/);
  });

  it('close() while loading resolves ready=false and exits with code 0', async () => {
    const server = await startSimServer({
      config: { model: 'llama-3.1-70b', gpu: 'h100', tensorParallel: 4 },
    });
    expect(server.state()).toBe('loading');
    expect((await fetch(`${server.url}/health`)).status).toBe(503);
    await server.close();
    expect(await server.ready).toBe(false);
    expect(await server.exited).toMatchObject({ code: 0, reason: 'closed' });
    expect(server.state()).toBe('closed');
  });

  it('an abort signal stops the server; an aborted signal refuses to start', async () => {
    const controller = new AbortController();
    const server = await startSimServer(
      { config: { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0 } },
      { signal: controller.signal },
    );
    controller.abort();
    expect(await server.exited).toMatchObject({ reason: 'closed' });
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await expect(
      startSimServer({ config: { model: 'llama-3.1-8b', gpu: 'h100' } }, { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });

  it('a start-up failure closes the server and reports the failure', async () => {
    const server = await startSimServer({ config: { model: 'llama-3.1-70b', gpu: 'h100', timeScale: 100 } });
    expect(await server.ready).toBe(false);
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: 1, reason: 'startup-failure', failure: { kind: 'oom' } });
    expect(server.state()).toBe('failed');
  });
});
