// The simulated engine says its version where the engine it imitates does, and serves that engine's metric names.
import { describe, expect, it } from 'vitest';
import { parsePrometheusSamples } from '../../../src/benchmark/prometheus-text.js';
import { ENGINE_METRICS, ENGINE_VERSION_PROBES, engineSeries } from '../../../src/runtimes/engine-metrics.js';
import { detectEngineVersion } from '../../../src/runtimes/engine-version.js';
import type { EngineFlavor } from '../../../src/runtimes/runtime-name.js';
import { startSimServer } from '../../../src/sim/sim-server.js';

describe('simulated engine version and metric names', () => {
  it.each([
    ['vllm', 'unset', '0.22.0'],
    ['sglang', 'unset', 'inference-sim'],
    ['llamacpp', 'b4567-test', 'b4567-test'],
  ] as const)(
    "%s flavour, --engine-version %s: reports %s on the engine's own endpoint",
    async (engine, given, expected) => {
      await using server = await startSimServer({
        config: {
          engine: engine as EngineFlavor,
          model: 'llama-3.1-8b',
          gpu: 'h100',
          loadTimeScale: 0,
          ...(given === 'unset' ? {} : { engineVersion: given }),
        },
      });
      await server.ready;
      expect(await detectEngineVersion(server.url, ENGINE_VERSION_PROBES[engine])).toBe(expected);
      // Every series the telemetry reads for this engine is on the page, under the engine's name.
      const page = parsePrometheusSamples(await (await fetch(`${server.url}/metrics`)).text());
      const wanted = engineSeries(ENGINE_METRICS[engine])
        .map((s) => s.metric)
        .filter(
          (m) =>
            ![
              'sglang:gen_throughput',
              'llamacpp:n_busy_slots_per_decode',
              'llamacpp:n_decode_total',
            ].includes(m),
        );
      expect(wanted.filter((m) => !page.has(m))).toEqual([]);
    },
  );

  it('answers nothing a version probe can read on a path it does not serve', async () => {
    await using server = await startSimServer({
      config: { model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 0 },
    });
    await server.ready;
    expect(await detectEngineVersion(server.url, { paths: ['/nope'], read: () => 'x' })).toBeUndefined();
  });
});
