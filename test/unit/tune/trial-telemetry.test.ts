// A trial's sampling session: the engine's /metrics from a real local server and the GPUs from one stand-in
// nvidia-smi process, summarised together; and the GPU summary across several GPUs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_METRICS, engineSeries } from '../../../src/runtimes/engine-metrics.js';
import { createServerCounters, metricsText } from '../../../src/sim/metrics-text.js';
import { IDLE_ENGINE_STATS } from '../../../src/sim/sim-engine.js';
import { diagnoseTrial } from '../../../src/tune/diagnose-trial.js';
import { summariseGpus, TelemetrySession } from '../../../src/tune/trial-telemetry.js';
import { smiFixturePath } from '../gpu/fixtures.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  delete process.env['FAKE_NVIDIA_SMI_UTIL'];
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function vllmMetricsServer(): Promise<string> {
  let tick = 0;
  const counters = createServerCounters();
  const server = createServer((_req, res) => {
    tick++;
    counters.promptTokens = tick * 1_000;
    res.end(
      metricsText(
        'vllm',
        'm',
        {
          ...IDLE_ENGINE_STATS,
          running: 8,
          waiting: 0,
          kvUsage: 0.5,
          preemptions: 5,
          prefixHitTokens: tick * 250,
        },
        counters,
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

// A llama-server-shaped pair (Debian's b11669): /metrics without a KV gauge, and /slots with two slots of 512
// context tokens, both processing and holding 500 tokens each (or 501 Not Implemented, as with --no-slots).
async function llamaServer(slots: 'full' | 'off'): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics')
      return void res.end('llamacpp:requests_processing 2\nllamacpp:requests_deferred 1\n');
    if (slots === 'off') return void res.writeHead(501).end('{"error":{"code":501}}');
    const slot = (id: number) => ({ id, n_ctx: 512, is_processing: true, n_prompt_tokens: 500 });
    res.end(JSON.stringify([slot(0), slot(1)]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('TelemetrySession', () => {
  it('derives KV usage from /slots where the metrics page has no KV gauge, and says where it came from', async () => {
    const base = await llamaServer('full');
    const session = new TelemetrySession({
      metricsUrl: `${base}/metrics`,
      series: engineSeries(ENGINE_METRICS.llamacpp),
      kvFromSlots: { url: `${base}/slots`, pool: 'split' },
      intervalMs: 50,
    });
    session.probe.start();
    await sleep(300);
    await session.probe.stop();
    const telemetry = session.result(1);
    expect(telemetry.problems).toBeUndefined();
    expect(telemetry.engine?.kvCacheUsageFrom).toBe('/slots');
    const kv = telemetry.engine?.series['kvCacheUsage'];
    expect(kv).toMatchObject({ kind: 'gauge', max: 1000 / 1024, saturationAt: 0.95, saturatedShare: 1 });
    expect(telemetry.engine?.series['running']).toMatchObject({ kind: 'gauge', mean: 2 });
    expect(telemetry.engine?.series['waiting']).toMatchObject({ kind: 'gauge', mean: 1 });
    expect(
      diagnoseTrial({ telemetry, feasible: false, concurrencyFlag: '--parallel', sharedPrefixes: false })[0],
    ).toBe('KV cache (from /slots) >= 95% for 100% of the run: memory-bound, more concurrency cannot help');
  });

  it('a server without /slots (--no-slots): the metrics stand, one line says why KV usage is missing', async () => {
    const base = await llamaServer('off');
    const session = new TelemetrySession({
      metricsUrl: `${base}/metrics`,
      series: engineSeries(ENGINE_METRICS.llamacpp),
      kvFromSlots: { url: `${base}/slots`, pool: 'split' },
      intervalMs: 50,
    });
    session.probe.start();
    await sleep(200);
    await session.probe.stop();
    const telemetry = session.result(1);
    expect(telemetry.engine?.series['kvCacheUsage']).toBeUndefined();
    expect(telemetry.engine?.kvCacheUsageFrom).toBeUndefined();
    expect(telemetry.engine?.series['running']).toMatchObject({ kind: 'gauge' });
    expect(telemetry.problems).toEqual([
      expect.stringMatching(/^KV usage from \/slots: 1 of 1 reads of \S+ failed \(first: HTTP 501\)$/),
    ]);
  });

  it('summarises the engine and the GPUs of one measured window, and the diagnosis reads idle GPUs', async () => {
    process.env['FAKE_NVIDIA_SMI_UTIL'] = '35';
    const session = new TelemetrySession({
      metricsUrl: await vllmMetricsServer(),
      series: engineSeries(ENGINE_METRICS.vllm),
      intervalMs: 50,
      gpu: { gpuIndices: [1, 2], command: smiFixturePath('fake-nvidia-smi-loop.sh'), intervalMs: 50 },
    });
    session.probe.start();
    await sleep(500);
    await session.probe.stop();
    const telemetry = session.result(1);
    expect(telemetry.problems).toBeUndefined();
    expect(telemetry.engine?.series['running']).toMatchObject({ kind: 'gauge', mean: 8, max: 8 });
    expect(telemetry.engine?.series['preemptions']).toMatchObject({ kind: 'counter' });
    // 250 of every 1,000 prompt tokens hit the prefix cache.
    expect(telemetry.engine?.prefixCacheHitRate).toBeCloseTo(0.25, 6);
    // Time-weighted means of constant samples: equal up to floating-point rounding of the weights.
    const near = (value: number) => expect.closeTo(value, 6);
    expect(telemetry.gpu).toMatchObject({
      gpus: 2,
      utilizationPct: { mean: near(35), max: 35 },
      memoryUsedMiB: { mean: near(19818), max: 19818 },
      powerW: { mean: near(631.95), max: 631.95 },
    });
    expect(diagnoseTrial({ telemetry, feasible: true, sharedPrefixes: false })).toEqual([
      'GPU utilisation 35%: client- or scheduler-bound',
    ]);
  });

  it('says once per source what could not be sampled', async () => {
    const session = new TelemetrySession({
      metricsUrl: 'http://127.0.0.1:9/metrics',
      series: engineSeries(ENGINE_METRICS.vllm),
      intervalMs: 50,
      gpu: { gpuIndices: [0], command: '/nonexistent/nvidia-smi', intervalMs: 50 },
    });
    session.probe.start();
    await sleep(200);
    await session.probe.stop();
    const telemetry = session.result(1);
    expect(telemetry.engine).toBeUndefined();
    expect(telemetry.gpu).toBeUndefined();
    expect(telemetry.problems).toHaveLength(2);
    expect(telemetry.problems?.[0]).toMatch(/^engine metrics: \d+ of \d+ scrapes/);
    expect(telemetry.problems?.[1]).toMatch(/^GPU sampling: .*not found/);
  });
});

describe('summariseGpus', () => {
  it('averages the GPUs means and keeps the highest max; a simulated window is scaled back', () => {
    const gpu = summariseGpus(
      [
        { tMs: 0, index: 0, utilizationPct: 20, memoryUsedMiB: 1_000 },
        { tMs: 0, index: 1, utilizationPct: 80, memoryUsedMiB: 3_000, powerW: 300 },
        { tMs: 1_000, index: 0, utilizationPct: 40, memoryUsedMiB: 1_000 },
        { tMs: 1_000, index: 1, utilizationPct: 100, memoryUsedMiB: 3_000, powerW: 350 },
      ],
      2,
    );
    expect(gpu).toEqual({
      gpus: 2,
      samples: 2,
      windowMs: 2_000,
      utilizationPct: { mean: 50, max: 100 },
      memoryUsedMiB: { mean: 2_000, max: 3_000 },
      powerW: { mean: 300, max: 350 },
    });
    expect(summariseGpus([], 1)).toBeUndefined();
  });
});
