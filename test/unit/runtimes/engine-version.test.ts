import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION_PROBES } from '../../../src/runtimes/engine-metrics.js';
import { releaseVersion, versionsDiffer } from '../../../src/runtimes/engine-version.js';

describe('engine versions', () => {
  it.each([
    ['0.22.0', '0.22.0'],
    ['vLLM 0.22.0', '0.22.0'],
    ['0.11.1rc2.dev5+g1234', '0.11.1'],
    ['v0.5.4', '0.5.4'],
    ['b11669-Debian', undefined],
    ['SGLang @ 001067fffe33', undefined],
  ])('the release in %s is %s', (text, release) => {
    expect(releaseVersion(text)).toBe(release);
  });

  it.each([
    ['0.22.0', 'vLLM 0.22.0', false],
    ['0.11.0', 'vLLM 0.22.0', true],
    ['b11669-Debian', 'llama.cpp @ 00dc8057ab28', false],
    [undefined, 'vLLM 0.22.0', false],
  ])('%s against the registry of %s differs: %s', (detected, registry, differs) => {
    expect(versionsDiffer(detected, registry)).toBe(differs);
  });

  it("reads each engine's answer", () => {
    expect(ENGINE_VERSION_PROBES.vllm.read({ version: '0.10.2' })).toBe('0.10.2');
    expect(ENGINE_VERSION_PROBES.sglang.read({ version: '0.5.4', tp_size: 1 })).toBe('0.5.4');
    expect(ENGINE_VERSION_PROBES.llamacpp.read({ build_info: 'b11669-Debian', total_slots: 4 })).toBe(
      'b11669-Debian',
    );
    expect(ENGINE_VERSION_PROBES.vllm.read('not json')).toBeUndefined();
    expect(ENGINE_VERSION_PROBES.llamacpp.read({ build_info: '' })).toBeUndefined();
  });
});
