// The simulated engine reports the KV cache it allocated where the engine it imitates does, from its own memory
// plan, hidden deviations included; nothing before it has started.
import { describe, expect, it } from 'vitest';
import { detectKvCapacity, ENGINE_KV_CAPACITY_PROBES } from '../../../src/runtimes/kv-capacity.js';
import { planMemory } from '../../../src/sim/memory-plan.js';
import { startSimServer } from '../../../src/sim/sim-server.js';

describe('simulated engine KV capacity', () => {
  it.each(['vllm', 'sglang'] as const)('%s flavour reports its (deviated) plan', async (engine) => {
    const lines: string[] = [];
    await using server = await startSimServer({
      config: {
        engine,
        model: 'llama-3.1-8b',
        gpu: 'l4',
        tensorParallel: 2,
        numGpus: 2,
        maxModelLen: 8192,
        loadTimeScale: 0,
        deviation: { reserveGiB: 1.25 },
      },
      log: (line) => lines.push(line),
    });
    const probe = ENGINE_KV_CAPACITY_PROBES[engine];
    if (!probe) throw new Error(`no probe for ${engine}`);
    await server.ready;
    const planned = planMemory(server.config).kvCapacityTokens;
    const undeviated = planMemory({
      ...server.config,
      deviation: { ...server.config.deviation, reserveGiB: 0 },
    });
    expect(planned).toBeGreaterThan(0);
    expect(planned).toBeLessThan(undeviated.kvCapacityTokens);
    expect(await detectKvCapacity(server.url, probe)).toBe(planned);
    expect(lines.join('\n')).toContain(
      engine === 'vllm'
        ? `GPU KV cache size: ${planned} tokens`
        : `KV Cache is allocated. #tokens: ${planned}`,
    );
  });

  it('says nothing of its cache while it loads', async () => {
    await using server = await startSimServer({
      config: { engine: 'vllm', model: 'llama-3.1-8b', gpu: 'h100', loadTimeScale: 1, timeScale: 1 },
    });
    const probe = ENGINE_KV_CAPACITY_PROBES.vllm;
    if (!probe) throw new Error('no probe');
    expect(server.state()).toBe('loading');
    expect(await detectKvCapacity(server.url, probe)).toBeUndefined();
  });
});
