import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/runtimes/registry.js';

describe('loadRegistry', () => {
  it.each([
    ['vllm', '--max-num-seqs'],
    ['sglang', '--max-running-requests'],
    ['llamacpp', '--ctx-size'],
  ] as const)('%s knows %s', (engine, flag) => {
    const registry = loadRegistry(engine);
    expect(registry.bySpelling.get(flag)?.name).toBeDefined();
    expect(registry.flags.length).toBeGreaterThan(100);
  });
});
