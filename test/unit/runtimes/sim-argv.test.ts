// The argv the sim adapter builds is accepted by the simulator's own parser, in every flavour.
import { describe, expect, it } from 'vitest';
import { serverArgs } from '../../../src/controllers/server-argv.js';
import { simExecutable } from '../../../src/runtimes/adapters/sim-executable.js';
import { launchSpec } from '../../../src/runtimes/launch-spec.js';
import { QUANTIZATION_PRESETS } from '../../../src/runtimes/presets.js';
import type { EngineFlavor } from '../../../src/runtimes/runtime-name.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';
import { parseSimArgs } from '../../../src/sim/sim-args.js';

const flavors: EngineFlavor[] = ['vllm', 'sglang', 'llamacpp'];
const ids = { studyId: 's', trialId: 't' };

function simArgv(flavor: EngineFlavor, params: Record<string, unknown>): string[] {
  const runtime = getRuntime('sim', { engine: flavor });
  const spec = launchSpec(params, [], {
    runtime,
    model: 'llama-3.1-8b',
    sim: { seed: 1, timeScale: 100 },
    ...ids,
  });
  // Drop the executable's own arguments (node loader, script path) as the simulator's argv does.
  return serverArgs(spec, '127.0.0.1', 0).slice(runtime.commandArgs.length);
}

describe('sim adapter argv against inference-sim parsing', () => {
  it('starts the simulator from simExecutable()', () => {
    const runtime = getRuntime('sim');
    expect(runtime.command).toBe(simExecutable().command);
    expect(runtime.commandArgs).toEqual(simExecutable().args);
  });

  it.each(flavors)('%s: every default-space value and every applicable preset parses', (flavor) => {
    const runtime = getRuntime('sim', { engine: flavor });
    const configs: Record<string, unknown>[] = [];
    for (const [name, entry] of Object.entries(runtime.defaultSearchSpace())) {
      const values = 'values' in entry ? entry.values : [entry.low, entry.high];
      for (const value of values) configs.push({ [name]: value });
    }
    for (const [preset, byEngine] of Object.entries(QUANTIZATION_PRESETS)) {
      if ('flags' in byEngine[flavor]) configs.push({ 'quant-preset': preset });
    }
    configs.push({ 'parallel-preset': flavor === 'llamacpp' ? 'pp2' : 'tp2' });
    for (const params of configs) {
      const parsed = parseSimArgs(simArgv(flavor, params));
      expect('exitCode' in parsed ? parsed.message : 'ok', JSON.stringify(params)).toBe('ok');
    }
  });

  it.each([
    [
      'vllm',
      { 'max-num-seqs': 48, 'enable-prefix-caching': false },
      { maxNumSeqs: 48, prefixCaching: false },
    ],
    [
      'sglang',
      { 'max-running-requests': 24, 'radix-cache': false },
      { maxNumSeqs: 24, prefixCaching: false },
    ],
    ['llamacpp', { parallel: 3, 'cont-batching': true }, { maxNumSeqs: 3 }],
  ] as const)('%s: the simulator reads back what was set', (flavor, params, expected) => {
    const parsed = parseSimArgs(simArgv(flavor, params));
    if ('exitCode' in parsed) throw new Error(parsed.message);
    expect(parsed.config).toMatchObject({ engine: flavor, seed: 1, timeScale: 100, ...expected });
  });
});
