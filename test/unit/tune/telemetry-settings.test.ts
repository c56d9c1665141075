// How a trial samples its engine: llama-server trials also read /slots, with the KV pool its argv implies; the
// simulated engine (which exports a KV gauge under every flavour) and vLLM do not.
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { telemetrySettings } from '../../../src/tune/trial-insight.js';

const options = (runtime: string, extra: Record<string, unknown> = {}) =>
  resolveOptions({
    runtime,
    model: 'm',
    ...(runtime === 'llamacpp' ? { modelPath: '/models/m.gguf' } : {}),
    space: runtime === 'llamacpp' ? { parallel: [2, 4] } : { 'max-num-seqs': [64, 128] },
    workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 16 },
    load: { kind: 'concurrency', levels: [4] },
    ...extra,
  });

describe('telemetrySettings', () => {
  it.each<[string, string[], 'shared' | 'split']>([
    ['--parallel 4', ['-m', 'm.gguf', '--parallel', '4'], 'split'],
    ['slots left to the server', ['-m', 'm.gguf'], 'shared'],
    ['--parallel 4 --kv-unified', ['--parallel', '4', '--kv-unified'], 'shared'],
  ])('llama-server with %s reads KV usage from /slots of the same server', (_name, args, pool) => {
    const settings = telemetrySettings(
      options('llamacpp'),
      'http://127.0.0.1:8080/',
      1,
      undefined,
      undefined,
      {
        args,
        env: {},
      },
    );
    expect(settings?.metricsUrl).toBe('http://127.0.0.1:8080/metrics');
    expect(settings?.kvFromSlots).toEqual({ url: 'http://127.0.0.1:8080/slots', pool });
    expect(settings?.series.find((s) => s.key === 'kvCacheUsage')?.metric).toBe(
      'llamacpp:kv_cache_usage_ratio',
    );
  });

  it.each([
    ['vllm', options('vllm')],
    [
      'the simulated engine imitating llama-server',
      resolveOptions({
        model: 'llama-3.1-8b',
        engine: 'llamacpp',
        space: { parallel: [2, 4] },
        workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 16 },
        load: { kind: 'concurrency', levels: [4] },
      }),
    ],
  ])('%s: no /slots', (_name, resolved) => {
    const settings = telemetrySettings(resolved, 'http://127.0.0.1:8000', 1, undefined);
    expect(settings).toBeDefined();
    expect(settings?.kvFromSlots).toBeUndefined();
    // Each still summarises its engine's own KV gauge.
    expect(settings?.series.find((s) => s.key === 'kvCacheUsage')?.metric).toBe(
      resolved.runtime.metrics.kvCacheUsage,
    );
  });

  it('telemetry off: no settings at all', () => {
    const off = options('llamacpp', { telemetry: { enabled: false } });
    expect(telemetrySettings(off, 'http://127.0.0.1:8080', 1, undefined)).toBeUndefined();
  });
});
